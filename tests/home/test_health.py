"""/health/: a bare status for anyone, the details for staff or a caller holding HEALTH_TOKEN."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followup.reminders.models import Reminder, SweepRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "t0ken-for-the-monitor"


@pytest.fixture
def monitor(client, settings):
    """A monitoring probe with the token, sent as a bearer token."""
    settings.HEALTH_TOKEN = TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


def reminder_waiting(user, *, minutes: int, **fields) -> Reminder:
    created = timezone.now() - timedelta(minutes=minutes)
    return Reminder.objects.create(
        recipient=user,
        local_date=created.date(),
        slot="morning",
        message_id=f"<r.{user.pk}@followup.test>",
        created_at=created,
        **fields,
    )


def test_health_is_503_until_a_sweep_has_run(monitor):
    response = monitor.get("/health/")
    assert response.status_code == 503
    assert response.json()["last_sweep"] is None
    assert response.json()["problems"] == ["no sweep has run yet"]


def test_health_is_200_after_a_recent_sweep_and_503_when_stale(monitor, settings):
    sweep = SweepRun.objects.create()
    body = monitor.get("/health/")
    assert body.status_code == 200
    assert body.json()["last_sweep"]["started_at"] == sweep.started_at.isoformat()

    sweep.started_at = timezone.now() - timedelta(seconds=settings.HEALTH_SWEEP_STALE_SECONDS + 1)
    sweep.save()
    assert monitor.get("/health/").status_code == 503


def test_anyone_gets_the_status_and_nothing_more(client):
    response = client.get("/health/")
    assert (response.status_code, response.json()) == (503, {"status": "unhealthy"})

    SweepRun.objects.create()
    response = client.get("/health/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "credentials",
    [
        {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"},
        {"QUERY_STRING": f"token={TOKEN}"},
    ],
    ids=["bearer", "query"],
)
def test_the_token_shows_the_details(client, settings, credentials):
    settings.HEALTH_TOKEN = TOKEN
    SweepRun.objects.create()
    body = client.get("/health/", **credentials).json()
    assert body["status"] == "ok" and body["problems"] == []
    assert {"last_sweep", "queued", "failed", "oldest_overdue"} <= set(body)


@pytest.mark.parametrize(
    ("configured", "credentials"),
    [
        (TOKEN, {"HTTP_AUTHORIZATION": "Bearer wrong"}),
        (TOKEN, {"QUERY_STRING": f"token={TOKEN[:-1]}"}),
        (TOKEN, {"HTTP_AUTHORIZATION": TOKEN}),  # not a bearer token
        ("", {"HTTP_AUTHORIZATION": "Bearer "}),  # no token configured: none matches
        ("", {"QUERY_STRING": "token="}),
    ],
)
def test_a_wrong_or_missing_token_gets_only_the_status(client, settings, configured, credentials):
    settings.HEALTH_TOKEN = configured
    SweepRun.objects.create()
    assert client.get("/health/", **credentials).json() == {"status": "ok"}


def test_staff_see_the_details_and_other_people_do_not(client, owner):
    SweepRun.objects.create()
    client.force_login(owner)
    assert client.get("/health/").json() == {"status": "ok"}
    client.force_login(UserFactory(is_staff=True))
    assert "last_sweep" in client.get("/health/").json()


def test_health_is_503_while_the_mail_server_holds_reminders_back(monitor, settings, owner):
    SweepRun.objects.create()
    settings.HEALTH_REMINDER_OVERDUE_SECONDS = 15 * 60
    reminder_waiting(
        owner,
        minutes=20,
        server_failures=4,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )

    response = monitor.get("/health/")
    assert response.status_code == 503
    [problem] = response.json()["problems"]
    assert "1 reminder waiting more than 15 min" in problem
    assert "the mail server is failing: ConnectionRefusedError" in problem


def test_health_is_503_when_no_worker_takes_the_reminders(monitor, owner):
    SweepRun.objects.create()
    reminder_waiting(owner, minutes=20)

    response = monitor.get("/health/")
    assert response.status_code == 503
    assert "taken by no worker" in response.json()["problems"][0]


def test_one_message_on_its_own_retries_or_a_fresh_one_is_not_a_problem(monitor, owner, stranger):
    SweepRun.objects.create()
    # A 4xx for that recipient alone: its own backoff, not the pipeline's failure.
    reminder_waiting(owner, minutes=40, attempts=2, last_error="SMTPRecipientsRefused: 450")
    reminder_waiting(stranger, minutes=1)

    assert monitor.get("/health/").status_code == 200
