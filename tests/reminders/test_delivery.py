"""The reminder promise end to end: real beat, sweep, worker process, Redis and SMTP server."""

import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from followup.applications import services as app_services
from followup.applications.models import FollowUp
from followup.reminders.models import Reminder, SuppressedAddress, SweepRun
from followup.reminders.services.sweep import reminders_sweep
from tests.reminders.conftest import FAST, concurrent_sweeps, due_users, sweep_until, wait_until
from tests.smtp import SilentServer

pytestmark = pytest.mark.worker


def test_a_due_follow_up_makes_exactly_one_digest_through_beat(smtp_server, make_worker):
    [user] = due_users(1)
    follow_up = FollowUp.objects.get()
    make_worker(beat=True, env=FAST | {"REMINDER_SWEEP_SECONDS": "0.5"})

    [message] = smtp_server.wait_for(1, timeout=30)
    assert message.recipients == [user.email]
    assert message.subject == "1 follow-up to write"
    compose = f"https://followup.test/letters/new/?follow_up={follow_up.pk}"
    assert compose in message.text() and compose in message.html()
    unsubscribe = str(message.message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<https://followup.test/reminders/unsubscribe/")
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    reminder = Reminder.objects.get()
    assert message.message["Message-ID"] == reminder.message_id

    time.sleep(3)  # six more sweeps
    assert len(smtp_server.messages) == 1
    wait_until(lambda: Reminder.objects.get().status == "sent")
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 1)


def test_a_second_beat_doubles_the_sweeps_not_the_emails(smtp_server, make_worker, fast_settings):
    """docker-compose.yml runs one beat; a second by mistake must not mail anyone twice."""
    fast = FAST | {"REMINDER_SWEEP_SECONDS": "0.5"}
    first = due_users(20, prefix="early")
    make_worker(beat=True, env=fast)
    make_worker(beat=True, env=fast)
    smtp_server.wait_for(20, timeout=60)
    later = due_users(20, prefix="late", remind_at=timezone.now())  # claimed under both beats

    smtp_server.wait_for(40, timeout=60)
    time.sleep(3)  # a dozen more sweeps from the two beats
    recipients = sorted(m.recipients[0] for m in smtp_server.messages)
    assert recipients == sorted(u.email for u in first + later)
    print(f"{SweepRun.objects.count()} sweeps, {len(recipients)} emails")


def test_two_sweeps_at_once_over_1000_due_users_send_1000_emails(
    smtp_server, reminder_worker, settings
):
    due_users(1000)
    results = concurrent_sweeps(2)

    assert sum(r.claimed_follow_ups for r in results) == 1000
    assert sum(r.new_reminders for r in results) == 1000
    smtp_server.wait_for(1000, timeout=120)
    time.sleep(1)
    recipients = [m.recipients[0] for m in smtp_server.messages]
    assert len(recipients) == 1000 == len(set(recipients))


def test_refused_twice_with_451_then_delivered_once_after_three_attempts(
    smtp_server, reminder_worker
):
    due_users(1)
    smtp_server.handler.refusals = ["451 4.3.0 Try again later", "451 4.3.0 Try again later"]

    sweep_until(lambda: smtp_server.messages)
    time.sleep(1)
    wait_until(lambda: Reminder.objects.get().status == "sent")
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == ("sent", 3)
    assert len(smtp_server.messages) == 1


def test_nothing_is_lost_while_the_mail_server_is_down(smtp_server, reminder_worker):
    due_users(3)
    smtp_server.stop()
    sweep_until(lambda: Reminder.objects.filter(server_failures__gte=2).count() == 3)
    assert Reminder.objects.filter(status="sent").count() == 0
    # The server's failures spend none of the messages' attempts.
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {0}
    assert "ConnectionRefusedError" in Reminder.objects.first().last_error

    smtp_server.restart()
    sweep_until(lambda: len(smtp_server.messages) == 3)
    assert Reminder.objects.filter(status="sent").count() == 3


def test_an_outage_longer_than_the_retry_budget_loses_nothing(
    smtp_server, make_worker, fast_settings, client
):
    """Three attempts, the first retry after about 1 s: the old budget ran out after about 5 s
    of a refused server, and the reminders were marked failed for good. Down for 15 s, then up:
    every reminder arrives, once, and /health/ said so meanwhile."""
    budget = {
        "REMINDER_RETRY_BASE_SECONDS": "1",
        "REMINDER_MAX_ATTEMPTS": "3",
        "REMINDER_SERVER_RETRY_MAX_SECONDS": "2",
    }
    for name, value in budget.items():
        setattr(fast_settings, name, float(value))
    fast_settings.HEALTH_REMINDER_OVERDUE_SECONDS = 5
    users = due_users(3)
    smtp_server.stop()
    make_worker(env=FAST | budget)

    back_at = time.monotonic() + 15
    sweep_until(lambda: time.monotonic() > back_at)
    waiting = Reminder.objects.filter(status="queued", attempts=0, server_failures__gte=3)
    assert waiting.count() == 3, list(Reminder.objects.values("status", "attempts", "last_error"))
    assert client.get("/health/").status_code == 503

    smtp_server.restart()
    restarted = time.monotonic()
    sweep_until(lambda: len(smtp_server.messages) == 3)
    print(f"delivered {time.monotonic() - restarted:.1f} s after the server came back")
    time.sleep(2)
    reminders_sweep()
    time.sleep(1)
    assert sorted(m.recipients[0] for m in smtp_server.messages) == sorted(u.email for u in users)
    wait_until(lambda: Reminder.objects.filter(status="sent", attempts=1).count() == 3)
    assert client.get("/health/").status_code == 200


