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


def _owner_of(obj, owner_path: str):
    """The owner row at the end of `owner_path`, read from what the page has already loaded."""
    for hop in owner_path.split("__"):
        obj = getattr(obj, hop)
    return obj


@register.inclusion_tag("coaching/_first_crumbs.html", takes_context=True)
def first_crumbs(context, obj, own_label, own_url_name):
    """The start of a breadcrumb to a row: the viewer's own list (`own_url_name`), or, on a
    client's row, the coach's way back: their clients, then that client's workspace."""
    owner_path = type(obj)._default_manager.all().owner_path
    viewer = context["request"].user
    if owner_id_of(obj, owner_path) == viewer.pk:
        return {"own_label": own_label, "own_url_name": own_url_name}
    return {"client": _owner_of(obj, owner_path)}


@register.simple_tag(takes_context=True)
def whose(context, obj) -> str:
    """Whose things these are, for a sentence: "your" to the row's owner, "Chloe Martin’s" to
    their coach (whose own contacts, say, are not the ones meant)."""
    owner_path = type(obj)._default_manager.all().owner_path
    if owner_id_of(obj, owner_path) == context["request"].user.pk:
        return "your"
    return f"{_owner_of(obj, owner_path).display_name}’s"
