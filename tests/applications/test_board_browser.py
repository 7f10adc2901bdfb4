"""The board in a real browser: a card dragged to "Eliminated", the same move from the keyboard,
and the board on a desk and on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.applications import services
from followup.applications.models import Application, FollowUp, FollowUpStatus, Status
from tests.conftest import screenshot
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def interviewing(owner):
    """An application in interviewing with its thank-you letter planned (overdue by now)."""
    application = services.application_create(
        owner=owner, organisation="Acme Analytics", position="Data Engineer"
    )
    services.interview_create(
        application=application,
        scheduled_at=timezone.now() - timedelta(days=5),
        interviewers=[(ContactFactory(owner=owner, name="Ada Park"), "data quality")],
        today=owner.today() - timedelta(days=5),
    )
    return application


@pytest.fixture
def pipeline(owner, interviewing):
    """A few more applications, one in each status but interviewing."""
    for status, organisation, position in [
        (Status.APPLIED, "Globex Corporation", "Platform Engineer"),
        (Status.APPLIED, "Initech", "Analytics Engineer"),
        (Status.OFFER, "Umbrella Research", "Senior Data Scientist"),
        (Status.HIRED, "Hooli", "Data Analyst"),
        (Status.ELIMINATED, "Massive Dynamic", "Machine Learning Engineer"),
        (Status.WITHDRAWN, "Soylent", "BI Developer"),
    ]:
        ApplicationFactory(owner=owner, status=status, organisation=organisation, position=position)
    return interviewing


def card(scope, position):
    """The card of the application at `position`, within a page or a part of it."""
    page = getattr(scope, "page", scope)
    return scope.locator(".board-card").filter(
        has=page.get_by_role("link", name=position, exact=True)
    )


def plan_is_cancelled(application) -> bool:
    follow_ups = FollowUp.objects.filter(application=application)
    return follow_ups.exists() and all(f.status == FollowUpStatus.CANCELLED for f in follow_ups)


def drag(page, source, target):
    """Drag with real pointer moves, in steps, as a hand would: SortableJS follows them."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + 12)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + 20, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=20)
    page.mouse.up()


def test_dragging_a_card_to_eliminated_cancels_the_plan_and_offers_the_closing_letter(
    live_server, page, log_in, owner, pipeline
):
    page.set_viewport_size(DESK)
    log_in(owner)
    page.goto(live_server.url + "/applications/board/")
    interviewing_column = page.locator(".board > .board-column:has(#column-interviewing)")
    expect(card(interviewing_column, "Data Engineer")).to_contain_text(
        re.compile(r"\d+ days? late")
    )
    screenshot(page, "board-1280")

    drop = page.locator('.board-drop[data-status="eliminated"]')
    drag(page, card(page, "Data Engineer"), drop)

    status = page.get_by_role("status")
    expect(status).to_contain_text("follow-ups are cancelled")
    expect(status.get_by_role("link", name="Write a closing note")).to_be_visible()
    assert plan_is_cancelled(pipeline)
    application = Application.objects.get(pk=pipeline.pk)
    assert application.status == Status.ELIMINATED
    assert application.events.filter(to_status=Status.ELIMINATED).count() == 1
    # The card now sits with the eliminated ones, and the counts follow.
    expect(page.locator('[data-count="eliminated"]')).to_have_text("2")
    expect(page.locator('[data-count="interviewing"]')).to_have_text("0")
    page.get_by_text("Show the eliminated ones").click()
    eliminated = page.locator(".board-closed-cards .board-cards[data-status=eliminated]")
    expect(card(eliminated, "Data Engineer")).to_be_visible()
    # Its follow-up was cancelled: nothing is late any more.
    expect(card(eliminated, "Data Engineer")).not_to_contain_text("late")
    screenshot(page, "board-1280-after-drag")
    assert page.problems == []

    status.get_by_role("link", name="Write a closing note").click()
    expect(page).to_have_url(re.compile(r"/letters/new/\?application=\d+&kind=closing"))


def test_a_refused_move_puts_the_card_back(live_server, page, log_in, owner, pipeline):
    page.set_viewport_size(DESK)
    log_in(owner)
    page.goto(live_server.url + "/applications/board/")
    # Someone else deleted it in another tab: the status endpoint answers 404.
    Application.objects.filter(pk=pipeline.pk).delete()
    drag(page, card(page, "Data Engineer"), page.locator('.board-drop[data-status="hired"]'))

    expect(page.get_by_role("status")).to_contain_text("could not be moved")
    interviewing_column = page.locator(".board > .board-column:has(#column-interviewing)")
    expect(card(interviewing_column, "Data Engineer")).to_be_visible()
    expect(page.locator('[data-count="interviewing"]')).to_have_text("1")
    expect(page.locator('[data-count="hired"]')).to_have_text("1")
    # The 404 itself is logged by the browser; nothing else went wrong.
    assert [p for p in page.problems if "404" not in p] == []


def test_the_move_menu_does_the_same_from_the_keyboard(live_server, page, log_in, owner, pipeline):
    page.set_viewport_size(DESK)
    log_in(owner)
    page.goto(live_server.url + "/applications/board/")
    target = card(page, "Data Engineer")
    target.get_by_role("link", name="Data Engineer").focus()
    page.keyboard.press("Tab")
    menu = target.locator("summary")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Eliminated":
            break
    expect(target.get_by_role("button", name="Eliminated")).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(live_server.url + "/applications/board/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Data Engineer at Acme Analytics")
    expect(alert.get_by_role("link", name="Write a closing note")).to_be_visible()
    assert plan_is_cancelled(pipeline)
    assert Application.objects.get(pk=pipeline.pk).status == Status.ELIMINATED


def test_the_board_fits_a_phone(live_server, page, log_in, owner, pipeline):
    page.set_viewport_size(PHONE)
    log_in(owner)
    owner.applications_view = "board"
    owner.save()
    page.goto(live_server.url + "/applications/")
    expect(page.get_by_role("heading", name="Interviewing")).to_be_attached()
    # The open columns scroll sideways inside the board; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "board-390")
    # The switch back to the list is there, and remembered.
    page.get_by_role("button", name="List").click()
    expect(page.locator("table")).to_be_visible()
    screenshot(page, "board-390-list")
