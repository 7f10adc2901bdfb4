"""When the mail server fails, and when a message does: who pays for it, and what is never lost.

Delivery runs here, in this process, against the real SMTP server fixture; the end-to-end outage
with a worker process is in test_delivery.py.
"""

import importlib
from datetime import datetime, time, timedelta

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.utils import timezone

from followup.applications.models import FollowUp
from followup.reminders import schedule
from followup.reminders.models import Reminder
from followup.reminders.services import delivery
from followup.reminders.services.sweep import claim_due_follow_ups, reminders_sweep
from tests.reminders.conftest import due_users
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


def claimed(count: int) -> list[int]:
    """`count` job seekers with a due follow-up, claimed into reminders not yet sent."""
    users = due_users(count)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == len(users)
    return ids


def sweep_at_its_time(follow_up: FollowUp, capture) -> None:
    """Sweep when the follow-up's reminder is due, delivering in this process, until a reminder
    takes it (a second sweep if its first time fell in a slot already used)."""
    for _ in range(2):
        with capture(execute=True):
            reminders_sweep(now=follow_up.remind_at)
        follow_up.refresh_from_db()
        if follow_up.reminder is not None:
            return


def assert_held_back_without_attempts(error: str, *, since):
    for reminder in Reminder.objects.all():
        assert (reminder.status, reminder.attempts, reminder.server_failures) == ("queued", 0, 1)
        assert reminder.next_attempt_at > since
        assert error in reminder.last_error


def test_a_refused_connection_holds_the_batch_back_without_spending_attempts(smtp_server, settings):
    ids = claimed(3)
    settings.EMAIL_PORT = free_port()  # nothing listens there
    before = timezone.now()

    assert delivery.deliver_batch(ids) == {"server failed": 1, "held back": 2}
    assert_held_back_without_attempts("ConnectionRefusedError", since=before)


def refuse_mail_from_once():
    """A MAIL FROM hook that answers 451 the first time, then accepts."""
    refused = []

    async def handle_MAIL(server, session, envelope, address, mail_options):
        if not refused:
            refused.append(address)
            return "451 4.3.0 Sender temporarily rejected"
        envelope.mail_from = address
        return "250 OK"

    return handle_MAIL


@pytest.mark.parametrize("where", ["421 at DATA", "421 at RCPT", "451 at MAIL FROM", "login"])
def test_failures_of_the_server_hold_the_batch_back_without_spending_attempts(
    smtp_server, settings, where
):
    ids = claimed(3)
    first = Reminder.objects.get(pk=ids[0]).recipient.email
    handler = smtp_server.handler
    if where == "421 at DATA":
        handler.refusals = ["421 4.3.2 Service shutting down"]
    elif where == "421 at RCPT":
        handler.rcpt_refusals = {first: "421 4.3.2 Service shutting down"}
    elif where == "451 at MAIL FROM":
        handler.handle_MAIL = refuse_mail_from_once()
    else:  # the server offers no AUTH: the login fails however often it is tried
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "reminders", "secret"
    before = timezone.now()

    assert delivery.deliver_batch(ids) == {"server failed": 1, "held back": 2}
    assert_held_back_without_attempts("", since=before)
    assert smtp_server.messages == []


def test_a_4xx_for_one_message_spends_its_attempt_and_the_others_go(smtp_server):
    ids = claimed(3)
    busy = Reminder.objects.get(pk=ids[0]).recipient.email
    smtp_server.handler.rcpt_refusals = {busy: "450 4.2.1 Mailbox busy"}

    assert delivery.deliver_batch(ids) == {"retry": 1, "sent": 2}
    retried = Reminder.objects.get(pk=ids[0])
    assert (retried.status, retried.attempts, retried.server_failures) == ("queued", 1, 0)


