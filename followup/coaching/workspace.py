"""A client's workspace, as their coach sees it: pipeline, plan, letters and drafts, interviews.

Everything is read through the access rule as the coach (`visible_to(coach)`), and every time
on the page is shown in the client's zone: the interview at 09:00 is 09:00 where the client
is, whatever the coach's own zone.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import CLOSED_STATUSES, Application, Status
from followup.applications.selectors import Dashboard, plan_for
from followup.core.access import editable_owner_ids
from followup.interviews.models import Interview
from followup.letters.models import Letter

# Interviews held this many days back are still worth a look (thank-yous, notes).
RECENT_INTERVIEW_DAYS = 30
# Sent letters listed, latest first; drafts are all listed.
SENT_LETTERS_SHOWN = 10


@dataclass(frozen=True)
class StatusGroup:
    """The client's applications at one status of the pipeline."""

    status: str
    label: str
    applications: list[Application] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@dataclass(frozen=True)
class ClientWorkspace:
    """What the coach's page about one client shows."""

    client: User
    # The plan: overdue, due today and the next 7 days, by the client's today.
    plan: Dashboard
    pipeline: list[StatusGroup]
    drafts: list[Letter]
    sent: list[Letter]
    upcoming_interviews: list[Interview]
    recent_interviews: list[Interview]
    # An edit-level coach gets the plan rows' Done, Skip and Snooze; below it, they only read.
    can_act: bool

    @property
    def open_count(self) -> int:
        return sum(len(group.applications) for group in self.pipeline if not group.closed)


def _pipeline(coach: User, client: User) -> list[StatusGroup]:
    applications = (
        Application.objects.visible_to(coach)
        .owned_by(client)
        .select_related("created_by")
        .only(
            "position",
            "organisation",
            "status",
            "updated_at",
            "owner_id",
            "created_by__name",
            "created_by__email",
        )
        .order_by("-updated_at", "-pk")
    )
    groups = {value: StatusGroup(value, label) for value, label in Status.choices}
    for application in applications:
        groups[application.status].applications.append(application)
    return list(groups.values())


def _letters(coach: User, client: User):
    letters = (
        Letter.objects.visible_to(coach)
        .owned_by(client)
        .select_related("application", "contact")
        .only(
            "kind",
            "subject",
            "sent_on",
            "updated_at",
            "review_requested_at",
            "reviewed_at",
            "application__position",
            "application__organisation",
            "application__owner_id",
            "contact__name",
        )
    )
    drafts = list(letters.drafts().order_by("-updated_at", "-pk"))
    sent = list(letters.sent().order_by("-sent_on", "-pk")[:SENT_LETTERS_SHOWN])
    return drafts, sent


def _interviews(coach: User, client: User):
    now = timezone.now()
    interviews = (
        Interview.objects.visible_to(coach)
        .owned_by(client)
        .filter(scheduled_at__gte=now - timedelta(days=RECENT_INTERVIEW_DAYS))
        .select_related("application")
        .order_by("scheduled_at", "pk")
    )
    upcoming, recent = [], []
    for interview in interviews:
        (upcoming if interview.scheduled_at >= now else recent).append(interview)
    return upcoming, recent[::-1]


def client_workspace(*, coach: User, client: User) -> ClientWorkspace:
    """The workspace of `client` as `coach` sees it, in a fixed number of queries."""
    drafts, sent = _letters(coach, client)
    upcoming, recent = _interviews(coach, client)
    return ClientWorkspace(
        client=client,
        plan=plan_for(client, viewer=coach),
        pipeline=_pipeline(coach, client),
        drafts=drafts,
        sent=sent,
        upcoming_interviews=upcoming,
        recent_interviews=recent,
        can_act=client.pk in editable_owner_ids(coach),
    )
