"""Whether the reminder pipeline works: beat sweeping, workers taking, the mail server taking.

/health/ answers from `pipeline_health`.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings

from followup.accounts.models import User
from followup.applications.models import FollowUp
from followup.core.models import Heartbeat

from .models import Reminder, ReminderStatus, SweepRun


@dataclass
class Health:
    problems: list[str] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return not self.problems


def pipeline_health(*, now: datetime) -> Health:
    """What /health/ reports: the problems (none means healthy) and the figures behind them."""
    health = Health()
    sweep = SweepRun.objects.order_by("-started_at").first()
    _check_sweep(health, sweep, now=now)
    _check_reminders(health, now=now)
    beat = Heartbeat.objects.filter(name="beat").first()
    oldest = _oldest_unclaimed(now)
    health.details |= {
        "last_beat": beat.last_seen.isoformat() if beat else None,
        "last_sweep": _sweep_details(sweep) if sweep else None,
        "queued": Reminder.objects.pending().count(),
        "failed": _given_up_since(ReminderStatus.FAILED, now - timedelta(days=1)),
        "expired": _given_up_since(ReminderStatus.EXPIRED, now - timedelta(days=1)),
        "oldest_overdue": oldest.isoformat() if oldest else None,
    }
    return health


def _check_sweep(health: Health, sweep: SweepRun | None, *, now: datetime) -> None:
    stale_after = settings.HEALTH_SWEEP_STALE_SECONDS
    if sweep is None:
        health.problems.append("no sweep has run yet")
    elif now - sweep.started_at > timedelta(seconds=stale_after):
        age = int((now - sweep.started_at).total_seconds())
        health.problems.append(f"the last sweep started {age} s ago (limit {stale_after} s)")


def _check_reminders(health: Health, *, now: datetime) -> None:
    """Reminders waiting too long: held back by a failing mail server, or taken by no worker."""
    threshold = settings.HEALTH_REMINDER_OVERDUE_SECONDS
    overdue = Reminder.objects.overdue(since=now - timedelta(seconds=threshold))
    count = overdue.count()
    held = overdue.filter(server_failures__gt=0).order_by("-next_attempt_at").first()
    health.details["overdue_reminders"] = count
    health.details["last_server_error"] = held.last_error if held else None
    if not count:
        return
    waiting = f"{count} reminder{'s' if count != 1 else ''} waiting more than {_span(threshold)}"
    if held is not None:
        health.problems.append(f"{waiting}; the mail server is failing: {held.last_error}")
    else:
        health.problems.append(f"{waiting}, taken by no worker")


def _span(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def _given_up_since(status: str, since: datetime) -> int:
    return Reminder.objects.filter(status=status, created_at__gte=since).count()


def _oldest_unclaimed(now: datetime) -> datetime | None:
    """The earliest due time nothing has claimed yet, follow-ups and coach digests alike."""
    times = [
        FollowUp.objects.unclaimed_due(now)
        .order_by("remind_at")
        .values_list("remind_at", flat=True)
        .first(),
        User.objects.filter(coach_digest_at__lte=now)
        .order_by("coach_digest_at")
        .values_list("coach_digest_at", flat=True)
        .first(),
    ]
    return min((t for t in times if t is not None), default=None)


def _sweep_details(sweep: SweepRun) -> dict:
    return {
        "started_at": sweep.started_at.isoformat(),
        "finished_at": sweep.finished_at.isoformat() if sweep.finished_at else None,
        "claimed_follow_ups": sweep.claimed_follow_ups,
        "new_reminders": sweep.new_reminders,
        "enqueued": sweep.enqueued,
        "expired_leases": sweep.expired_leases,
        "expired_reminders": sweep.expired_reminders,
        "errors": sweep.errors,
    }
