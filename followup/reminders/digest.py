"""What a reminder email says, built from the rows it covers and the recipient's pipeline.

Two ways to the same digest: `digest_for` reads one person's, `digests_for` reads those of a
whole send batch in a fixed number of queries (delivery uses it). Both end in `_file_due` and
`_add_sections`, so the emails they make are the same byte for byte.

Sections read for many people at once ("batch providers")
---------------------------------------------------------
A section of a digest that needs more data is added as a batch provider: a function taking the
list of recipients (User objects) of a send batch and returning ``{user_id: data}``, with one or
a few queries whatever the number of people. Register it by name in `DIGEST_SECTIONS` (the job
seeker's digest) or `COACH_DIGEST_SECTIONS` (the coach's): delivery calls it once per batch,
`digest_for` / `coach_digest_for` call it with one person, and the data is found in the template
as ``digest.sections.<name>`` (``report.sections.<name>`` in the coach digest); a person missing
from the dict gets None. For example, with a function taking user ids::

    DIGEST_SECTIONS["next_steps"] = lambda users: open_next_steps_for([u.pk for u in users])

Providers read without locks, at the start of the batch, like the digest's items.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import FollowUp, FollowUpKind
from followup.coaching.next_steps import mark_lateness, open_next_steps_for
from followup.coaching.review_queue import reviews_waiting_count
from followup.core.emails import build_email
from followup.interviews.models import Interview

from .models import ReminderSlot

UNSUBSCRIBE_SALT = "followup.reminders.unsubscribe"
# What an unsubscribe link is about, carried in its token as "k". Links without it (every link
# sent before coach digests existed) are about the job seeker's reminders.
COACH = "coach"


def unsubscribe_token(user, application=None, *, kind: str | None = None) -> str:
    data = {"u": user.pk, "a": application.pk if application else None}
    if kind is not None:
        data["k"] = kind
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def unsubscribe_token_is_recent(token: str) -> bool:
    """Whether a (valid) token was issued within REMINDER_LINK_MAX_AGE_DAYS.

    `signing.dumps` signs with a timestamp, so every token ever sent carries its issue date.
    """
    max_age = timedelta(days=settings.REMINDER_LINK_MAX_AGE_DAYS)
    try:
        signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return False
    return True


def unsubscribe_url(user, application=None, *, kind: str | None = None) -> str:
    path = reverse("reminders:unsubscribe", args=[unsubscribe_token(user, application, kind=kind)])
    return settings.SITE_URL + path


def compose_url(follow_up: FollowUp) -> str:
    return f"{_compose_base()}{follow_up.pk}"


# name -> provider(users) -> {user_id: data}; see the module's docstring.
SectionProvider = Callable[[list], dict]
DIGEST_SECTIONS: dict[str, SectionProvider] = {}
COACH_DIGEST_SECTIONS: dict[str, SectionProvider] = {}


def read_sections(providers: dict[str, SectionProvider], users: list) -> dict[int, dict]:
    """{user_id: {section name: data}} for `users`, one call per provider."""
    sections = {user.pk: {} for user in users}
    for name, provider in providers.items():
        data = provider(users) if users else {}
        for user_id, user_sections in sections.items():
            user_sections[name] = data.get(user_id)
    return sections


@dataclass
class Digest:
    today: date
    thank_yous: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    # Data of the sections in DIGEST_SECTIONS, by name.
    sections: dict = field(default_factory=dict)
    # What the job seeker's coach asked them to do next (`open_next_steps_for`); late or not
    # by the digest's own day, so it is filled with the digests rather than as a section.
    next_steps: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.thank_yous) + len(self.due_today) + len(self.overdue)


def digest_for(user, *, today: date) -> Digest:
    """Everything due for `user` by `today`, grouped the way the email presents it."""
    digest = Digest(today=today)
    due = (
        FollowUp.objects.remindable()
        .filter(application__owner=user, due_on__lte=today)
        .select_related("application", "contact", "interview")
        .order_by("due_on", "pk")
    )
    letters_url = _compose_base()
    for follow_up in due:
        _file_due(digest, follow_up, letters_url)
    start = _start_of(today, user)
    digest.interviews = list(
        Interview.objects.of_open_applications()
        .filter(
            application__owner=user,
            scheduled_at__gte=start,
            scheduled_at__lt=start + timedelta(days=8),
        )
        .select_related("application")
        .order_by("scheduled_at", "pk")
    )
    digest.sections = read_sections(DIGEST_SECTIONS, [user])[user.pk]
    add_next_steps({user.pk: digest})
    return digest


def digests_for(users_today: list[tuple[object, date]]) -> dict[int, Digest]:
    """`digest_for` of several people at once, {user_id: Digest}: two queries (and one per
    section provider) whatever their number. Each person's "today" is their own."""
    digests = {user.pk: Digest(today=today) for user, today in users_today}
    if not digests:
        return {}
    users = [user for user, _ in users_today]
    due = (
        FollowUp.objects.remindable()
        .filter(application__owner__in=digests, due_on__lte=max(d.today for d in digests.values()))
        .select_related("application", "contact", "interview")
        .order_by("due_on", "pk")
    )
    letters_url = _compose_base()
    for follow_up in due:
        digest = digests[follow_up.application.owner_id]
        if follow_up.due_on <= digest.today:
            _file_due(digest, follow_up, letters_url)
    windows = {}
    for user, today in users_today:
        start = _start_of(today, user)
        windows[user.pk] = (start, start + timedelta(days=8))
    interviews = (
        Interview.objects.of_open_applications()
        .filter(
            application__owner__in=digests,
            scheduled_at__gte=min(start for start, _ in windows.values()),
            scheduled_at__lt=max(end for _, end in windows.values()),
        )
        .select_related("application")
        .order_by("scheduled_at", "pk")
    )
    for interview in interviews:
        start, end = windows[interview.application.owner_id]
        if start <= interview.scheduled_at < end:
            digests[interview.application.owner_id].interviews.append(interview)
    for user_id, sections in read_sections(DIGEST_SECTIONS, users).items():
        digests[user_id].sections = sections
    add_next_steps(digests)
    return digests


