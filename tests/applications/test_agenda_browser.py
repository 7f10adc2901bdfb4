"""Working the plan in a real browser: Snooze on a dashboard row (htmx), Done without JavaScript,
and the agenda at desktop and phone widths (screenshots in tests/artifacts/)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from followup.applications.models import FollowUp
from tests.conftest import screenshot
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def plan(application, days_from_today, contact, kind="follow_up"):
    return FollowUp.objects.create(
        application=application,
        kind=kind,
        step=1 if kind == "follow_up" else 0,
        contact=contact,
        due_on=application.owner.today() + timedelta(days=days_from_today),
    )


@pytest.fixture
def planned(owner):
    ada = ContactFactory(owner=owner, name="Ada Park")
    ben = ContactFactory(owner=owner, name="Benedict Okonkwo-Ramírez")
    rows = {}
    for name, organisation, position, days, contact, kind in [
        ("late", "Acme Analytics", "Data Engineer", -8, ada, "follow_up"),
        ("late2", "Northwind Traders", "Analytics Lead", -1, ben, "follow_up"),
        ("today", "Globex", "Senior Platform Engineer", 0, ada, "thank_you"),
        ("soon", "Initech", "Analyst", 4, ben, "follow_up"),
        ("week3", "Umbrella Research Institute", "Principal Data Scientist", 15, ada, "follow_up"),
        ("later", "Stark Industries", "BI Developer", 45, ben, "follow_up"),
    ]:
        application = ApplicationFactory(
            owner=owner, organisation=organisation, position=position, status="interviewing"
        )
        rows[name] = plan(application, days, contact, kind)
    return rows


def test_snooze_on_a_dashboard_row_takes_it_out_of_the_overdue_list(
    live_server, page, log_in, owner, planned
):
    late = planned["late"]
    page.set_viewport_size(DESKTOP)
    log_in(owner)
    page.goto(live_server.url + "/")
    overdue = page.locator("section[aria-labelledby=overdue-heading]")
    row = overdue.locator("li", has=page.locator(f"[data-follow-up='{late.pk}']"))
    expect(row).to_contain_text("8 days late")
    expect(overdue.locator("#overdue-badge")).to_have_text("2")

    row.get_by_role("button", name="Snooze").first.click()

    confirmation = overdue.locator(f"[data-settled='{late.pk}']")
    expect(confirmation).to_contain_text("Snoozed to")
    expect(overdue.locator(f"[data-follow-up='{late.pk}']")).to_have_count(0)
    expect(overdue.locator("#overdue-badge")).to_have_text("1")
    screenshot(page, "dashboard-after-snooze")
    # Snoozing the last overdue one hides the red count.
    last = overdue.locator("li", has=page.locator(f"[data-follow-up='{planned['late2'].pk}']"))
    last.get_by_role("button", name="Snooze").first.click()
    expect(overdue.locator(f"[data-settled='{planned['late2'].pk}']")).to_be_visible()
    expect(overdue.locator("#overdue-badge")).to_be_hidden()
    page.reload()
    expect(
        page.locator(f"section[aria-labelledby=overdue-heading] [data-follow-up='{late.pk}']")
    ).to_have_count(0)
    late.refresh_from_db()
    assert late.due_on > owner.today()
    assert page.problems == []


def test_done_works_without_javascript(live_server, browser, owner, planned, client):
    from django.conf import settings

    context = browser.new_context(java_script_enabled=False)
    client.force_login(owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/applications/agenda/")
    late = planned["late2"]
    row = page.locator("li", has=page.locator(f"[data-follow-up='{late.pk}']"))
    row.get_by_role("button", name="Done").click()
    expect(page).to_have_url(live_server.url + "/applications/agenda/")
    expect(page.get_by_role("alert")).to_contain_text("Marked done")
    expect(page.locator(f"[data-follow-up='{late.pk}']")).to_have_count(0)
    context.close()


@pytest.mark.parametrize(("size", "name"), [(DESKTOP, "agenda-1280"), (PHONE, "agenda-390")])
def test_agenda_reads_at_desktop_and_phone_widths(
    live_server, page, log_in, owner, planned, size, name
):
    page.set_viewport_size(size)
    log_in(owner)
    page.goto(live_server.url + "/applications/agenda/")
    expect(page.get_by_role("heading", name="Overdue")).to_be_visible()
    expect(page.get_by_role("heading", name="Later")).to_be_visible()
    expect(page.get_by_role("heading", name="Week of").first).to_be_visible()
    screenshot(page, name)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The chosen-day snooze folds out without JavaScript of ours.
    page.get_by_text("Other day").first.click()
    expect(page.get_by_label("Snooze until").first).to_be_visible()
    screenshot(page, f"{name}-other-day")
    assert page.problems == []
