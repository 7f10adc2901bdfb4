"""The feed's queries do not grow with what it holds."""

import pytest
from django.urls import reverse

from followup.calendars import services as calendar_services
from tests.calendars.conftest import feed_url, record_interview
from tests.coaching.conftest import coaching_between, make_coach

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("interviews", [1, 6])
def test_a_job_seekers_feed(client, owner, feed, django_assert_num_queries, interviews):
    for _ in range(interviews):
        record_interview(owner)

    # 1. the feed and its owner, by the token's digest
    # 2. the owner's interviews with their applications
    # 3. their interviewers with the contacts
    # 4. the owner's follow-ups with applications and contacts
    # 5. the clients sharing their interviews with the owner as a coach (none)
    with django_assert_num_queries(5):
        response = client.get(feed_url(feed))
    assert response.content.count(b"BEGIN:VEVENT") == 2 * interviews


@pytest.mark.parametrize("clients", [1, 3])
def test_a_coachs_feed(client, owner, django_assert_num_queries, clients):
    coach = make_coach(email="carla.coach@example.com")
    for number in range(clients):
        person = owner if number == 0 else make_coach(email=f"client{number}@example.com")
        coaching = coaching_between(coach, person)
        record_interview(person)
        client.force_login(person)
        client.post(reverse("coaching:calendar", args=[coaching.pk]), {"shared": "on"})
    client.logout()
    feed = calendar_services.calendar_feed_renew(owner=coach)

    # 1. the feed and its owner; 2. the coach's own interviews (none: no interviewers to read)
    # 3. the coach's own follow-ups; 4. the sharing clients' ids
    # 5. their interviews with applications and owners; 6. their interviewers with contacts
    with django_assert_num_queries(6):
        response = client.get(feed_url(feed))
    assert response.content.count(b"BEGIN:VEVENT") == clients
