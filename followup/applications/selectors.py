"""The dashboard: due and overdue work, the pipeline, upcoming interviews, activity.

The job seeker's home page shows it, and so does a client's page for their coach.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from followup.interviews.models import Interview
from followup.letters.selectors import with_drafts

from .models import (
    Application,
    ApplicationEvent,
    FollowUp,
    Status,
)

HORIZON_DAYS = 7


@dataclass
class Dashboard:
    today: date
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    pipeline: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    activity: list = field(default_factory=list)

    @property
    def has_anything(self) -> bool:
        return any(count for _, _, count in self.pipeline)


def plan_for(user, *, viewer=None) -> Dashboard:
    """The dashboard's plan alone: what is overdue, due today and in the next HORIZON_DAYS days
    by `user`'s today, each with its draft if one is started; one query."""
    viewer = viewer or user
    today = user.today()
    board = Dashboard(today=today)
    follow_ups = with_drafts(
        FollowUp.objects.visible_to(viewer)
        .owned_by(user)
        .still_due()
        .filter(due_on__lte=today + timedelta(HORIZON_DAYS))
        .select_related("application", "contact", "interview")
        .order_by("due_on", "pk")
    )
    for follow_up in follow_ups:
        if follow_up.due_on < today:
            board.overdue.append(follow_up)
        elif follow_up.due_on == today:
            board.due_today.append(follow_up)
        else:
            board.upcoming.append(follow_up)
    return board


def dashboard_for(user, *, viewer=None) -> Dashboard:
    """The dashboard of `user`'s own job search, as `viewer` (they, or their coach) sees it."""
    viewer = viewer or user
    board = plan_for(user, viewer=viewer)
    today = board.today

    counts = dict(
        Application.objects.visible_to(viewer)
        .owned_by(user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    board.pipeline = [(value, label, counts.get(value, 0)) for value, label in Status.choices]

    start_of_today = timezone.make_aware(datetime.combine(today, time.min), user.zone)
    board.interviews = list(
        Interview.objects.visible_to(viewer)
        .owned_by(user)
        .filter(
            scheduled_at__gte=start_of_today,
            scheduled_at__lt=start_of_today + timedelta(days=HORIZON_DAYS + 1),
        )
        # Who recorded each, joined: an interview a coach added says so.
        .select_related("application", "created_by")
        .order_by("scheduled_at")[:10]
    )
    board.activity = list(
        ApplicationEvent.objects.visible_to(viewer)
        .owned_by(user)
        # An application a coach added says so where its "created" line is.
        .select_related("application__created_by")[:10]
    )
    return board
