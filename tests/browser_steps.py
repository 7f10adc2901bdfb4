"""What a person does in a real browser, and reads in their inbox, in more than one story test.

Each step waits for the page it ends on, so the next one starts from a settled page.
"""

import time as clock

from playwright.sync_api import Locator, expect

from tests.conftest import both_widths, label, links_in, screenshot

ZONE = "Europe/Paris"
PASSPHRASE = "a-long-and-unusual-passphrase"


# --- Pages -------------------------------------------------------------------------------------


def landed_on(landmark: Locator) -> Locator:
    """Wait for the page a click led to: `landmark`, then the whole page with its scripts run.

    A click that leads to another page returns as soon as that page starts to arrive: the rest
    of it is still being read, and its scripts (at the end of the body: htmx, the composer's,
    the gift form's) have not run. Seeing the page's heading is not enough to count what is
    below it, nor to type into a field whose script listens for typing; the "load" event is.
    """
    landmark.wait_for()
    landmark.page.wait_for_load_state("load")
    return landmark


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
    landed_on(page.get_by_role("heading", name="Verify Your Email Address"))


def confirm_address(page, smtp_server, person: dict, *, lands_on: str) -> None:
    """Open the emailed confirmation link and confirm; the person is then logged in."""
    [message] = wait_for_message(smtp_server, to=person["email"], subject="Confirm")
    page.goto(link_in(message, "/accounts/"))
    page.get_by_role("button", name="Confirm").click()
    landed_on(page.get_by_role("heading", name=lands_on))


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
    landed_on(page.get_by_role("heading", name=position, level=1))
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
    landed_on(page.get_by_role("heading", name="Who was there"))


def write_parts(page, parts: dict) -> Locator:
    """Fill the composer's parts (label -> text) and save the draft; return the letter form."""
    form = page.locator("#letter-form")
    for part, text in parts.items():
        form.get_by_label(label(part)).fill(text)
    form.get_by_role("button", name="Save draft").click()
    landed_on(page.get_by_text("Draft saved."))
    return form


def log_in_with_form(page, live_server, *, email: str, password: str) -> None:
    """Sign in through the login form; wait for the page it lands on."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(label("Email")).fill(email)
    page.get_by_label(label("Password")).fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# --- Coaching -----------------------------------------------------------------------------------


def ask_for_a_review(page, *, coach_name: str) -> None:
    """From the letter's composer, ask the coach to review the draft."""
    panel = page.get_by_test_id("review-panel")
    panel.get_by_role("button", name="Ask my coach to review").click()
    landed_on(page.get_by_text(f"Review requested. {coach_name} will get an email."))


def add_comment(page, *, about: str, text: str) -> None:
    """A coach's comment on the letter open in the composer, on the whole of it or on a part."""
    panel = page.get_by_test_id("review-panel")
    panel.get_by_label(label("About")).select_option(label=about)
    panel.get_by_label(label("Comment")).fill(text)
    panel.get_by_role("button", name="Add the comment").click()
    landed_on(page.get_by_text("Comment added."))


def set_next_step(page, *, client_name: str, text: str, due_on=None, about: str = "") -> None:
    """From the coach's page of a client, set them a next step."""
    page.get_by_label(label("Next step")).fill(text)
    if due_on is not None:
        page.get_by_label(label("Due on")).fill(due_on.isoformat())
    if about:
        page.get_by_label(label("About the application")).select_option(label=about)
    page.get_by_role("button", name="Set the next step").click()
    landed_on(page.get_by_text(f"Next step set for {client_name}."))


def mark_next_step_done(page, *, text: str) -> None:
    """On the job seeker's dashboard, mark the step done; htmx swaps the row in place."""
    section = page.get_by_test_id("next-steps")
    row = section.locator("[data-testid=next-step]", has_text=text)
    still_open = section.locator("[data-testid=next-step][data-done=false]").count() - 1
    row.get_by_role("button", name="Mark done").click()
    section.locator("[data-done=true]", has_text=text).wait_for()
    # The heading's count follows without a reload.
    expect(section.get_by_test_id("next-steps-open-count")).to_have_text(f"Open: {still_open}")


def revoke_access(page, *, coaching_pk: int, coach_name: str, screenshot_as: str = "") -> None:
    """From the Coaching page, revoke a coach's access through the confirmation page."""
    page.get_by_role("link", name="Coaching", exact=True).click()
    card = landed_on(page.get_by_test_id(f"coaching-{coaching_pk}"))
    assert "Active" in card.inner_text()
    card.get_by_role("link", name="Revoke access").click()
    landed_on(page.get_by_role("heading", name=f"Revoke {coach_name}'s access?"))
    if screenshot_as:
        screenshot(page, screenshot_as)
    page.get_by_role("button", name=f"Revoke {coach_name}'s access").click()
    landed_on(page.get_by_text(f"{coach_name} no longer has access."))
    card = page.get_by_test_id(f"coaching-{coaching_pk}")
    assert "Ended" in card.inner_text()
    assert card.get_by_role("button").count() == 0


def follow_the_job(page, *, screenshots_as: str, seconds: float = 180) -> list[int]:
    """On a job's page (an import, a restore), follow its bar until the job is done, reloading
    once part-way, after screenshots at both widths: the progress is the job's, not the page's,
    so the reloaded bar is no further back. Returns the bar's values as they were seen."""
    status = page.locator("#job-status")
    bar = page.locator("progress.job-progress")
    seen, reloaded = [], False
    deadline = clock.monotonic() + seconds
    while status.get_attribute("data-status") != "done":
        assert clock.monotonic() < deadline, seen
        assert status.get_attribute("data-status") != "failed", status.inner_text()
        if bar.count():
            value = int(bar.get_attribute("value"))
            seen.append(value)
            if 0 < value < 100 and not reloaded:
                both_widths(page, screenshots_as)
                page.reload()
                reloaded = True
                assert int(bar.get_attribute("value")) >= value
        page.wait_for_timeout(200)
    assert reloaded, seen  # the bar moved through the middle
    return seen
