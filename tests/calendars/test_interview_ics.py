"""One interview as an .ics download, through the access rule."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from followup.coaching.models import AccessLogEntry
from tests.calendars.conftest import record_interview
from tests.coaching.conftest import coaching_between, make_coach

pytestmark = pytest.mark.django_db


def test_the_owner_downloads_the_interview(owner_client, owner):
    interview = record_interview(owner)

    response = owner_client.get(reverse("calendars:interview", args=[interview.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="interview-{interview.pk}.ics"'
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"interview-{interview.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == interview.scheduled_at
    assert str(event["SUMMARY"]) == "Video interview: Data Engineer at Acme, Inc.; Data"


def test_a_coach_downloads_it_with_the_clients_name_and_it_is_logged(client, owner):
    coach = make_coach(email="carla.coach@example.com")
    coaching_between(coach, owner)
    interview = record_interview(owner)
    client.force_login(coach)

    response = client.get(reverse("calendars:interview", args=[interview.pk]))

    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Olivia Owner · ")
    assert AccessLogEntry.objects.filter(client=owner, coach=coach, action="viewed").exists()


def test_a_stranger_gets_not_found(stranger_client, owner):
    interview = record_interview(owner)

    response = stranger_client.get(reverse("calendars:interview", args=[interview.pk]))

    assert response.status_code == 404


def test_the_interview_page_links_to_it(owner_client, owner):
    interview = record_interview(owner)

    response = owner_client.get(reverse("interviews:detail", args=[interview.pk]))

    assert reverse("calendars:interview", args=[interview.pk]).encode() in response.content
