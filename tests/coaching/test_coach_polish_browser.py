"""A coach's way around a client's rows, and the client's marks of what the coach added, in a
real browser at 1280 and 390 px: the breadcrumb leads the coach back to the client; the
"added by your coach" badges stay inside their card or line; snippets and waits read cleanly.

Screenshots are kept in tests/artifacts/ (polish-*).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.applications import services
from followup.coaching.models import Level
from followup.letters.models import Letter
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import DESKTOP, PHONE, each_width, screenshot
from tests.factories import ContactFactory, InterviewFactory, LetterFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, name: str) -> None:
    for width in each_width(page):
        screenshot(page, f"polish-{name}-{width}")
        # Nothing wider than the window: no sideways scrolling at either width.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (name, width, overflow)


def inside(inner, outer) -> bool:
    a, b = inner.bounding_box(), outer.bounding_box()
    return b["x"] <= a["x"] and a["x"] + a["width"] <= b["x"] + b["width"] + 0.5


@pytest.fixture
def chloe_and_coach():
    chloe = UserFactory(email="chloe@example.com", name="Chloe Martin")
    coach = make_coach(email="morgan@example.com", name="Morgan Alexandra Reyes-Whitfield")
    coaching_between(coach, chloe, Level.EDIT)
    application = services.application_create(
        owner=chloe, by=coach, organisation="Harbour Bridge Analytics", position="Data Engineer"
    )
    contact = ContactFactory(
        owner=chloe,
        name="Ada Park",
        organisation="Harbour Bridge Analytics",
        email="ada@harbour.example",
        notes="Runs the harbour data platform; loves sailing",
    )
    interview = InterviewFactory(
        application=application,
        scheduled_at=timezone.now() + timedelta(days=1),
        location="Harbour office",
        created_by=coach,
    )
    letter = LetterFactory(
        application=application,
        contact=contact,
        subject="Thank you",
        body="Thank you for the tour of the harbour platform.",
        created_by=coach,
    )
    services.application_create(
        owner=chloe, by=chloe, organisation="Quayside Logistics", position="Analyst"
    )
    return chloe, coach, application, interview, letter, contact


def test_a_coach_finds_the_way_back_to_the_client(live_server, page, log_in, chloe_and_coach):
    chloe, coach, application, interview, letter, contact = chloe_and_coach
    Letter.objects.filter(pk=letter.pk).update(review_requested_at=timezone.now())
    log_in(coach)
    page.set_viewport_size(DESKTOP)
    for name, url in [
        ("coach-application", application.get_absolute_url()),
        ("coach-interview", interview.get_absolute_url()),
        ("coach-letter", reverse("letters:compose", args=[letter.pk])),
        ("coach-contact", contact.get_absolute_url()),
    ]:
        page.goto(live_server.url + url)
        trail = page.get_by_role("navigation", name="Breadcrumb")
        assert trail.get_by_role("link", name="Chloe Martin").get_attribute("href") == reverse(
            "coaching:client", args=[chloe.pk]
        )
        both_widths(page, name)
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Chloe Martin"
    ).click()
    page.get_by_role("heading", name="Chloe Martin", level=1).wait_for()

    page.goto(live_server.url + reverse("coaching:dashboard"))
    queue = page.get_by_test_id("review-queue")
    assert "asked just now" in queue.inner_text()
    both_widths(page, "coach-review-queue")

    page.goto(live_server.url + reverse("coaching:client_board", args=[chloe.pk]))
    both_widths(page, "coach-board")


def test_the_client_sees_what_the_coach_added(live_server, page, log_in, chloe_and_coach):
    chloe, coach, application, *_ = chloe_and_coach
    log_in(chloe)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("applications:board"))
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        card = page.locator(".board-card").filter(has_text="Data Engineer")
        badge = card.get_by_test_id("added-by")
        assert badge.inner_text() == "Added by your coach Morgan Alexandra Reyes-Whitfield"
        assert inside(badge, card)
    both_widths(page, "board")

    page.goto(live_server.url + "/")
    assert page.get_by_test_id("added-by").count() == 2  # the interview, the recorded line
    both_widths(page, "dashboard")

    page.goto(live_server.url + reverse("search:results") + "?q=harbour")
    assert page.get_by_test_id("added-by").count() == 3
    snippets = page.locator(".search-headline").all_inner_texts()
    assert "Harbour Bridge Analytics · ada@harbour.example · Runs the harbour" in str(snippets)
    both_widths(page, "search")
