"""Coaching on any page: whose data a coach is looking at, and invitations waiting for answers."""

import functools

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import template
from django.template.defaultfilters import pluralize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from followup.accounts.models import User
from followup.applications.models import Application
from followup.contacts.models import Contact
from followup.core.access import owner_id_of
from followup.interviews.models import Interview
from followup.letters.models import Letter

from .. import selectors
from ..forms import InviteClientForm
from ..invitations import invitation_token
from ..models import Coaching

register = template.Library()

# The context variable that says whose data a page shows, its model, and the path to the owner;
# the first one present wins (a letter page also has its application's contact, and so on).
PAGE_OWNERS = [
    ("client", User, None),
    ("application", Application, "owner"),
    ("letter", Letter, "application__owner"),
    ("interview", Interview, "application__owner"),
    ("contact", Contact, "owner"),
]


def page_owner_id(context) -> int | None:
    """The id of the person whose data the page shows, or None for a page about nobody's."""
    for name, model, owner_path in PAGE_OWNERS:
        obj = context.get(name)
        if isinstance(obj, model):
            return obj.pk if owner_path is None else owner_id_of(obj, owner_path)
    return None


# The coaching pages of the job seeker's side ("Coaching"); the others are the coach's ("Clients").
JOB_SEEKER_COACHING_PAGES = {"settings", "invitation"}


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    """Which item of the menu the page belongs to: "clients" for any page showing a client's
    data to their coach (their letters are not the coach's Letters), else the URL's namespace,
    or "agenda"."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    user = request.user
    if user.is_authenticated and user.is_coach:
        owner_id = page_owner_id(context)
        if owner_id is not None and owner_id != user.pk:
            return "clients"
    if match.view_name == "applications:agenda":
        return "agenda"
    if match.namespace == "coaching" and match.url_name not in JOB_SEEKER_COACHING_PAGES:
        return "clients"
    return match.namespace


@register.inclusion_tag("coaching/_banner.html", takes_context=True)
def client_banner(context):
    """Say so when a coach is looking at a client's data, and at which level of consent."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # Only coaches ever see someone else's data: everyone else is spared the lookups.
    if user is None or not user.is_authenticated or not user.is_coach:
        return {}
    owner_id = page_owner_id(context)
    if owner_id is None or owner_id == user.pk:
        return {}
    coaching = (
        Coaching.objects.active()
        .filter(coach=user, client_id=owner_id)
        .select_related("client")
        .first()
    )
    return {"coaching": coaching}


@register.simple_tag(takes_context=True)
def pending_invitations(context) -> list[Coaching]:
    """Coaches' invitations to the signed-in person, each with a fresh link to answer it."""
    invitations = selectors.invitations_for(context["request"].user)
    for invitation in invitations:
        invitation.token = invitation_token(invitation)
    return invitations


# How long a coach is told, on their dashboard and on a page not found, that a client ended it.
ENDED_SHOWN_DAYS = 14


@register.inclusion_tag("coaching/_ended_access.html", takes_context=True)
def ended_access(context):
    """The clients who ended the signed-in coach's access lately (and have not given it back).

    Not tied to the page asked for: a former coach's 404 says the same whatever the address,
    so it tells them nothing about what is, or is not, behind it.
    """
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or not user.is_coach:
        return {}
    return {"ended": selectors.access_ended_lately(user, days=ENDED_SHOWN_DAYS)}


# --- The coach dashboard's lists ------------------------------------------------------------
# A line per client, per letter waiting and per follow-up due, written in Python with each
# value escaped by format_html: with 50 clients the template engine's nodes and lookups (a
# few hundred values) cost more than the rest of the page. The markup is the lines' whole
# template, here beside the tag that writes it.

CLIENT_ROW = (
    '<tr data-client="{}">'
    '<th scope="row"><a href="{}">{}</a></th>'
    '<td class="d-none d-md-table-cell">{}</td>'
    '<td class="text-end d-none d-sm-table-cell" data-column="open_applications">{}</td>'
    '<td class="text-end" data-column="due_today">{}</td>'
    '<td class="text-end" data-column="overdue">{}</td>'
    '<td data-column="next_interview">{}</td>'
    '<td class="d-none d-md-table-cell" data-column="last_activity">{}</td>'
    "</tr>\n"
)


def _count_badge(count: int, colour: str):
    """A count worth attention as a badge; nothing due as a plain 0 (a number and a colour
    of ours: nothing to escape)."""
    if not count:
        return "0"
    return mark_safe(f'<span class="badge text-bg-{colour}">{count:d}</span>')  # noqa: S308


@register.simple_tag
def client_rows(rows):
    """The clients table's body rows (`selectors.ClientRow`)."""
    return format_html_join(
        "",
        CLIENT_ROW,
        (
            (
                row.coaching.client_id,
                row.url,
                row.client.display_name,
                row.level_label,
                row.open_applications,
                _count_badge(row.due_today, "warning"),
                _count_badge(row.overdue, "danger"),
                row.next_interview_label,
                row.last_activity_label,
            )
            for row in rows
        ),
    )


# flex-wrap: on a phone the waiting time goes under the letter rather than squeezing it.
REVIEW_ITEM = (
    '<li class="list-group-item d-flex flex-wrap justify-content-between align-items-start'
    ' gap-2" data-letter="{}">'
    '<div><strong>{}</strong> · <a href="{}">{} to {}</a>'
    '<div class="small text-body-secondary">{}</div></div>'
    '<span class="badge text-bg-light border text-nowrap" title="Asked {}">{}</span>'
    "</li>\n"
)


@register.simple_tag
def review_items(reviews):
    """The review queue's lines (`review_queue.ReviewRequest`)."""
    return format_html_join(
        "",
        REVIEW_ITEM,
        (
            (
                item.letter_id,
                item.client.display_name,
                item.url,
                item.kind,
                item.to,
                item.application,
                item.requested_label,
                item.waited_label,
            )
            for item in reviews
        ),
    )


DUE_ITEM = (
    '<li class="list-group-item d-flex flex-wrap justify-content-between align-items-center'
    ' gap-2"><div><strong>{}</strong> · {}{}'
    '<div class="small"><a href="{}">{}</a> · due {}</div></div>{}'
    "</li>\n"
)


def _lateness(days_overdue: int):
    """How late a follow-up is, as a badge (a number of ours: nothing to escape)."""
    if days_overdue > 0:
        days = f"{days_overdue:d} day{pluralize(days_overdue)}"
        return mark_safe(f'<span class="badge text-bg-danger">{days} late</span>')  # noqa: S308
    return mark_safe('<span class="badge text-bg-warning">Today</span>')


@register.simple_tag
def due_items(follow_ups):
    """The due list's lines (`selectors.most_overdue_of`)."""
    return format_html_join(
        "",
        DUE_ITEM,
        (
            (
                follow_up.application.owner.display_name,
                follow_up.get_kind_display(),
                format_html(" to {}", follow_up.contact.name) if follow_up.contact else "",
                follow_up.application_url,
                follow_up.application,
                follow_up.due_label,
                _lateness(follow_up.days_overdue),
            )
            for follow_up in follow_ups
        ),
    )


@register.simple_tag
def invite_form(form):
    """The coach dashboard's invite form through crispy-forms (`|crispy`). Empty, it is the
    same on every dashboard: rendered once per process, as crispy's templates for its one
    field cost as much as the clients table's fifty lines."""
    if form.is_bound:
        return as_crispy_form(form)
    return _empty_invite_form()


@functools.cache
def _empty_invite_form():
    return as_crispy_form(InviteClientForm())
