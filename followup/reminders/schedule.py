"""When each follow-up's reminder is due, in the person's own time zone and quiet days."""

import hashlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from followup.accounts.models import CoachDigestFrequency, User
from followup.applications.models import FollowUp, FollowUpKind, FollowUpStatus

UTC = ZoneInfo("UTC")


def minute_offset(user_id: int) -> int:
    """A stable minute within the hour, so a whole population is not due at the same instant."""
    return int(hashlib.sha256(f"reminder-{user_id}".encode()).hexdigest(), 16) % 60


def slot_instant(user, day: date, hour: int) -> datetime:
    """The UTC instant of `hour`:offset on `day` where the person lives.

    In a skipped hour (spring forward) the wall time does not exist; fold=0 reads it with the
    offset from before the change, which lands just after the gap. In a repeated hour (fall back)
    fold=0 picks its first occurrence, so the digest goes once.
    """
    local = datetime.combine(day, time(hour, minute_offset(user.pk)), tzinfo=user.zone)
    return local.astimezone(UTC)


def sends_on(user, day: date) -> bool:
    if day.weekday() not in user.reminder_weekdays():
        return False
    return not (user.reminders_paused_until and day <= user.reminders_paused_until)


def next_slot(user, *, hour: int, on_or_after: date, not_before: datetime) -> datetime | None:
    """The first allowed slot at `hour` on or after `on_or_after`, not before `not_before`."""
    day = max(on_or_after, timezone.localtime(not_before, user.zone).date())
    for _ in range(400):
        if sends_on(user, day):
            instant = slot_instant(user, day, hour)
            if instant >= not_before:
                return instant
        day += timedelta(days=1)
    return None


def deliver_by(user, local_date: date) -> datetime:
    """Until when a reminder of `local_date` is still worth sending: the end of the person's
    day REMINDER_EXPIRE_AFTER_DAYS later (by default, the end of the next day)."""
    last_day = local_date + timedelta(days=settings.REMINDER_EXPIRE_AFTER_DAYS)
    return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=user.zone)


def remind_at(follow_up: FollowUp, *, now: datetime, catch_up: bool = False) -> datetime | None:
    """When to remind about `follow_up`: its due day's digest, or an evening nudge for a thank-you.

    A thank-you is due the day after the interview; when the interview ends after that day's
    digest, an evening nudge the same day still reaches the person within the window.
    """
    application = follow_up.application
    user = application.owner
    if (
        follow_up.status != FollowUpStatus.PENDING
        or application.is_closed
        or application.reminders_muted
        or user.reminders_stopped
    ):
        return None
    at = next_slot(user, hour=user.reminder_hour, on_or_after=follow_up.due_on, not_before=now)
    today = timezone.localtime(now, user.zone).date()
    if (
        catch_up
        and follow_up.due_on <= today
        and sends_on(user, today)
        and at is not None
        and timezone.localtime(at, user.zone).date() != today
    ):
        # After a change of time zone, today's digest hour may already be behind: what is due
        # today still goes today (the sweep's per-day key keeps it to one email).
        at = now
    if follow_up.kind == FollowUpKind.THANK_YOU and follow_up.interview is not None:
        interview_at = follow_up.interview.scheduled_at
        interview_day = timezone.localtime(interview_at, user.zone).date()
        evening = next_slot(
            user,
            hour=settings.REMINDER_EVENING_HOUR,
            on_or_after=interview_day,
            not_before=max(now, interview_at),
        )
        if evening is not None and (at is None or evening < at):
            at = evening
    return at


def refresh(follow_ups: QuerySet, *, now: datetime | None = None, catch_up: bool = False) -> int:
    """Recompute the reminder time of follow-ups still waiting for one; return how many changed."""
    now = now or timezone.now()
    rows = list(
        follow_ups.filter(status=FollowUpStatus.PENDING, reminder__isnull=True).select_related(
            "application__owner", "interview"
        )
    )
    changed = []
    for follow_up in rows:
        value = remind_at(follow_up, now=now, catch_up=catch_up)
        if value != follow_up.remind_at:
            follow_up.remind_at = value
            changed.append(follow_up)
    FollowUp.objects.bulk_update(changed, ["remind_at"], batch_size=500)
    return len(changed)


def refresh_for_user(user, *, now: datetime | None = None, catch_up: bool = False) -> int:
    """Reschedule everything waiting for `user` after a change of preferences or time zone: the
    follow-ups' reminders (the count returned) and, for a coach, the coach digest."""
    if user.is_coach or user.coach_digest_at is not None:
        refresh_coach_digest(user, now=now)
    return refresh(FollowUp.objects.filter(application__owner=user), now=now, catch_up=catch_up)


# --- The coach digest -------------------------------------------------------------------------


def coach_digest_wanted(user) -> bool:
    return (
        user.is_coach
        and user.is_active
        and not user.reminders_stopped
        and user.coach_digest_frequency != CoachDigestFrequency.OFF
    )


def _coach_digest_day(user, day: date) -> bool:
    if user.coach_digest_frequency == CoachDigestFrequency.WEEKLY:
        return day.weekday() == user.coach_digest_weekday
    # Daily means each of the person's digest days: their quiet days hold for this email too.
    return day.weekday() in (user.reminder_weekdays() or set(range(7)))


def next_coach_digest_at(
    user, *, now: datetime, on_or_after: date | None = None
) -> datetime | None:
    """The next instant the coach digest is due, not before `now` (nor before `on_or_after`).

    At the person's digest hour and minute offset, in their time zone; daily on their digest
    days or weekly on the chosen weekday; never during a pause. None when they get no digest:
    not a coach, digest off, or every reminder stopped.
    """
    if not coach_digest_wanted(user):
        return None
    day = timezone.localtime(now, user.zone).date()
    if on_or_after is not None:
        day = max(day, on_or_after)
    if user.reminders_paused_until and day <= user.reminders_paused_until:
        day = user.reminders_paused_until + timedelta(days=1)
    for _ in range(15):  # a week, plus today's slot having passed
        if _coach_digest_day(user, day):
            instant = slot_instant(user, day, user.reminder_hour)
            if instant >= now:
                return instant
        day += timedelta(days=1)
    return None


def refresh_coach_digest(user, *, now: datetime | None = None) -> datetime | None:
    """Recompute when `user`'s coach digest is next due, and store it.

    Safe against the sweep: if today's digest was already claimed and this lands on today again,
    the sweep finds today's Reminder (one per coach and local date) and sends nothing more.
    """
    value = next_coach_digest_at(user, now=now or timezone.now())
    User.objects.filter(pk=user.pk).update(coach_digest_at=value)
    user.coach_digest_at = value
    return value


def refresh_for_application(application, *, now: datetime | None = None) -> int:
    return refresh(FollowUp.objects.filter(application=application), now=now)
