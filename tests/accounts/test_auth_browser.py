"""Sign-up, email verification, log in, log out and password reset, through the browser only."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_steps import landed_on
from tests.conftest import label, links_in, screenshot

pytestmark = pytest.mark.browser


def confirmation_link(message) -> str:
    return next(link for link in links_in(message.text()) if "/accounts/" in link)


@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_log_out_and_log_in(live_server, page, smtp_server):
    page.goto(live_server.url)
    page.get_by_role("link", name="Create a free account").click()
    page.get_by_label(label("Your name")).fill("Nadia Newcomer")
    page.get_by_label(label("Email")).fill("nadia@example.com")
    page.get_by_label(label("Password")).fill("a-long-and-unusual-passphrase")
    page.get_by_label(label("Password (again)")).fill("a-long-and-unusual-passphrase")
    page.get_by_label(label("Time zone")).select_option("America/New_York")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    [message] = smtp_server.wait_for(1, to="nadia@example.com")
    page.goto(confirmation_link(message))
    page.get_by_role("button", name="Confirm").click()
    # The account menu opens only once the page's script has run.
    landed_on(page.get_by_role("heading", name="Hello, Nadia"))
    screenshot(page, "dashboard-empty")

    page.get_by_role("button", name="Nadia Newcomer").click()
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Create a free account").wait_for()

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label(label("Email")).fill("nadia@example.com")
    page.get_by_label(label("Password")).fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Hello, Nadia").wait_for()


@pytest.mark.django_db(transaction=True)
def test_wrong_password_is_refused_with_a_message(live_server, page, owner):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(label("Email")).fill(owner.email)
    page.get_by_label(label("Password")).fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text(re.compile("not correct", re.I))).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_password_reset_through_the_emailed_link(live_server, page, smtp_server, owner):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label(label("Email")).fill(owner.email)
    page.get_by_role("button", name="Reset My Password").click()

    [message] = smtp_server.wait_for(1, to=owner.email)
    page.goto(confirmation_link(message))
    page.get_by_label(label("New Password")).fill("brand-new-passphrase-42")
    page.get_by_label(label("New Password (again)")).fill("brand-new-passphrase-42")
    page.get_by_role("button", name="Change Password").click()
    page.get_by_text(re.compile("password is now changed", re.I)).wait_for()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(label("Email")).fill(owner.email)
    page.get_by_label(label("Password")).fill("brand-new-passphrase-42")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Hello, Olivia").wait_for()


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser_context_args(timezone_id="Asia/Kolkata")
def test_sign_up_starts_from_the_browsers_time_zone(live_server, page):
    """Chromium reports Kolkata by its old name, Asia/Calcutta, which the list leaves out."""
    page.goto(f"{live_server.url}/accounts/signup/")
    time_zone = page.get_by_label(label("Time zone"))
    expect(time_zone).to_have_value("Asia/Kolkata")

    # A form sent back with an error keeps the zone that was chosen, not the browser's.
    time_zone.select_option("Europe/Lisbon")
    page.get_by_label(label("Email")).fill("not-an-address")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_text(re.compile("valid email", re.I)).wait_for()
    expect(page.get_by_label(label("Time zone"))).to_have_value("Europe/Lisbon")
    assert page.problems == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.browser_context_args(timezone_id="Asia/Kolkata")
def test_a_zone_chosen_while_the_page_loads_is_kept(live_server, page):
    """On a slow connection the zone can be chosen before the script that preselects the
    browser's has arrived: the person's choice stays."""
    held_scripts = []
    page.route(re.compile(r"/timezone[^/]*\.js$"), lambda route: held_scripts.append(route))
    page.goto(f"{live_server.url}/accounts/signup/", wait_until="commit")
    time_zone = page.get_by_label(label("Time zone"))
    time_zone.select_option("Europe/Lisbon")
    assert len(held_scripts) == 1  # the script had not run when the zone was chosen
    held_scripts[0].continue_()
    page.wait_for_load_state("load")
    expect(time_zone).to_have_value("Europe/Lisbon")
    assert page.problems == []
