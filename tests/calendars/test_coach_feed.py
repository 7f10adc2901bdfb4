"""A coach's feed shows a client's interviews only while the client shares them."""

import pytest
from django.urls import reverse

from followup.calendars import services as calendar_services
from followup.coaching.models import Coaching
from followup.coaching.services import consent
from tests.calendars.conftest import read_feed, record_interview
from tests.coaching.conftest import coaching_between, make_coach

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(owner):
    coach = make_coach(email="carla.coach@example.com", name="Carla Coach")
    coaching_between(coach, owner)
    return coach


@pytest.fixture
def coach_feed(coach):
    return calendar_services.calendar_feed_renew(owner=coach)


def share(client, owner, coach, shared: bool):
    client.force_login(owner)
    coaching = Coaching.objects.get(coach=coach, client=owner, status="active")
    data = {"shared": "on"} if shared else {}
    response = client.post(reverse("coaching:calendar", args=[coaching.pk]), data)
    assert response.status_code == 302
    client.logout()
    return coaching


def test_sharing_is_off_until_the_client_turns_it_on(client, owner, coach, coach_feed):
    record_interview(owner)

    assert Coaching.objects.get(coach=coach, client=owner).calendar_shared is False
    assert read_feed(client, coach_feed) == {}


def test_a_shared_interview_names_the_client(client, owner, coach, coach_feed):
    interview = record_interview(owner)

    share(client, owner, coach, True)
    events = read_feed(client, coach_feed)

    # Interviews only: the client's follow-ups stay theirs.
    assert list(events) == [f"interview-{interview.pk}@127.0.0.1"]
    event = events[f"interview-{interview.pk}@127.0.0.1"]
    assert str(event["SUMMARY"]).startswith("Olivia Owner · Video interview")
    assert event.decoded("DTSTART") == interview.scheduled_at


def test_turning_sharing_off_takes_the_interviews_out(client, owner, coach, coach_feed):
    record_interview(owner)
    share(client, owner, coach, True)
    assert len(read_feed(client, coach_feed)) == 1

    share(client, owner, coach, False)

    assert read_feed(client, coach_feed) == {}


def test_ending_the_coaching_takes_the_interviews_out(client, owner, coach, coach_feed):
    record_interview(owner)
    coaching = share(client, owner, coach, True)
    assert len(read_feed(client, coach_feed)) == 1

    consent.coaching_end(coaching=coaching)

    assert read_feed(client, coach_feed) == {}


def test_a_client_sharing_with_one_coach_shares_with_no_other(client, owner, coach):
    other = make_coach(email="other.coach@example.com")
    coaching_between(other, owner)
    other_feed = calendar_services.calendar_feed_renew(owner=other)
    record_interview(owner)

    share(client, owner, coach, True)

    assert read_feed(client, other_feed) == {}


def test_only_the_client_can_share(client, owner, coach):
    coaching = Coaching.objects.get(coach=coach, client=owner)
    client.force_login(coach)

    response = client.post(reverse("coaching:calendar", args=[coaching.pk]), {"shared": "on"})

    assert response.status_code == 404
    coaching.refresh_from_db()
    assert coaching.calendar_shared is False


def test_the_consent_page_offers_the_choice(client, owner, coach):
    client.force_login(owner)
    response = client.get(reverse("coaching:settings"))
    assert b"Show my interviews in their calendar" in response.content

    share(client, owner, coach, True)
    client.force_login(owner)
    response = client.get(reverse("coaching:settings"))
    assert b"Take my interviews out of their calendar" in response.content
