"""Changes to who gets reminders and when; each one reschedules what is waiting."""

from datetime import date

from followup.accounts.models import CoachDigestFrequency
from followup.applications.models import Application

from .. import schedule


def reminder_preferences_update(*, user) -> None:
    # Also moves the coach digest: it follows the digest hour, days and pause.
    schedule.refresh_for_user(user)


def coach_digest_stop(*, user) -> None:
    """No more coach digests; the person's own reminders are unchanged."""
    user.coach_digest_frequency = CoachDigestFrequency.OFF
    user.save(update_fields=["coach_digest_frequency"])
    schedule.refresh_coach_digest(user)


def reminders_stop(*, user) -> None:
    user.reminders_stopped = True
    user.save(update_fields=["reminders_stopped"])
    schedule.refresh_for_user(user)


def reminders_pause(*, user, until: date) -> None:
    user.reminders_paused_until = until
    user.save(update_fields=["reminders_paused_until"])
    schedule.refresh_for_user(user)


def application_mute(*, application: Application) -> None:
    application.reminders_muted = True
    application.save(update_fields=["reminders_muted", "updated_at"])
    schedule.refresh_for_application(application)
