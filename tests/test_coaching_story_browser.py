"""A coaching from review to revocation, the client and the coach each in their own browser.

Both sign in through the login form. The client asks for a review of a thank-you draft; the coach
finds it in the review queue on their dashboard, comments and marks the review done, so it leaves
the queue and the client reads "Reviewed by your coach". The coach sets a next step on the
client's page; the client marks it done on their dashboard and the coach's page shows it done.
The client revokes after the confirmation page: the coach's next page of that client is the
"not found" page saying the client ended their access, and their dashboard says so too.

The database is only written to set the scene (accounts, consent, an application and a draft);
every step of the story goes through the pages.
"""

import contextlib
import re
import time as clock

import pytest

from followup.coaching.models import Coaching, CoachingStatus, Comment, Level, NextStep
from followup.letters.models import Letter
from tests.browser_steps import (
    add_comment,
    ask_for_a_review,
    log_in_with_form,
    mark_next_step_done,
    revoke_access,
    set_next_step,
    wait_for_message,
    write_parts,
)
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import ARTIFACTS, screenshot, watch
from tests.factories import PASSWORD, ApplicationFactory, ContactFactory, LetterFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

CLIENT_NAME = "Chloe Client"
COACH_NAME = "Cora Coach"
THANK_YOU = "Thank-you letter to Ines Marlow"
COMMENT = "Name one result from the start-ups, with a number, rather than the job titles."
STEP = "Send the follow-up to Ines by Friday"

# Chromium reports the status of a main-frame 404 on the console; it is the page under test here.
NOT_FOUND_CONSOLE = re.compile(r"^Failed to load resource: .*status of 404")


@pytest.fixture
def scene(db):
    """Chloe, who consented to Cora at "View and comment", and an unsent thank-you draft."""
    chloe = UserFactory(email="chloe@example.com", name=CLIENT_NAME, time_zone="Europe/Paris")
    cora = make_coach(email="cora@example.com", name=COACH_NAME, time_zone="Europe/London")
    coaching = coaching_between(cora, chloe, Level.COMMENT)
    application = ApplicationFactory(
        owner=chloe, organisation="Lighthouse Robotics", position="Product Analyst"
    )
    contact = ContactFactory(owner=chloe, name="Ines Marlow", organisation="Lighthouse Robotics")
    letter = LetterFactory(application=application, contact=contact)
    return chloe, cora, coaching, letter


def test_review_next_step_and_revocation_between_two_browsers(
    live_server, browser, smtp_server, settings, scene
):
    settings.SITE_URL = live_server.url
    started = clock.monotonic()
    chloe, cora, coaching, letter = scene
    client_context = browser.new_context(viewport=DESKTOP)
    coach_context = browser.new_context(viewport=DESKTOP)
    try:
        client = watch(client_context.new_page())
        coach = watch(coach_context.new_page())
        log_in_with_form(client, live_server, email=chloe.email, password=PASSWORD)
        log_in_with_form(coach, live_server, email=cora.email, password=PASSWORD)
        _story(live_server, smtp_server, client, coach, coaching, letter)
        # Only the coach's "not found" page may have logged anything.
        not_found = [p for p in coach.problems if NOT_FOUND_CONSOLE.match(p)]
        assert len(not_found) == 1, coach.problems
        assert [p for p in coach.problems if p not in not_found] == []
        assert client.problems == []
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, context in (("client", client_context), ("coach", coach_context)):
            for page in context.pages:
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(ARTIFACTS / f"story-final-{name}.png"), full_page=True)
            context.close()
        print(f"coaching story: {clock.monotonic() - started:.1f}s")


