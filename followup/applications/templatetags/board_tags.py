"""The board card's "Move to" form, built once per card in Python.

A board shows every open and closed application (50 cards and more); written as template markup,
each card's form looped over the statuses with a few nodes per button, most of the page's time.
"""

from django import template
from django.utils.html import format_html, format_html_join

from followup.core.reversing import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def move_form(context, statuses: list[tuple[str, str]], application) -> str:
    """A button per status (the card's own hidden), posting to the application's status URL and
    coming back to this page."""
    # As {% csrf_token %} writes it.
    csrf = context.get("csrf_token")
    csrf_input = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf)
        if csrf and csrf != "NOTPROVIDED"
        else ""
    )
    buttons = format_html_join(
        "\n",
        '<button type="submit" name="status" value="{}" class="btn btn-sm btn-outline-primary"'
        "{}>{}</button>",
        (
            (value, " hidden" if value == application.status else "", label)
            for value, label in statuses
        ),
    )
    return format_html(
        '<form method="post" action="{}" class="d-flex flex-wrap gap-1 mt-1">\n'
        '{}\n<input type="hidden" name="next" value="{}">\n{}\n</form>',
        reverse("applications:status", args=[application.pk]),
        csrf_input,
        context["request"].get_full_path(),
        buttons,
    )
