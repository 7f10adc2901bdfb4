"""Tags for showing the follow-up plan: how late a row is, where Snooze would move it, and the
parts of a follow-up row that every row repeats (its due day, its Done/Skip/Snooze buttons).

A dashboard or agenda lists a few dozen follow-ups; written as template markup, each row's due
day and four small forms were some 60 template nodes and ten `date` filters. The tags below
build the same markup once per row with format_html, and the dates in plain Python
(core/listing.py).
"""

from datetime import date, timedelta

from django import template
from django.template.defaultfilters import pluralize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from followup.applications import services
from followup.applications.models import FollowUp
from followup.core.listing import weekday_day_month
from followup.core.reversing import reverse

register = template.Library()


@register.filter
def days_late(follow_up: FollowUp, today: date) -> int:
    """`today` is the owner's: a coach in another zone sees the client's lateness."""
    return follow_up.days_late(today)


@register.filter
def snooze_default(follow_up: FollowUp, today: date) -> date:
    return services.snooze_default(follow_up, today)


@register.filter
def add_days(day: date, days: int) -> date:
    return day + timedelta(days=int(days))


@register.simple_tag
def follow_up_due(follow_up: FollowUp, today: date) -> str:
    """ "due Mon 7 Dec", and how late it is or "today"; `today` is the owner's."""
    due_on = follow_up.due_on
    late = follow_up.days_late(today)
    if late:
        after = format_html(
            ' · <span class="text-danger fw-semibold text-nowrap">{} day{} late</span>',
            late,
            pluralize(late),
        )
    elif due_on == today:
        after = mark_safe(' · <span class="fw-semibold">today</span>')
    else:
        after = ""
    return format_html(
        'due <time class="text-nowrap" datetime="{}">{}</time>{}',
        due_on.isoformat(),
        weekday_day_month(due_on),
        after,
    )


def _csrf_input(context) -> str:
    """The CSRF field, as {% csrf_token %} writes it."""
    csrf = context.get("csrf_token")
    if csrf and csrf != "NOTPROVIDED":
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf)
    return ""


@register.simple_tag(takes_context=True)
def write_it_button(context, follow_up: FollowUp) -> str:
    """ "Write it": a button that opens the composer on a new draft of this follow-up's letter
    (applications/_letter_link.html's form, posting every choice); without a contact, a link to
    the form that asks who it is to."""
    hidden = [
        ("application", follow_up.application_id),
        ("contact", follow_up.contact_id),
        ("kind", follow_up.kind),
        ("interview", follow_up.interview_id),
        ("follow_up", follow_up.pk),
    ]
    new_letter = reverse("letters:new")
    if follow_up.contact_id is None:
        query = "&".join(f"{name}={value}" for name, value in hidden if value is not None)
        return format_html(
            '<a class="btn btn-sm btn-primary" href="{}?{}">Write it</a>', new_letter, query
        )
    return format_html(
        '<form method="post" action="{}" class="letter-start">{}\n{}\n'
        '  <button type="submit" class="btn btn-sm btn-primary">Write it</button>\n</form>',
        new_letter,
        _csrf_input(context),
        format_html_join(
            "\n",
            '  <input type="hidden" name="{}" value="{}">',
            ((name, value) for name, value in hidden if value is not None),
        ),
    )


def _form(url: str, csrf_input: str, back_to: str, inside: str, css: str = "") -> str:
    """One of a row's forms: htmx swaps the row (the closest <li>) for a confirmation; without
    JS the form posts and comes back to `back_to`."""
    return format_html(
        '<form{} method="post" action="{}" hx-post="{}" hx-target="closest li" '
        'hx-swap="outerHTML">\n    {}<input type="hidden" name="next" value="{}">\n'
        "    {}\n  </form>",
        format_html(' class="{}"', css) if css else "",
        url,
        url,
        csrf_input,
        back_to,
        inside,
    )


@register.simple_tag(takes_context=True)
def follow_up_buttons(context, follow_up: FollowUp, today: date) -> str:
    """Done (sent outside followup), Skip, Snooze to the default day, and Snooze to another day,
    for one pending follow-up; `today` is the owner's."""
    csrf_input = _csrf_input(context)
    back_to = context["request"].get_full_path()
    # Said to screen readers on each button: which of the row's follow-ups it acts on.
    which = format_html(
        "the {} due {}",
        follow_up.get_kind_display().lower(),
        f"{follow_up.due_on.day} {follow_up.due_on:%b}",
    )
    until = services.snooze_default(follow_up, today)
    snooze_url = reverse("applications:follow_up_snooze", args=[follow_up.pk])
    done = format_html(
        '<button type="submit" class="btn btn-sm btn-outline-success" title="You already sent '
        'it outside followup">Done<span class="visually-hidden">: {} was sent</span></button>',
        which,
    )
    skip = format_html(
        '<button type="submit" class="btn btn-sm btn-outline-secondary">Skip'
        '<span class="visually-hidden"> {}</span></button>',
        which,
    )
    snooze = format_html(
        '<button type="submit" class="btn btn-sm btn-outline-secondary" title="Move it to {}">'
        'Snooze<span class="visually-hidden"> {}</span> to {}</button>',
        f"{until:%A} {until.day} {until:%B}",
        which,
        weekday_day_month(until),
    )
    other_day = format_html(
        '<label class="visually-hidden" for="snooze-until-{}">Snooze until</label>\n'
        '      <input class="form-control form-control-sm w-auto" type="date" name="until" '
        'id="snooze-until-{}" min="{}" required>\n'
        '      <button type="submit" class="btn btn-sm btn-outline-secondary">Snooze</button>',
        follow_up.pk,
        follow_up.pk,
        (today + timedelta(days=1)).isoformat(),
    )
    return format_html(
        "{}\n  {}\n  {}\n"
        '  <details class="snooze-other">\n'
        '    <summary class="btn btn-sm btn-link">Other day<span class="visually-hidden"> for {}'
        "</span></summary>\n    {}\n  </details>",
        _form(
            reverse("applications:follow_up_done", args=[follow_up.pk]), csrf_input, back_to, done
        ),
        _form(
            reverse("applications:follow_up_skip", args=[follow_up.pk]), csrf_input, back_to, skip
        ),
        _form(snooze_url, csrf_input, back_to, snooze),
        which,
        _form(
            snooze_url,
            csrf_input,
            back_to,
            other_day,
            css="d-flex flex-wrap align-items-center gap-2 mt-1",
        ),
    )
