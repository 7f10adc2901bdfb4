"""A real worker process runs the product's tasks, and beat fires the schedule."""

import time

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

from followup.accounts.tasks import send_welcome_email
from followup.core.models import Heartbeat
from tests.factories import UserFactory

pytestmark = pytest.mark.worker


def test_worker_sends_the_welcome_email_to_the_smtp_server(smtp_server, celery_worker):
    user = UserFactory(email="wendy@example.com", name="Wendy Welcome")

    send_welcome_email.delay(user.pk)

    [message] = smtp_server.wait_for(1, to="wendy@example.com")
    assert message.subject == "Welcome to followup"
    assert "Hello Wendy" in message.text()
    assert "<ol>" in message.html()


def test_confirming_an_address_welcomes_the_person_once(client, smtp_server, celery_worker):
    user = UserFactory(email="carl@example.com", name="Carl Confirm")
    address = EmailAddress.objects.get(user=user)
    address.verified = False
    address.save()
    key = EmailConfirmationHMAC(address).key

    response = client.post(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 302

    smtp_server.wait_for(1, to="carl@example.com")
    # A second confirmation (a second address, say) must not welcome the person again.
    second = EmailAddress.objects.create(user=user, email="carl@work.example.com")
    client.post(reverse("account_confirm_email", args=[EmailConfirmationHMAC(second).key]))
    time.sleep(1.5)
    assert [m.subject for m in smtp_server.messages] == ["Welcome to followup"]


def test_beat_fires_the_scheduled_heartbeat(celery_worker_with_beat):
    deadline = time.monotonic() + 20
    while not Heartbeat.objects.filter(name="beat").exists():
        assert time.monotonic() < deadline, celery_worker_with_beat.output()
        time.sleep(0.2)
    first = Heartbeat.objects.get(name="beat").last_seen

    # A second tick proves it is a schedule, not a one-off at start.
    while Heartbeat.objects.get(name="beat").last_seen == first:
        assert time.monotonic() < deadline, celery_worker_with_beat.output()
        time.sleep(0.2)
