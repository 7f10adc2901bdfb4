"""The calendar link in Settings, in a browser, at desktop and phone widths."""

import pytest
from django.urls import reverse

from followup.calendars.models import CalendarFeed
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_making_and_renewing_the_calendar_link(live_server, log_in, owner):
    page = log_in(owner)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("accounts:profile"))
    screenshot(page, "calendar-settings-no-link")

    page.get_by_role("button", name="Make my calendar link").click()
    page.get_by_text("Your calendar link is ready.").wait_for()
    first = CalendarFeed.objects.get(owner=owner).token
    address = page.get_by_label("Your private calendar link")
    assert address.input_value().endswith(f"/calendar/feed/{first}.ics")
    screenshot(page, "calendar-settings-desktop")

    page.set_viewport_size(PHONE)
    assert fits(page)
    screenshot(page, "calendar-settings-phone")

    page.get_by_role("button", name="Make a new link").click()
    page.get_by_text("The old one no longer works.").wait_for()
    second = CalendarFeed.objects.get(owner=owner).token
    assert second != first
    assert (
        page.get_by_label("Your private calendar link")
        .input_value()
        .endswith(f"/calendar/feed/{second}.ics")
    )
    old = page.request.get(live_server.url + reverse("calendars:feed", args=[first]))
    new = page.request.get(live_server.url + reverse("calendars:feed", args=[second]))
    assert (old.status, new.status) == (404, 200)
    assert new.headers["content-type"] == "text/calendar; charset=utf-8"


def test_sharing_interviews_with_a_coach(live_server, log_in, owner):
    coach = make_coach(email="carla.coach@example.com", name="Carla Coach")
    coaching = coaching_between(coach, owner)
    page = log_in(owner)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("coaching:settings"))

    page.get_by_role("button", name="Show my interviews in their calendar").click()
    page.get_by_text("Your interviews now appear in Carla Coach's calendar.").wait_for()

    coaching.refresh_from_db()
    assert coaching.calendar_shared is True
    assert fits(page)
    screenshot(page, "calendar-coaching-share-phone")
