"""The coach dashboard and a client's workspace in a browser, on a desktop and on a phone.

A coach with a few clients, letters waiting for review and follow-ups due: the review queue
opens the letter, whose page offers "Mark the review done" and nothing to send; the workspace
names the client's zone. At 390 px neither page scrolls sideways. Screenshots of each are kept
in tests/artifacts/.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications.models import FollowUp
from followup.coaching.models import Level
from followup.letters.models import Letter
from tests.browser_steps import landed_on
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import screenshot
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    LetterFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CLIENTS = [
    ("Chloe Martin", "Europe/Paris", Level.COMMENT),
    ("Bastien Okafor-Lindqvist", "America/New_York", Level.EDIT),
    ("Mei Tanaka", "Asia/Tokyo", Level.VIEW),
]


@pytest.fixture
def caseload():
    """A coach in Auckland with three clients, each with work in progress."""
    coach = make_coach(email="ari@example.com", name="Ari Coach", time_zone="Pacific/Auckland")
    now = timezone.now()
    people = []
    for n, (name, zone, level) in enumerate(CLIENTS):
        person = UserFactory(email=f"client{n}@example.com", name=name, time_zone=zone)
        coaching_between(coach, person, level)
        contact = ContactFactory(owner=person, name=f"Interviewer {name.split()[0]}")
        for status, position in [
            ("interviewing", "Senior Product Analyst"),
            ("applied", "Data Engineer"),
            ("offer", "Analytics Lead"),
            ("eliminated", "Platform Engineer"),
        ]:
            application = ApplicationFactory(
                owner=person, status=status, position=position, organisation="Lighthouse Robotics"
            )
        talking = person.applications.get(status="interviewing")
        FollowUp.objects.create(
            application=talking,
            contact=contact,
            kind="follow_up",
            due_on=person.today() - timedelta(3),
        )
        FollowUp.objects.create(
            application=talking, contact=contact, kind="follow_up", due_on=person.today()
        )
        InterviewFactory(application=talking, scheduled_at=now + timedelta(days=n + 1, hours=2))
        InterviewFactory(application=talking, scheduled_at=now - timedelta(days=n + 3))
        draft = LetterFactory(application=talking, contact=contact, subject="Thank you")
        Letter.objects.filter(pk=draft.pk).update(
            review_requested_at=now - timedelta(days=n * 2, hours=3)
        )
        LetterFactory(application=application, contact=contact, sent_on=person.today())
        people.append(person)
    return coach, people


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_coach_dashboard_and_a_workspace_on_desktop_and_phone(
    live_server, page, log_in, caseload
):
    coach, [chloe, *_] = caseload
    log_in(coach)

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("coaching:dashboard"))
    queue = page.get_by_test_id("review-queue")
    # The two clients who let the coach comment; the oldest request first.
    assert queue.get_by_role("listitem").count() == 2
    assert "Bastien" in queue.get_by_role("listitem").first.inner_text()
    screenshot(page, "coach-dashboard-desktop")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    screenshot(page, "coach-dashboard-phone")

    page.set_viewport_size(DESKTOP)
    queue.get_by_role("link", name="Thank-you letter to Interviewer Chloe").click()
    landed_on(page.get_by_role("button", name="Mark the review done"))
    assert page.get_by_text("Send it yourself").count() == 0
    assert page.locator("nav[aria-label=Main] [aria-current=page]").inner_text() == "Clients"
    page.get_by_role("button", name="Mark the review done").click()
    page.get_by_text("Review marked done").wait_for()
    screenshot(page, "coach-letter-reviewed")

    page.goto(live_server.url + reverse("coaching:client", args=[chloe.pk]))
    page.get_by_text("Times in Chloe’s time zone, Europe/Paris").wait_for()
    assert page.get_by_test_id("workspace-letters").get_by_text("Reviewed").count() == 1
    screenshot(page, "coach-workspace-desktop")
    page.set_viewport_size(PHONE)
    no_sideways_scroll(page)
    screenshot(page, "coach-workspace-phone")
