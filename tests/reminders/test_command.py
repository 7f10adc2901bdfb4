"""`manage.py send_reminders`: one sweep now, for cron and for debugging."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from followup.reminders.models import Reminder, SweepRun
from tests.reminders.conftest import due_users
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def send_reminders(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_one_sweep_enqueues_what_is_due_and_says_so(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the "workers" run in this process
    due_users(3)

    text = send_reminders()

    assert "claimed 3 follow-ups and 0 coach digests into 3 new reminders" in text
    assert "3 reminders enqueued for the workers" in text
    assert SweepRun.objects.get().enqueued == 3
    assert len(mail.outbox) == 3
    assert "claimed 0 follow-ups" in send_reminders()  # nothing twice
    assert len(mail.outbox) == 3


def test_deliver_sends_from_this_process_and_counts_the_outcomes(settings, smtp_server):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # nothing may go through a broker
    refused, *others = due_users(3)
    smtp_server.handler.rcpt_refusals = {refused.email: "550 5.1.1 No such user"}

    text = send_reminders("--deliver")

    assert "3 reminders delivered from this process: 2 sent, 1 refused" in text
    assert sorted(m.recipients[0] for m in smtp_server.messages) == sorted(u.email for u in others)
    assert Reminder.objects.filter(status="sent").count() == 2


def test_a_mail_server_that_is_down_is_reported_and_the_exit_status_says_so(settings, smtp_server):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    due_users(2)

    with pytest.raises(CommandError, match="the mail server failed"):
        send_reminders("--deliver")
    assert set(Reminder.objects.values_list("status", "attempts")) == {("queued", 0)}