@pytest.mark.parametrize("how", ["554 at DATA", "out of attempts"])
def test_a_reminder_that_fails_releases_its_follow_up_to_the_next_digest(
    smtp_server, settings, how, django_capture_on_commit_callbacks
):
    [reminder_id] = claimed(1)
    user = Reminder.objects.get().recipient
    if how == "554 at DATA":
        smtp_server.handler.refusals = ["554 5.6.0 Message rejected"]
    else:
        settings.REMINDER_MAX_ATTEMPTS = 1
        smtp_server.handler.rcpt_refusals = {user.email: "450 4.2.1 Mailbox busy"}
    failed_at = timezone.now()

    delivery.deliver_batch([reminder_id])
    assert Reminder.objects.get().status == "failed"
    follow_up = FollowUp.objects.get()
    assert follow_up.reminder is None
    assert follow_up.remind_at >= failed_at  # the next digest, not lost and not at once

    smtp_server.handler.refusals, smtp_server.handler.rcpt_refusals = [], {}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    sweep_at_its_time(follow_up, django_capture_on_commit_callbacks)
    assert follow_up.reminder is not None and follow_up.reminder.pk != reminder_id
    assert [m.recipients for m in smtp_server.wait_for(1)] == [[user.email]]


def test_a_digest_not_delivered_by_the_end_of_the_next_day_expires_and_the_next_covers_it(
    settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # claimed and enqueued, never delivered
    [user] = due_users(1)
    reminders_sweep()
    reminder = Reminder.objects.get()
    end_of_next_day = datetime.combine(reminder.local_date + timedelta(days=2), time(), user.zone)
    assert reminder.deliver_by == end_of_next_day

    reminders_sweep(now=end_of_next_day - timedelta(seconds=1))
    assert Reminder.objects.get().status == "queued"
    later = end_of_next_day + timedelta(seconds=1)
    result = reminders_sweep(now=later)
    reminder.refresh_from_db()
    assert (reminder.status, result.expired_reminders) == ("expired", 1)
    follow_up = FollowUp.objects.get()
    assert follow_up.reminder is None and follow_up.remind_at >= later

    settings.CELERY_TASK_ALWAYS_EAGER = True
    sweep_at_its_time(follow_up, django_capture_on_commit_callbacks)
    assert follow_up.reminder.local_date > reminder.local_date
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_the_migration_gives_deadlines_and_frees_what_failed_reminders_held():
    """Before deadlines and releases, a failed reminder kept its follow-ups for good."""
    migration = importlib.import_module(
        "followup.reminders.migrations.0004_delivery_deadline_and_server_failures"
    )
    stuck, waiting = due_users(2)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    Reminder.objects.update(deliver_by=None)
    Reminder.objects.filter(recipient=stuck).update(status="failed")

    migration.fill_deadlines_and_free_held_follow_ups(django_apps, None)

    assert FollowUp.objects.get(application__owner=stuck).reminder is None
    assert FollowUp.objects.get(application__owner=waiting).reminder is not None
    pending = Reminder.objects.get(recipient=waiting)
    assert pending.deliver_by == schedule.deliver_by(waiting, pending.local_date)


def test_a_digest_held_by_a_pause_leaves_its_follow_up_for_the_first_digest_after_it(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    """Claimed before the person paused, sent during the pause: suppressed, and not the end of
    the follow-up; it is reminded on the first digest after the pause."""
    [reminder_id] = claimed(1)
    user = Reminder.objects.get().recipient
    user.reminders_paused_until = user.today() + timedelta(days=3)
    user.save(update_fields=["reminders_paused_until"])

    assert delivery.deliver_batch([reminder_id]) == {"suppressed": 1}
    follow_up = FollowUp.objects.get()
    assert follow_up.reminder is None
    assert timezone.localtime(follow_up.remind_at, user.zone).date() > user.reminders_paused_until

    # The pause is over by then; delivery reads the clock, not the sweep's `now`.
    user.reminders_paused_until = user.today() - timedelta(days=1)
    user.save(update_fields=["reminders_paused_until"])
    settings.CELERY_TASK_ALWAYS_EAGER = True
    sweep_at_its_time(follow_up, django_capture_on_commit_callbacks)
    assert follow_up.reminder is not None and follow_up.reminder.pk != reminder_id
    assert [m.recipients for m in smtp_server.wait_for(1)] == [[user.email]]