def _story(live_server, smtp_server, client, coach, coaching, letter):
    composer_url = f"{live_server.url}/letters/{letter.pk}/"
    client_page_url = f"{live_server.url}/coaching/clients/{coaching.client_id}/"
    dashboard_url = f"{live_server.url}/coaching/clients/"

    # The client drafts and asks for a review; the coach's queue is empty until then.
    coach.goto(dashboard_url)
    assert coach.get_by_test_id("review-queue").count() == 0
    client.goto(composer_url)
    client.get_by_role("heading", name=THANK_YOU, level=1).wait_for()
    write_parts(client, {"Why a great fit": "I built product analytics for two start-ups."})
    ask_for_a_review(client, coach_name=COACH_NAME)

    # The coach finds it in the review queue and opens it.
    coach.reload()
    queue = coach.get_by_test_id("review-queue")
    item = queue.locator(f"[data-letter='{letter.pk}']")
    assert CLIENT_NAME in item.inner_text()
    screenshot(coach, "story-coach-review-queue")
    item.get_by_role("link", name=re.compile("Thank-you letter to Ines Marlow")).click()
    coach.get_by_role("heading", name=THANK_YOU, level=1).wait_for()
    coach.get_by_test_id("client-banner").wait_for()
    # Times on the letter are Chloe's, and the page says so once.
    zone = coach.get_by_test_id("client-zone")
    assert zone.inner_text() == "Times in Chloe’s time zone, Europe/Paris"

    add_comment(coach, about="Why a great fit", text=COMMENT)
    assert Comment.objects.get(letter=letter).text == COMMENT
    coach.get_by_role("button", name="Mark the review done").click()
    coach.get_by_test_id("review-state").get_by_text("You marked the review done").wait_for()
    screenshot(coach, "story-coach-review-done")
    coach.set_viewport_size(PHONE)
    screenshot(coach, "story-coach-review-done-phone")
    coach.set_viewport_size(DESKTOP)

    # Out of the queue: the dashboard says nothing is waiting.
    coach.goto(dashboard_url)
    coach.get_by_text("No letter waiting").wait_for()
    assert coach.get_by_test_id("review-queue").count() == 0

    # The client sees the comment and that their coach reviewed the letter.
    client.reload()
    state = client.get_by_test_id("review-state")
    assert f"Reviewed by your coach {COACH_NAME}" in state.inner_text()
    assert COMMENT in client.get_by_test_id("review-panel").inner_text()
    screenshot(client, "story-client-reviewed")

    # The coach sets a next step on the client's page.
    coach.goto(client_page_url)
    coach.get_by_role("heading", name=CLIENT_NAME, level=1).wait_for()
    set_next_step(coach, client_name=CLIENT_NAME, text=STEP)
    assert coach.get_by_test_id("coach-next-steps").locator("[data-state=open]").count() == 1

    # The client sees it on their dashboard and marks it done.
    client.goto(live_server.url + "/")
    steps = client.get_by_test_id("next-steps")
    assert STEP in steps.inner_text()
    assert COACH_NAME in steps.inner_text()
    screenshot(client, "story-client-next-step")
    mark_next_step_done(client, text=STEP)
    assert NextStep.objects.get(text=STEP).done_at is not None

    # The coach's page shows it done.
    coach.reload()
    done = coach.get_by_test_id("coach-next-steps").locator("[data-state=done]")
    assert STEP in done.inner_text()
    assert coach.get_by_test_id("coach-next-steps").locator("[data-state=open]").count() == 0
    screenshot(coach, "story-coach-step-done")

    # The client revokes, after the confirmation page.
    revoke_access(
        client,
        coaching_pk=coaching.pk,
        coach_name=COACH_NAME,
        screenshot_as="story-client-revoke-confirmation",
    )
    coaching.refresh_from_db()
    assert coaching.status == CoachingStatus.ENDED
    wait_for_message(smtp_server, to="cora@example.com", subject=f"{CLIENT_NAME} ended your access")

    # The coach's next page of that client is "not found", saying who ended it; no data of theirs.
    response = coach.reload()
    assert response.status == 404
    assert "Lighthouse Robotics" not in coach.content()
    coach.get_by_test_id("ended-access").get_by_text(
        f"{CLIENT_NAME} ended your access on"
    ).wait_for()
    screenshot(coach, "story-coach-404-access-ended")

    # And so does their dashboard, where the client is no longer listed; shown on a phone too.
    coach.goto(dashboard_url)
    coach.get_by_test_id("ended-access").get_by_text(
        f"{CLIENT_NAME} ended your access on"
    ).wait_for()
    assert coach.locator(f"tr[data-client='{coaching.client_id}']").count() == 0
    screenshot(coach, "story-coach-dashboard-access-ended")
    coach.set_viewport_size(PHONE)
    screenshot(coach, "story-coach-dashboard-access-ended-phone")
    assert Letter.objects.get(pk=letter.pk).reviewed_at is not None
    assert Coaching.objects.filter(status=CoachingStatus.ACTIVE).count() == 0
