"""The composer's layout: on a phone what the interviewer said comes first and "Mark as sent"
is one tap away; on a wide screen the same panels sit beside the letter."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.applications import services
from tests.conftest import screenshot
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def letter(owner):
    application = ApplicationFactory(owner=owner)
    ada = ContactFactory(owner=owner, name="Ada Park")
    interview = services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(hours=2),
        interviewers=[(ada, "Trail running; she is training for the Lisbon marathon")],
        today=owner.today(),
    )
    return LetterFactory(application=application, contact=ada, interview=interview)


def test_on_a_phone_the_interview_comes_first_and_mark_as_sent_is_one_tap_away(
    live_server, page, log_in, owner, letter
):
    page.set_viewport_size(PHONE)
    log_in(owner)
    page.goto(live_server.url + letter.get_absolute_url())

    # What Ada cares about is on the first screen, above the letter, and folds away.
    cares = page.get_by_test_id("cares-about")
    subject = page.get_by_label("Subject")
    assert cares.bounding_box()["y"] + cares.bounding_box()["height"] < PHONE["height"]
    assert cares.bounding_box()["y"] < subject.bounding_box()["y"]
    page.get_by_text("From the interview").click()
    assert not cares.is_visible()
    page.get_by_text("From the interview").click()
    assert cares.is_visible()

    # The bar at the screen's foot jumps to the sending card.
    bar = page.get_by_role("navigation", name="Jump to")
    jump = bar.get_by_role("link", name="Mark as sent")
    assert jump.bounding_box()["y"] + jump.bounding_box()["height"] <= PHONE["height"]
    mark_sent = page.get_by_role("button", name="Mark as sent")
    expect(mark_sent).not_to_be_in_viewport()
    jump.click()
    expect(mark_sent).to_be_in_viewport(ratio=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "composer-phone-jumped-to-send")


def test_on_a_wide_screen_the_interview_sits_beside_the_letter(
    live_server, page, log_in, owner, letter
):
    page.set_viewport_size(DESKTOP)
    log_in(owner)
    page.goto(live_server.url + letter.get_absolute_url())

    form = page.locator("#letter-form").bounding_box()
    interview = page.get_by_role("group").filter(has_text="From the interview").bounding_box()
    assert interview["x"] >= form["x"] + form["width"]
    assert abs(interview["y"] - form["y"]) < 40
    assert not page.get_by_role("navigation", name="Jump to").is_visible()
    screenshot(page, "composer-desktop")
