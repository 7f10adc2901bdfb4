"""Next steps, notes and the end of a coaching in a real browser, at desktop and phone widths.

The coach sets a step and keeps a note on the client's page; the client marks the step done on
their dashboard (htmx swaps the row); the coach sees it done; the coach steps back through the
confirmation. Screenshots of each page are kept in tests/artifacts/.
"""

from datetime import timedelta

import pytest

from followup.coaching.models import Coaching, CoachingStatus, EndedBy, Level, NextStep
from followup.coaching.services.next_steps import next_step_set
from tests.browser_steps import landed_on, mark_next_step_done, set_next_step
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import PHONE, both_widths, label, screenshot
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chloe(owner):
    owner.name = "Chloe Client"
    owner.save()
    ApplicationFactory(owner=owner, organisation="Harbour Analytics", position="Data Analyst")
    return owner


@pytest.fixture
def cora(chloe):
    coach = make_coach(email="cora@example.com", name="Cora Coach")
    coaching_between(coach, chloe, Level.COMMENT)
    return coach


def test_a_step_goes_from_coach_to_client_and_back_done(live_server, page, log_in, chloe, cora):
    today = chloe.today()
    next_step_set(
        coach=cora, client=chloe, text="Update the CV summary", due_on=today - timedelta(days=2)
    )
    log_in(cora)
    page.goto(f"{live_server.url}/coaching/clients/{chloe.pk}/")
    set_next_step(
        page,
        client_name="Chloe Client",
        text="Send the follow-up to Marcus by Friday",
        due_on=today + timedelta(days=3),
        about="Data Analyst at Harbour Analytics",
    )
    page.get_by_label(label("New note")).fill("Nervous about the salary talk; practise it.")
    page.get_by_role("button", name="Keep the note").click()
    landed_on(page.get_by_text("Note kept."))
    steps = page.get_by_test_id("coach-next-steps")
    assert steps.locator("[data-state=late]").count() == 1
    assert steps.locator("[data-state=open]").count() == 1
    both_widths(page, "coach-client-page-steps-and-notes")

    log_in(chloe)
    page.goto(live_server.url + "/")
    section = page.get_by_test_id("next-steps")
    assert "Cora Coach" in section.inner_text()
    assert "Late" in section.inner_text()
    both_widths(page, "client-dashboard-next-steps")
    mark_next_step_done(page, text="Marcus")
    assert NextStep.objects.get(text__contains="Marcus").done_at is not None
    screenshot(page, "client-dashboard-next-step-done")

    log_in(cora)
    page.goto(f"{live_server.url}/coaching/clients/{chloe.pk}/")
    done = page.get_by_test_id("coach-next-steps").locator("[data-state=done]")
    # The page speaks in the coach's zone, whatever zone an earlier test left active here.
    assert f"Done {cora.today():%-d %b}" in done.inner_text()

    page.get_by_role("link", name="Stop coaching Chloe Client").click()
    page.get_by_role("heading", name="Stop coaching Chloe Client?").wait_for()
    both_widths(page, "coach-step-back-confirmation")
    page.get_by_role("button", name="Stop coaching Chloe Client").click()
    page.get_by_text("You stepped back.").wait_for()
    coaching = Coaching.objects.get(coach=cora)
    assert (coaching.status, coaching.ended_by) == (CoachingStatus.ENDED, EndedBy.COACH)
    assert not coaching.notes.exists()


def test_revoke_confirmation_and_the_word_to_the_coach_on_a_phone(
    live_server, page, log_in, chloe, cora
):
    page.set_viewport_size(PHONE)
    coaching = Coaching.objects.get(coach=cora, status=CoachingStatus.ACTIVE)
    log_in(chloe)
    page.goto(f"{live_server.url}/coaching/{coaching.pk}/end/")
    page.get_by_role("heading", name="Revoke Cora Coach's access?").wait_for()
    screenshot(page, "client-revoke-confirmation-phone")
    page.get_by_role("button", name="Revoke Cora Coach's access").click()
    page.get_by_text("Cora Coach no longer has access.").wait_for()

    log_in(cora)
    page.goto(f"{live_server.url}/coaching/clients/")
    page.get_by_test_id("ended-access").get_by_text("Chloe Client ended your access on").wait_for()
    both_widths(page, "coach-dashboard-access-ended")
    response = page.goto(f"{live_server.url}/coaching/clients/{chloe.pk}/")
    assert response.status == 404
    page.get_by_test_id("ended-access").wait_for()
    screenshot(page, "coach-404-access-ended-phone")
    # Chromium logs the 404 document on the console; that one is expected.
    page.problems[:] = [p for p in page.problems if "404" not in p]
