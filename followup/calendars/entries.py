"""What a calendar shows: one entry per interview and per follow-up, read from the database.

An entry's UID never changes (`interview-<id>@<host>`, `follow-up-<id>@<host>`), and its
SEQUENCE is the sum of two revision counters (the row's and its application's, see
`core.models.Revised`): each only grows, so the sum grows with every change either makes to
what the entry shows, which is what tells a calendar app that its copy is stale.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import FollowUp, FollowUpKind, FollowUpStatus
from followup.coaching.models import Coaching
from followup.interviews.models import Interview, Interviewer, InterviewKind

# Interviews have no end time; an hour is what most last, and what a calendar should block.
INTERVIEW_LENGTH = timedelta(hours=1)
# A cancelled entry stays this long after it was cancelled, then leaves the feed. Calendar apps
# read a subscribed feed every few hours to every few days, and one that sees the entry
# cancelled removes or strikes it; one that missed it (a laptop closed for a holiday) still
# drops it once it is gone from the feed. A month covers the long gaps without keeping every
# plan ever dropped.
CANCELLED_KEEP = timedelta(days=30)
# Entries older than this are left out, so the feed stays small: apps re-read it whole.
PAST_KEPT = timedelta(days=90)

CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Entry:
    """One event as a calendar app sees it."""

    uid: str
    sequence: int
    stamp: datetime
    created: datetime
    status: str
    summary: str
    start: datetime | date
    end: datetime | date
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = field(default=())


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "followup.localhost"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _is_link(text: str) -> bool:
    return text.startswith(("https://", "http://"))


def interview_entry(interview: Interview, *, client: User | None = None) -> Entry:
    """The interview's entry; `client` names whose interview it is, in a coach's calendar.

    Expects `interview.application` and `interview.interviewers` (with their contacts) loaded.
    """
    application = interview.application
    what = f"{interview.get_kind_display()} interview"
    if interview.round > 1:
        what += f", round {interview.round}"
    summary = f"{what}: {application.position} at {application.organisation}"
    if client is not None:
        summary = f"{client.display_name} · {summary}"
    people = [
        f"{seat.contact.name} ({seat.contact.role})" if seat.contact.role else seat.contact.name
        for seat in interview.interviewers.all()
    ]
    page = _absolute(interview.get_absolute_url())
    lines = []
    if people:
        lines.append("With: " + ", ".join(people))
    link = interview.location if _is_link(interview.location) else ""
    if link:
        lines.append(f"Join: {link}")
    elif interview.kind == InterviewKind.VIDEO and not interview.location:
        lines.append("No video link recorded yet.")
    if application.is_closed:
        lines.append(f"The application is closed ({application.get_status_display().lower()}).")
    lines.append(f"In followup: {page}")
    return Entry(
        uid=f"interview-{interview.pk}@{_host()}",
        sequence=interview.revision + application.revision,
        stamp=max(interview.revised_at, application.revised_at),
        created=interview.created_at,
        status=CANCELLED if application.is_closed else CONFIRMED,
        summary=summary,
        start=interview.scheduled_at,
        end=interview.scheduled_at + INTERVIEW_LENGTH,
        description="\n".join(lines),
        location=interview.location,
        url=link or page,
        categories=("Interview",),
    )


def composer_url(follow_up: FollowUp) -> str:
    """Where the letter for `follow_up` is written: its draft, or a new one (as in reminders)."""
    return _absolute(f"{reverse('letters:new')}?follow_up={follow_up.pk}")


def follow_up_entry(follow_up: FollowUp) -> Entry:
    """The follow-up's all-day entry on its due day. Expects `application` and `contact` loaded."""
    application = follow_up.application
    to = follow_up.contact.name if follow_up.contact else ""
    if follow_up.kind == FollowUpKind.THANK_YOU:
        what = f"Thank-you letter to {to}" if to else "Thank-you letter"
    else:
        what = f"Follow up with {to}" if to else "Follow up"
    summary = f"{what}: {application.position} at {application.organisation}"
    cancelled = follow_up.status in (FollowUpStatus.SKIPPED, FollowUpStatus.CANCELLED) or (
        follow_up.status == FollowUpStatus.PENDING and application.is_closed
    )
    url = _absolute(application.get_absolute_url())
    if follow_up.status == FollowUpStatus.DONE:
        summary = f"Done: {summary}"
        description = f"Done. The application: {url}"
    elif cancelled:
        description = f"No longer planned ({follow_up.get_status_display().lower()})."
    else:
        url = composer_url(follow_up)
        description = f"Write it: {url}"
    return Entry(
        uid=f"follow-up-{follow_up.pk}@{_host()}",
        sequence=follow_up.revision + application.revision,
        stamp=max(follow_up.revised_at, application.revised_at),
        created=follow_up.created_at,
        status=CANCELLED if cancelled else CONFIRMED,
        summary=summary,
        start=follow_up.due_on,
        end=follow_up.due_on + timedelta(days=1),
        description=description,
        url=url,
        categories=("Follow-up",),
    )


def interviews_with_panel():
    return Interview.objects.select_related("application").prefetch_related(
        Prefetch(
            "interviewers",
            queryset=Interviewer.objects.select_related("contact").order_by("pk"),
        )
    )


def _kept(entry: Entry, now: datetime) -> bool:
    return entry.status != CANCELLED or entry.stamp >= now - CANCELLED_KEEP


def sharing_client_ids(coach: User) -> list[int]:
    """The clients whose active consent lets `coach`'s calendar show their interviews."""
    return list(
        Coaching.objects.active()
        .filter(coach=coach, calendar_shared=True)
        .values_list("client_id", flat=True)
    )


def feed_entries(owner: User, *, now: datetime | None = None) -> list[Entry]:
    """Everything `owner`'s feed shows: their interviews and follow-ups, and the interviews of
    clients who share them with their calendar."""
    now = now or timezone.now()
    since = now - PAST_KEPT
    interviews = interviews_with_panel().owned_by(owner).filter(scheduled_at__gte=since)
    follow_ups = (
        FollowUp.objects.owned_by(owner)
        .filter(due_on__gte=timezone.localdate(since, owner.zone))
        .select_related("application", "contact")
    )
    entries = [interview_entry(interview) for interview in interviews]
    entries += [follow_up_entry(follow_up) for follow_up in follow_ups]
    client_ids = sharing_client_ids(owner)
    if client_ids:
        shared = (
            interviews_with_panel()
            .select_related("application__owner")
            .filter(application__owner__in=client_ids, scheduled_at__gte=since)
        )
        entries += [
            interview_entry(interview, client=interview.application.owner) for interview in shared
        ]
    return [entry for entry in entries if _kept(entry, now)]