def _start_of(today: date, user) -> datetime:
    return timezone.make_aware(datetime.combine(today, time.min), user.zone)


def _compose_base() -> str:
    return f"{settings.SITE_URL}{reverse('letters:new')}?follow_up="


def _file_due(digest: Digest, follow_up: FollowUp, letters_url: str) -> None:
    """Put a due follow-up in its group, with the link that writes it (`compose_url`)."""
    follow_up.compose_url = f"{letters_url}{follow_up.pk}"
    if follow_up.kind == FollowUpKind.THANK_YOU:
        digest.thank_yous.append(follow_up)
    elif follow_up.due_on < digest.today:
        digest.overdue.append(follow_up)
    else:
        digest.due_today.append(follow_up)


def add_next_steps(digests: dict[int, Digest]) -> None:
    """Give each digest (by its recipient's id) their open next steps, in one query for all."""
    steps = open_next_steps_for(list(digests))
    for user_id, digest in digests.items():
        digest.next_steps = mark_lateness(steps.get(user_id, []), digest.today)


def _headers(reminder, unsubscribe: str) -> dict:
    return {
        "Message-ID": reminder.message_id,
        # RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def _reminder_email(template: str, *, reminder, context: dict, unsubscribe: str):
    user = reminder.recipient
    context = {
        "user": user,
        "unsubscribe_url": unsubscribe,
        "preferences_url": settings.SITE_URL + reverse("reminders:preferences"),
        **context,
    }
    # Times in the email are the recipient's, as on their dashboard.
    with timezone.override(user.zone):
        return build_email(
            template, context, to=[user.email], headers=_headers(reminder, unsubscribe)
        )


def digest_email(*, reminder, digest: Digest) -> EmailMultiAlternatives:
    return _reminder_email(
        "digest",
        reminder=reminder,
        context={"digest": digest, "evening": reminder.slot == ReminderSlot.EVENING},
        unsubscribe=unsubscribe_url(reminder.recipient),
    )


# --- The coach digest -------------------------------------------------------------------------

# How far ahead the coach digest looks for interviews: the rest of today and the next 7 days.
COACH_INTERVIEW_DAYS = 7
# Items listed per client; the count says how many more there are.
COACH_ITEMS_PER_CLIENT = 10


def client_url(client) -> str:
    return settings.SITE_URL + reverse("coaching:client", args=[client.pk])


@dataclass
class ClientReport:
    client: object
    today: date
    horizon: datetime
    url: str
    overdue: list = field(default_factory=list)
    interviews: list = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return len(self.overdue)

    @property
    def overdue_shown(self) -> list:
        return self.overdue[:COACH_ITEMS_PER_CLIENT]

    @property
    def overdue_more(self) -> int:
        return max(0, len(self.overdue) - COACH_ITEMS_PER_CLIENT)

    @property
    def interviews_shown(self) -> list:
        return self.interviews[:COACH_ITEMS_PER_CLIENT]

    @property
    def interviews_more(self) -> int:
        return max(0, len(self.interviews) - COACH_ITEMS_PER_CLIENT)


@dataclass
class CoachDigest:
    clients: list = field(default_factory=list)
    # Data of the sections in COACH_DIGEST_SECTIONS, by name.
    sections: dict = field(default_factory=dict)
    # Letters of these clients waiting for the coach's review (coaching.review_queue).
    reviews_waiting: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.clients and not self.reviews_waiting

    @property
    def overdue_count(self) -> int:
        return sum(report.overdue_count for report in self.clients)

    @property
    def interview_count(self) -> int:
        return sum(len(report.interviews) for report in self.clients)


def coach_digest_for(
    coach, *, clients: list, now: datetime, sections: dict | None = None
) -> CoachDigest:
    """The clients among `clients` with overdue follow-ups or interviews coming up.

    `clients` are the people whose consent holds as the email is made; each one's "overdue" and
    "coming up" are by their own calendar. Four queries, whatever the number of clients: the
    fourth counts the letters waiting for the coach's review.
    `sections`: the coach's data of COACH_DIGEST_SECTIONS when already read for a whole batch.
    """
    if sections is None:
        sections = read_sections(COACH_DIGEST_SECTIONS, [coach])[coach.pk]
    reports = {}
    for client in clients:
        today = timezone.localtime(now, client.zone).date()
        start = timezone.make_aware(datetime.combine(today, time.min), client.zone)
        reports[client.pk] = ClientReport(
            client=client,
            today=today,
            horizon=start + timedelta(days=COACH_INTERVIEW_DAYS + 1),
            url=client_url(client),
        )
    if not reports:
        return CoachDigest(sections=sections)
    reviews_waiting = reviews_waiting_count(coach, client_ids=reports)
    latest_today = max(report.today for report in reports.values())
    overdue = (
        FollowUp.objects.still_due()
        .filter(application__owner__in=reports, due_on__lt=latest_today)
        .select_related("application", "contact")
        .order_by("due_on", "pk")
    )
    for follow_up in overdue:
        report = reports[follow_up.application.owner_id]
        if follow_up.due_on < report.today:
            report.overdue.append(follow_up)
    interviews = (
        Interview.objects.of_open_applications()
        .filter(
            application__owner__in=reports,
            scheduled_at__gte=now,
            scheduled_at__lt=max(report.horizon for report in reports.values()),
        )
        .select_related("application")
        .order_by("scheduled_at", "pk")
    )
    for interview in interviews:
        report = reports[interview.application.owner_id]
        if interview.scheduled_at < report.horizon:
            report.interviews.append(interview)
    listed = [r for r in reports.values() if r.overdue or r.interviews]
    # Who is furthest behind first: most late follow-ups, then the oldest one.
    listed.sort(
        key=lambda r: (
            -r.overdue_count,
            r.overdue[0].due_on if r.overdue else date.max,
            r.client.display_name.lower(),
            r.client.pk,
        )
    )
    return CoachDigest(clients=listed, sections=sections, reviews_waiting=reviews_waiting)


def coach_digest_email(*, reminder, report: CoachDigest) -> EmailMultiAlternatives:
    return _reminder_email(
        "coach-digest",
        reminder=reminder,
        context={
            "report": report,
            "dashboard_url": settings.SITE_URL + reverse("coaching:dashboard"),
        },
        unsubscribe=unsubscribe_url(reminder.recipient, kind=COACH),
    )