def test_a_server_that_never_answers_fails_within_the_timeout(make_worker, fast_settings):
    silent = SilentServer().start()
    try:
        due_users(2)
        make_worker(env=FAST | {"EMAIL_URL": silent.url})
        started = time.monotonic()
        reminders_sweep()
        while Reminder.objects.filter(server_failures=1, status="queued").count() < 2:
            assert time.monotonic() - started < 15
            time.sleep(0.1)
        elapsed = time.monotonic() - started
    finally:
        silent.stop()
    # One connection, given up after EMAIL_TIMEOUT (1 s), holds the whole batch back: the worker
    # does not wait on the silent server once per message.
    assert elapsed < 6
    assert all("timed out" in r.last_error for r in Reminder.objects.all())


def test_a_permanent_refusal_suppresses_the_address_without_retrying(smtp_server, reminder_worker):
    [bad, good] = due_users(2)
    smtp_server.handler.rcpt_refusals = {bad.email: "550 5.1.1 No such user"}

    sweep_until(lambda: smtp_server.messages and Reminder.objects.filter(status="suppressed"))
    refused = Reminder.objects.get(recipient=bad)
    assert (refused.status, refused.attempts) == ("suppressed", 1)
    assert SuppressedAddress.objects.filter(email=bad.email).exists()
    assert smtp_server.messages[0].recipients == [good.email]


def test_a_broken_row_is_recorded_and_the_others_still_go(smtp_server, reminder_worker):
    broken, *others = due_users(3)
    type(broken).objects.filter(pk=broken.pk).update(email="broken@@example..com\n")

    sweep_until(lambda: len(smtp_server.messages) == 2)
    wait_until(lambda: Reminder.objects.get(recipient=broken).status not in {"queued", "sending"})
    assert Reminder.objects.get(recipient=broken).status == "failed"


def test_worker_killed_mid_batch_then_restarted_delivers_everything(
    smtp_server, make_worker, fast_settings
):
    users = due_users(200)
    first = make_worker(env=FAST | {"REMINDER_SEND_BATCH": "200"})
    reminders_sweep()
    smtp_server.wait_for(20, timeout=60)
    first.kill()
    delivered_before_kill = len(smtp_server.messages)
    assert delivered_before_kill < 200

    make_worker(env=FAST)
    sweep_until(lambda: len({m.recipients[0] for m in smtp_server.messages}) == 200, timeout=90)
    time.sleep(1)
    per_user = [len(smtp_server.to(u.email)) for u in users]
    duplicates = sum(n - 1 for n in per_user)
    # Only the email in flight at the kill (accepted, not yet recorded) may go twice.
    assert min(per_user) == 1 and duplicates <= 1


def test_work_queued_in_redis_survives_a_flush(smtp_server, make_worker, fast_settings):
    due_users(5)
    reminders_sweep()  # enqueued, but no worker is running yet
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    assert broker.llen(make_worker.queue) == 1  # one batch of five
    broker.flushdb()

    make_worker(env=FAST)
    interval = 1.0
    started = time.monotonic()
    sweep_until(lambda: len(smtp_server.messages) == 5, every=interval, timeout=30)
    # Requeued after REMINDER_REQUEUE_SECONDS (2 s = two sweep intervals here), then sent.
    assert time.monotonic() - started <= 2 * interval + settings.REMINDER_REQUEUE_SECONDS + 2


def test_hired_between_claim_and_send_means_no_email_now_or_later(
    smtp_server, make_worker, fast_settings, owner
):
    [user] = due_users(1)
    reminders_sweep()  # claimed and enqueued; no worker has taken it yet
    assert Reminder.objects.get().status == "queued"
    application = FollowUp.objects.get().application
    app_services.application_set_status(application=application, status="hired", today=user.today())

    make_worker(env=FAST)
    sweep_until(lambda: Reminder.objects.get().status != "queued")
    time.sleep(2)
    reminders_sweep()
    time.sleep(1)
    assert smtp_server.messages == []
    assert Reminder.objects.get().status == "suppressed"


def test_three_days_of_downtime_make_one_catch_up_digest_per_user(smtp_server, reminder_worker):
    now = timezone.now()
    users = due_users(4, remind_at=now - timedelta(days=3))
    for user in users:  # one more follow-up due on each missed day
        application = user.applications.get()
        for days in (2, 1):
            FollowUp.objects.create(
                application=application,
                kind="follow_up",
                step=1,
                due_on=(now - timedelta(days=days)).date(),
                remind_at=now - timedelta(days=days),
            )
    sweep_until(lambda: len(smtp_server.messages) == 4)
    time.sleep(2)
    reminders_sweep()
    time.sleep(1)
    assert sorted(m.recipients[0] for m in smtp_server.messages) == sorted(u.email for u in users)
    assert all(m.subject == "3 follow-ups to write" for m in smtp_server.messages)
