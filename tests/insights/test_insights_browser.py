"""The insights page in a browser, on a desktop and on a phone: every chart readable, nothing
wider than the screen. Screenshots go to tests/artifacts/."""

import pytest

from followup.coaching.models import Level
from tests.browser_steps import landed_on
from tests.coaching.conftest import coaching_between, make_coach
from tests.conftest import screenshot
from tests.factories import ApplicationFactory
from tests.insights.conftest import application, letter, reply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def search(owner, days_ago):
    """A search under way: every stage reached by someone, letters with and without gifts."""
    d = lambda n: days_ago(n, at=True)  # noqa: E731
    application(owner, [("applied", None)], started=d(10))
    application(owner, [("applied", None), ("interviewing", d(8))], started=d(30))
    hired = application(
        owner,
        [("applied", None), ("interviewing", d(40)), ("offer", d(20)), ("hired", d(6))],
        started=d(61),
    )
    application(owner, [("applied", None), ("eliminated", d(15))], started=d(35))
    application(owner, [("applied", None), ("eliminated", d(2))], started=d(50))
    application(owner, [("applied", None), ("withdrawn", d(4))], started=d(12))
    letter(hired, sent_on=days_ago(45), gift=True)
    letter(hired, sent_on=days_ago(38), kind="follow_up")
    reply(hired, d(36))
    for n in range(6):
        app = ApplicationFactory(owner=owner)
        letter(app, sent_on=days_ago(30), gift=n % 2 == 0)
        letter(app, sent_on=days_ago(25), kind="follow_up")
        if n < 3:
            reply(app, d(20 + n))


def test_insights_page_on_desktop_and_phone(log_in, live_server, owner, search):
    page = log_in(owner)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/insights/")

    funnel = page.get_by_test_id("insight-funnel")
    assert "Interviewing" in funnel.inner_text()
    gifts = page.get_by_test_id("insight-gifts").inner_text()
    # With a gift: the hired thank-you (sent 45 days ago, reply 36: day 9) and the thank-yous of
    # n = 0, 2, 4 (sent 30 days ago; replies 20 and 22 days ago for n = 0, 2): 3 of 4 = 75%.
    # Without: the hired follow-up (sent 38, reply 36: day 2), thank-yous n = 1 (day 9), 3, 5,
    # and the six follow-ups sent 25 days ago, those of n = 0, 1, 2 answered on days 5, 4, 3:
    # 1 + 1 + 3 = 5 of 1 + 3 + 6 = 10 = 50%; 4 with a gift is fewer than 5: too few.
    assert "3 of 4 (75%)" in gifts and "5 of 10 (50%)" in gifts
    assert "Too few letters to compare yet" in gifts
    screenshot(page, "insights-1280")

    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "insights-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_coach_reads_a_clients_insights(log_in, live_server, owner, search):
    coach = make_coach(email="coach@example.com", name="Carla Coach")
    coaching_between(coach, owner, Level.VIEW)
    page = log_in(coach)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/coaching/clients/{owner.pk}/")

    page.get_by_role("link", name=f"Insights: how {owner.display_name}").click()

    landed_on(page.get_by_role("heading", name=f"Insights: {owner.display_name}"))
    assert "3 of 4" in page.get_by_test_id("insight-gifts").inner_text()
    screenshot(page, "insights-coach-client")
