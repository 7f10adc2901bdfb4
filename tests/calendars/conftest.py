from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from followup.applications import services
from followup.calendars import services as calendar_services
from tests.factories import ContactFactory

LONDON = ZoneInfo("Europe/London")


def feed_url(feed) -> str:
    return reverse("calendars:feed", args=[feed.token])


def read_feed(client, feed) -> dict:
    """GET the feed as a calendar app does (no login); its events by UID."""
    client.logout()
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids))
    return {str(event["UID"]): event for event in events}


@pytest.fixture
def feed(owner):
    return calendar_services.calendar_feed_renew(owner=owner)


def record_interview(owner, *, when=None, location="https://meet.example/abc-defg", **fields):
    """An application with one interview, recorded through the services (thank-yous planned)."""
    application = services.application_create(
        owner=owner, organisation="Acme, Inc.; Data", position="Data Engineer"
    )
    ada = ContactFactory(owner=owner, name="Ada Lovelace", role="CTO")
    return services.interview_create(
        application=application,
        scheduled_at=when or datetime(2030, 3, 4, 10, 30, tzinfo=LONDON),
        interviewers=[(ada, "")],
        location=location,
        kind=fields.pop("kind", "video"),
        **fields,
    )
