"""Coaching on any page: whose data a coach is looking at, and invitations waiting for answers."""

from datetime import timedelta

from django import template
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import Application
from followup.contacts.models import Contact
from followup.core.access import owner_id_of
from followup.interviews.models import Interview
from followup.letters.models import Letter

from .. import selectors
from ..invitations import invitation_token
from ..models import Coaching, CoachingStatus, EndedBy

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
    since = timezone.now() - timedelta(days=ENDED_SHOWN_DAYS)
    ended = (
        Coaching.objects.filter(
            coach=user,
            status=CoachingStatus.ENDED,
            ended_by=EndedBy.CLIENT,
            ended_at__gte=since,
            client__isnull=False,
        )
        .exclude(client__in=Coaching.objects.active().filter(coach=user).values("client"))
        .select_related("client")
        .order_by("-ended_at")
    )
    return {"ended": list(ended)}
