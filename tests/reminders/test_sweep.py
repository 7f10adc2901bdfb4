"""The sweep's own guarantees, in this process (delivery runs eagerly into Django's outbox)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import FollowUp
from followup.reminders.models import Reminder, SweepRun
from followup.reminders.services import delivery
from followup.reminders.services.sweep import (
    claim_due_follow_ups,
    release_expired_leases,
    reminders_sweep,
)
from tests.reminders.conftest import due_users

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bad_row_is_recorded_and_skipped_and_the_sweep_goes_on(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    broken, *others = due_users(3)
    User.objects.filter(pk=broken.pk).update(time_zone="Mars/Olympus_Mons")

    result = reminders_sweep()

    assert result.errors == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in others)
    # It waits an hour instead of failing every minute.
    held = FollowUp.objects.get(application__owner=broken)
    assert held.reminder is None and held.remind_at > timezone.now() + timedelta(minutes=50)
    assert SweepRun.objects.get().errors == 1


def test_repeated_sweeps_make_one_reminder_per_person(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    due_users(5)
    for _ in range(4):
        reminders_sweep()
    assert Reminder.objects.count() == 5 == len(mail.outbox)


def test_a_lease_that_expired_is_handed_back():
    due_users(1)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    reminder = Reminder.objects.get()
    reminder.status, reminder.claimed_until = "sending", timezone.now() - timedelta(seconds=1)
    reminder.save()
    assert release_expired_leases(now=timezone.now()) == 1
    reminder.refresh_from_db()
    assert reminder.status == "queued"


def test_a_batch_is_sent_over_one_smtp_session(settings, smtp_server):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # deliver in this process, by hand, below
    due_users(5)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    sessions = []
    original = smtp_server.handler.handle_DATA

    async def counting_data(server, session, envelope):
        sessions.append(id(session))
        return await original(server, session, envelope)

    smtp_server.handler.handle_DATA = counting_data
    outcomes = delivery.deliver_batch(list(Reminder.objects.values_list("pk", flat=True)))
    assert outcomes == {"sent": 5}
    assert len(set(sessions)) == 1
