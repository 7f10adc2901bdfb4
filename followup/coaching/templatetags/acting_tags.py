"""Say who added a row when it was not its owner: "Added by your coach …" to the client."""

from django import template

from followup.core.access import owner_id_of

register = template.Library()


@register.inclusion_tag("coaching/_added_by.html", takes_context=True)
def added_by(context, obj):
    """A small badge on a row a coach recorded for its owner; nothing on the owner's own."""
    coach = obj.added_by_coach
    if coach is None:
        return {}
    viewer = context["request"].user
    owner_id = owner_id_of(obj, type(obj)._default_manager.all().owner_path)
    return {"coach": coach, "by_viewer": coach.pk == viewer.pk, "to_owner": owner_id == viewer.pk}
