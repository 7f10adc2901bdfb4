"""What a person does in a real browser, and reads in their inbox, in more than one story test.

Each step waits for the page it ends on, so the next one starts from a settled page.
"""

import time as clock

from playwright.sync_api import Locator

from tests.conftest import label, links_in

ZONE = "Europe/Paris"
PASSPHRASE = "a-long-and-unusual-passphrase"


# --- The inbox ----------------------------------------------------------------------------------


def wait_for_message(smtp_server, *, to: str, subject: str, count: int = 1, timeout: float = 15):
    """The messages to `to` whose subject contains `subject`, once there are `count` of them."""
    deadline = clock.monotonic() + timeout
    while True:
        found = [m for m in smtp_server.to(to) if subject in m.subject]
        if len(found) >= count:
            return found
        if clock.monotonic() > deadline:
            subjects = [m.subject for m in smtp_server.to(to)]
            raise AssertionError(f"no {count} message(s) {subject!r} to {to}; got {subjects}")
        clock.sleep(0.05)


def link_in(message, fragment: str) -> str:
    """The one link in the message whose address contains `fragment`."""
    [link] = {link for link in links_in(message.text()) if fragment in link}
    return link


# --- An account ---------------------------------------------------------------------------------


def fill_sign_up_form(page, person: dict) -> None:
    """Sign up as `person` (a name and an email) from the sign-up page, in Paris."""
    page.get_by_label(label("Your name")).fill(person["name"])
    page.get_by_label(label("Email")).fill(person["email"])
    page.get_by_label(label("Password")).fill(PASSPHRASE)
    page.get_by_label(label("Password (again)")).fill(PASSPHRASE)
    page.get_by_label(label("Time zone")).select_option(ZONE)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()


def confirm_address(page, smtp_server, person: dict, *, lands_on: str) -> None:
    """Open the emailed confirmation link and confirm; the person is then logged in."""
    [message] = wait_for_message(smtp_server, to=person["email"], subject="Confirm")
    page.goto(link_in(message, "/accounts/"))
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name=lands_on).wait_for()


def sign_up_and_confirm(page, live_server, smtp_server, person: dict) -> None:
    """Create an account from the home page and confirm it: the dashboard greets the person."""
    page.goto(live_server.url)
    page.get_by_role("link", name="Create a free account").click()
    fill_sign_up_form(page, person)
    first_name = person["name"].split()[0]
    confirm_address(page, smtp_server, person, lands_on=f"Hello, {first_name}")


# --- Applications, interviews, letters ----------------------------------------------------------


def add_application(page, *, organisation: str, position: str, posting_url: str = "") -> str:
    """Add an application from the dashboard; return the address of its page."""
    page.get_by_role("link", name="Add an application").click()
    page.get_by_label(label("Organisation")).fill(organisation)
    page.get_by_label(label("Position")).fill(position)
    if posting_url:
        page.get_by_label(label("Posting URL")).fill(posting_url)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name=position, level=1).wait_for()
    return page.url


def fill_interviewer(row, person: dict) -> None:
    """Type a new person into one interviewer row: name, role, email and what they care about."""
    row.get_by_label("Or a new person: name").fill(person["name"])
    row.get_by_label(label("Their role")).fill(person["role"])
    row.get_by_label(label("Their email")).fill(person["email"])
    row.get_by_label(label("What they said they care about")).fill(person["cares"])


def record_interview(page, *, at, notes: str, interviewers: list[dict]) -> None:
    """Add a video interview from the application's page, typing each interviewer in."""
    page.get_by_role("link", name="Add an interview").click()
    page.get_by_label(label("Date and time")).fill(at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(label("Kind")).select_option(label="Video")
    page.get_by_label(label("Notes")).fill(notes)
    for i, person in enumerate(interviewers):
        if i:
            page.get_by_role("button", name="Add another interviewer").click()
        fill_interviewer(page.locator(".interviewer-row").nth(i), person)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Who was there").wait_for()


def write_parts(page, parts: dict) -> Locator:
    """Fill the composer's parts (label -> text) and save the draft; return the letter form."""
    form = page.locator("#letter-form")
    for part, text in parts.items():
        form.get_by_label(label(part)).fill(text)
    form.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    return form
