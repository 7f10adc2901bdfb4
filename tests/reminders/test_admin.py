"""The reminders in the admin: a failed or expired one can be sent again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import FollowUp
from followup.reminders.models import Reminder
from followup.reminders.services.sweep import claim_due_follow_ups, reminders_sweep
from tests.core.test_admin import staff_client  # noqa: F401 - a fixture
from tests.reminders.conftest import due_users

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reminders_reminder_changelist")


def test_the_changelist_and_a_reminder_open(staff_client):  # noqa: F811
    due_users(2)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    assert staff_client.get(CHANGELIST, {"status": "queued"}).status_code == 200
    reminder = Reminder.objects.first()
    page = reverse("admin:reminders_reminder_change", args=[reminder.pk])
    assert staff_client.get(page).status_code == 200


def test_failed_and_expired_reminders_can_be_sent_again(
    staff_client,  # noqa: F811 - the fixture imported above
    settings,
    django_capture_on_commit_callbacks,
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    failed, expired, sent = due_users(3)
    claim_due_follow_ups(now=timezone.now(), batch=100)
    Reminder.objects.filter(recipient=failed).update(status="failed", attempts=6)
    Reminder.objects.filter(recipient=expired).update(status="expired", server_failures=40)
    Reminder.objects.filter(recipient=sent).update(status="sent", attempts=1)
    # Given up, they released their follow-ups to the next digest, tomorrow.
    FollowUp.objects.exclude(application__owner=sent).update(
        reminder=None, remind_at=timezone.now() + timedelta(days=1)
    )

    response = staff_client.post(
        CHANGELIST,
        {
            "action": "send_again",
            "_selected_action": list(Reminder.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "2 reminders queued to be sent again" in response.content.decode()
    again = Reminder.objects.exclude(recipient=sent)
    assert {(r.status, r.attempts, r.server_failures) for r in again} == {("queued", 0, 0)}
    assert all(r.deliver_by > timezone.now() for r in again)
    assert Reminder.objects.get(recipient=sent).status == "sent"

    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([failed.email, expired.email])
