"""Undo in a real browser: Done on a dashboard row, then Undo in its confirmation, at desktop
and phone widths (screenshots of the row in both states in tests/artifacts/)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from followup.applications.models import FollowUp
from tests.conftest import ARTIFACTS, screenshot
from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [({"width": 1280, "height": 900}, "1280"), ({"width": 390, "height": 844}, "390")]


@pytest.fixture
def late(owner):
    """An overdue follow-up on the dashboard, and a second one so the red count shows a change."""
    ada = ContactFactory(owner=owner, name="Ada Park")
    rows = []
    for organisation, position, days in [
        ("Umbrella Research Institute", "Principal Data Scientist", -8),
        ("Northwind Traders", "Analytics Lead", -1),
    ]:
        application = ApplicationFactory(
            owner=owner, organisation=organisation, position=position, status="interviewing"
        )
        rows.append(
            FollowUp.objects.create(
                application=application,
                kind="follow_up",
                step=1,
                contact=ada,
                due_on=owner.today() + timedelta(days=days),
            )
        )
    return rows[0]


@pytest.mark.parametrize(("size", "width"), SIZES)
def test_done_then_undo_on_the_dashboard(live_server, page, log_in, owner, late, size, width):
    page.set_viewport_size(size)
    log_in(owner)
    page.goto(live_server.url + "/")
    overdue = page.locator("section[aria-labelledby=overdue-heading]")
    row = overdue.locator(f"[data-follow-up-row='{late.pk}']")
    expect(row).to_contain_text("8 days late")
    expect(overdue.locator("#overdue-badge")).to_have_text("2")
    ARTIFACTS.mkdir(exist_ok=True)
    row.screenshot(path=str(ARTIFACTS / f"undo-row-before-{width}.png"))

    row.get_by_role("button", name="Done").click()

    confirmation = overdue.locator(f"[data-settled='{late.pk}']")
    expect(confirmation).to_contain_text("Marked done. The next follow-up is due")
    expect(overdue.locator("#overdue-badge")).to_have_text("1")
    confirmation.screenshot(path=str(ARTIFACTS / f"undo-row-done-{width}.png"))
    screenshot(page, f"dashboard-done-{width}")
    assert FollowUp.objects.filter(application=late.application).count() == 2

    confirmation.get_by_role("button", name="Undo").click()

    restored = overdue.locator(f"[data-follow-up-row='{late.pk}']")
    expect(restored).to_contain_text("8 days late")
    expect(restored.get_by_role("button", name="Done")).to_be_visible()
    expect(confirmation).to_have_count(0)
    expect(overdue.locator("#overdue-badge")).to_have_text("2")
    restored.screenshot(path=str(ARTIFACTS / f"undo-row-undone-{width}.png"))
    late.refresh_from_db()
    assert late.status == "pending"
    assert list(FollowUp.objects.filter(application=late.application)) == [late]
    # The restored row works like any other: Skip it this time.
    restored.get_by_role("button", name="Skip").click()
    expect(overdue.locator(f"[data-settled='{late.pk}']")).to_contain_text("Skipped.")
    assert page.problems == []


def test_undo_without_javascript_comes_from_the_message(live_server, browser, owner, late, client):
    from django.conf import settings

    context = browser.new_context(java_script_enabled=False)
    client.force_login(owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/")
    row = page.locator(f"[data-follow-up-row='{late.pk}']")
    row.get_by_role("button", name="Done").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Marked done")
    screenshot(page, "dashboard-done-no-js")
    alert.get_by_role("button", name="Undo").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("alert")).to_contain_text("Undone")
    expect(page.locator(f"[data-follow-up-row='{late.pk}']")).to_contain_text("8 days late")
    context.close()
    late.refresh_from_db()
    assert late.status == "pending"
