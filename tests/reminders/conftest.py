import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import Application, FollowUp
from followup.reminders.services.sweep import reminders_sweep

# Short clocks for the worker subprocesses and for this process alike.
FAST = {
    "REMINDER_LEASE_SECONDS": "2",
    "REMINDER_REQUEUE_SECONDS": "2",
    "REMINDER_RETRY_BASE_SECONDS": "0.2",
    "EMAIL_TIMEOUT": "1",
    "SITE_URL": "https://followup.test",
}


@pytest.fixture
def fast_settings(settings):
    settings.REMINDER_LEASE_SECONDS = 2
    settings.REMINDER_REQUEUE_SECONDS = 2
    settings.REMINDER_RETRY_BASE_SECONDS = 0.2
    settings.EMAIL_TIMEOUT = 1
    settings.SITE_URL = "https://followup.test"
    return settings


@pytest.fixture
def reminder_worker(make_worker, fast_settings):
    return make_worker(env=FAST)


def due_users(count: int, *, remind_at=None, due_on: date | None = None, prefix="seeker"):
    """`count` job seekers, each with one open application and one follow-up already due."""
    now = timezone.now()
    users = User.objects.bulk_create(
        User(email=f"{prefix}{i}@example.com", name=f"Seeker {i}", time_zone="Europe/London")
        for i in range(count)
    )
    applications = Application.objects.bulk_create(
        Application(owner=u, organisation="Acme", position=f"Engineer {i}", status="interviewing")
        for i, u in enumerate(users)
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            application=a,
            kind="follow_up",
            step=1,
            due_on=due_on or now.date() - timedelta(days=1),
            remind_at=remind_at or now - timedelta(minutes=5),
        )
        for a in applications
    )
    return users


def sweep_until(condition, *, timeout: float = 30, every: float = 0.3, now=None):
    """Run the sweep in this process, as beat would, until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        reminders_sweep(now=now() if callable(now) else now)
        time.sleep(every)


def wait_until(condition, timeout: float = 30.0):
    """Wait, without sweeping, until `condition()` holds: the worker records an email as sent
    (or failed) only after the SMTP server has it, so seeing the message is not seeing the row."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.2)


def concurrent_sweeps(count: int = 2) -> list:
    """Run `count` sweeps at the same moment, each on its own database connection."""
    import threading

    from django.db import connection

    results = []

    def sweep():
        results.append(reminders_sweep())
        connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
