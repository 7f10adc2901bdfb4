"""Filters for showing the follow-up plan: how late a row is, where Snooze would move it."""

from datetime import date, timedelta

from django import template

from followup.applications import services
from followup.applications.models import FollowUp

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
