"""What is read about next steps and private notes: the job seeker's open steps (dashboard,
digest) and a coach's panel on a client's page."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from followup.accounts.models import User

from .models import COMMENT_LEVELS, Coaching, CoachNote, NextStep


def open_next_steps_for(user_ids: list[int]) -> dict[int, list[NextStep]]:
    """Each person's open next steps, soonest due first, in one query however many people."""
    by_client = defaultdict(list)
    steps = (
        NextStep.objects.open().filter(client__in=user_ids).select_related("set_by", "application")
    )
    for step in steps:
        by_client[step.client_id].append(step)
    return dict(by_client)


def mark_lateness(steps: list[NextStep], today: date) -> list[NextStep]:
    """Set `late` on each step, by the job seeker's `today`."""
    for step in steps:
        step.late = step.is_late(today)
    return steps


# Done steps stay on the coach's panel this long, so the coach sees what was done lately.
DONE_SHOWN_DAYS = 30


@dataclass(frozen=True)
class CoachPanel:
    """A coach's own part of a client's page: the next steps and their private notes."""

    coaching: Coaching
    today: date
    open_steps: list[NextStep]
    done_steps: list[NextStep]
    notes: list[CoachNote]
    # Setting next steps takes the "comment" level or above.
    can_set_steps: bool

    @property
    def late_count(self) -> int:
        return sum(1 for step in self.open_steps if step.late)


def coach_panel_for(coach: User, client: User) -> CoachPanel:
    """The steps and notes part of `client`'s page for `coach`, who has their consent.

    Three queries: the consent (with its level), the steps, the notes.
    """
    coaching = Coaching.objects.active().get(coach=coach, client=client)
    today = client.today()
    since = timezone.now() - timedelta(days=DONE_SHOWN_DAYS)
    steps = list(
        NextStep.objects.filter(client=client)
        .exclude(done_at__lt=since)
        .select_related("set_by", "application", "client")
    )
    mark_lateness(steps, today)
    return CoachPanel(
        coaching=coaching,
        today=today,
        open_steps=[step for step in steps if step.done_at is None],
        done_steps=sorted(
            (step for step in steps if step.done_at is not None),
            key=lambda step: step.done_at,
            reverse=True,
        ),
        notes=list(coaching.notes.all()),
        can_set_steps=coaching.level in COMMENT_LEVELS,
    )
