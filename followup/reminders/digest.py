"""What a reminder email says, built from the rows it covers and the recipient's pipeline."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import FollowUp, FollowUpKind
from followup.coaching.next_steps import mark_lateness, open_next_steps_for
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
    return f"{settings.SITE_URL}{reverse('letters:new')}?follow_up={follow_up.pk}"


@dataclass
class Digest:
    today: date
    thank_yous: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    # What the job seeker's coach asked them to do next (`open_next_steps_for`).
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
    for follow_up in due:
        follow_up.compose_url = compose_url(follow_up)
        if follow_up.kind == FollowUpKind.THANK_YOU:
            digest.thank_yous.append(follow_up)
        elif follow_up.due_on < today:
            digest.overdue.append(follow_up)
        else:
            digest.due_today.append(follow_up)
    start = timezone.make_aware(datetime.combine(today, time.min), user.zone)
    digest.interviews = list(
        Interview.objects.of_open_applications()
        .filter(
            application__owner=user,
            scheduled_at__gte=start,
            scheduled_at__lt=start + timedelta(days=8),
        )
        .select_related("application")
        .order_by("scheduled_at")
    )
    add_next_steps({user.pk: digest})
    return digest


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

    @property
    def overdue_count(self) -> int:
        return sum(report.overdue_count for report in self.clients)

    @property
    def interview_count(self) -> int:
        return sum(len(report.interviews) for report in self.clients)


def coach_digest_for(coach, *, clients: list, now: datetime) -> CoachDigest:
    """The clients among `clients` with overdue follow-ups or interviews coming up.

    `clients` are the people whose consent holds as the email is made; each one's "overdue" and
    "coming up" are by their own calendar. Three queries, whatever the number of clients.
    """
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
        return CoachDigest()
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
    return CoachDigest(clients=listed)


def coach_digest_email(*, reminder, report: CoachDigest) -> EmailMultiAlternatives:
    return _reminder_email(
        "coach-digest",
        reminder=reminder,
        context={"report": report},
        unsubscribe=unsubscribe_url(reminder.recipient, kind=COACH),
    )
