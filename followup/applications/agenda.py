"""The agenda page's read: everything planned, overdue first, then week by week, then later."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from followup.letters.selectors import with_drafts

from .models import FollowUp

HORIZON_DAYS = 30


@dataclass
class Week:
    start: date  # a Monday
    follow_ups: list = field(default_factory=list)


@dataclass
class Agenda:
    today: date
    overdue: list = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    later: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.weeks or self.later)

    @property
    def this_week(self) -> date:
        return monday_of(self.today)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def agenda_for(user, *, viewer=None) -> Agenda:
    """`user`'s plan as `viewer` may see it, in one query; dates are `user`'s own."""
    today = user.today()
    agenda = Agenda(today=today)
    follow_ups = with_drafts(
        FollowUp.objects.visible_to(viewer or user)
        .owned_by(user)
        .still_due()
        .select_related("application", "contact", "interview")
        .order_by("due_on", "pk")
    )
    horizon = today + timedelta(days=HORIZON_DAYS)
    weeks: dict[date, Week] = {}
    for follow_up in follow_ups:
        if follow_up.due_on < today:
            agenda.overdue.append(follow_up)
        elif follow_up.due_on > horizon:
            agenda.later.append(follow_up)
        else:
            start = monday_of(follow_up.due_on)
            weeks.setdefault(start, Week(start)).follow_ups.append(follow_up)
    agenda.weeks = list(weeks.values())  # rows come in date order, so weeks do too
    return agenda
