"""Coaching from end to end in a real browser, a coach and a client each in their own context.

The coach signs up, says they are a coach and invites a client by email; the invitation arrives
at the SMTP server; the client signs up through it, confirms the address and accepts with "View
and comment". The client records an interview held a few days ago, so its thank-you is overdue,
and the coach's dashboard shows it. The client asks for a review of the thank-you draft; the
coach, from the emailed link, comments on the whole letter and on one part; the client sees both
and resolves one. The client revokes: the coach's next page load of that client is "not found",
and the next coach digest does not list them (with nobody left, none is sent at all).

Every user action goes through the pages. The database is only read, for assertions, and the
reminder sweep is called in-process at the instant the coach's digest is due.
"""

import contextlib
import re
import time as clock
import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import FollowUp, FollowUpKind, FollowUpStatus
from followup.coaching.models import Coaching, CoachingStatus, Comment, Level
from followup.letters.models import Letter
from followup.reminders import schedule
from followup.reminders.models import Reminder, ReminderKind, ReminderStatus
from followup.reminders.services.sweep import reminders_sweep
from tests.conftest import ARTIFACTS, label, links_in, screenshot, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = "Europe/Paris"
PASSPHRASE = "a-long-and-unusual-passphrase"

COACH = {"name": "Cora Coach", "email": "cora.coach@example.com"}
CLIENT = {"name": "Chloe Client", "email": "chloe.client@example.com"}

ORGANISATION = "Lighthouse Robotics"
POSITION = "Product Analyst"
INTERVIEWER = {
    "name": "Ines Marlow",
    "role": "Head of Product",
    "email": "ines.marlow@lighthouse.example",
    "cares": "Sailing; she races a small boat on the lake every weekend",
}
PARTS = {
    "Appreciation": "Thank you for meeting me on Tuesday and for the demo of the new robot arm.",
    "Still interested": "I am still very interested in the Product Analyst position.",
    "Why a great fit": "I have built product analytics for two hardware start-ups.",
    "Available for another interview": "I am available for another interview whenever you wish.",
}
WHOLE_LETTER_COMMENT = "Good start. Mention the sailing link as your gift: she will remember it."
PART_COMMENT = "Name one result from the start-ups, with a number, rather than the job titles."

# Chromium reports the status of a main-frame 404 on the console; it is the page under test here.
NOT_FOUND_CONSOLE = re.compile(r"^Failed to load resource: .*status of 404")


# --- Helpers ------------------------------------------------------------------------------------


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
    [link] = {link for link in links_in(message.text()) if fragment in link}
    return link


def fill_sign_up_form(page, person: dict) -> None:
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


def a_weekday_some_days_ago(zone: zoneinfo.ZoneInfo) -> datetime:
    """10:00 on a weekday at least three days ago, where the client lives."""
    day = datetime.now(zone).date() - timedelta(days=3)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(10, 0), tzinfo=zone)


def coach_digests(smtp_server, email: str) -> list:
    return [m for m in smtp_server.to(email) if m.subject.startswith("Your clients:")]


# --- The test -----------------------------------------------------------------------------------


def test_coach_invites_reviews_and_loses_access_on_revocation(
    live_server, browser, smtp_server, settings
):
    # Links in emails (invitation, review request) are built from SITE_URL: the server under test.
    settings.SITE_URL = live_server.url
    started = clock.monotonic()
    coach_context, client_context = browser.new_context(), browser.new_context()
    try:
        coach_page = watch(coach_context.new_page())
        client_page = watch(client_context.new_page())
        _flow(live_server, smtp_server, coach_page, client_page)
        for page in (coach_page, client_page):
            violations = [p for p in page.problems if "Content Security Policy" in p]
            assert violations == [], violations
        assert coach_page.problems == [], coach_page.problems
        assert client_page.problems == [], client_page.problems
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        for name, context in (("coach", coach_context), ("client", client_context)):
            for page in context.pages:
                # Best effort: a failure here must not hide the one that ended the test.
                with contextlib.suppress(Exception):
                    page.screenshot(
                        path=str(ARTIFACTS / f"coaching-final-{name}.png"), full_page=True
                    )
            context.close()
        print(f"coaching browser flow: {clock.monotonic() - started:.1f}s")


def _flow(live_server, smtp_server, coach, client):  # noqa: PLR0915 - one story, told in order
    # --- The coach signs up and says they are a coach ---------------------------------------
    coach.goto(live_server.url)
    coach.get_by_role("link", name="Create a free account").click()
    fill_sign_up_form(coach, COACH)
    confirm_address(coach, smtp_server, COACH, lands_on="Hello, Cora")
    assert coach.get_by_role("link", name="Clients", exact=True).count() == 0

    coach.get_by_role("button", name=COACH["name"]).click()  # the account menu
    coach.get_by_role("link", name="Settings", exact=True).click()
    coach.get_by_label(label("I am a career coach")).check()
    coach.get_by_role("button", name="Save").click()
    coach.get_by_role("link", name="Clients", exact=True).click()
    coach.get_by_role("heading", name="Your clients").wait_for()
    coach_user = User.objects.get(email=COACH["email"])
    assert coach_user.is_coach

    # --- The coach invites the client; the invitation arrives -------------------------------
    coach.get_by_label(label("Your client's email address")).fill(CLIENT["email"])
    coach.get_by_role("button", name="Send the invitation").click()
    coach.get_by_text(f"Invitation sent to {CLIENT['email']}.").wait_for()
    waiting = coach.locator("[data-invitation]")
    assert waiting.count() == 1
    assert CLIENT["email"] in waiting.inner_text()

    [invitation] = wait_for_message(
        smtp_server, to=CLIENT["email"], subject="would like to coach your job search"
    )
    assert invitation.subject.startswith(COACH["name"])
    assert COACH["email"] in invitation.text()
    invitation_link = link_in(invitation, "/coaching/invitations/")
    assert invitation_link.startswith(live_server.url)

    # --- The client signs up through it, confirms, and accepts "View and comment" ------------
    client.goto(invitation_link)
    client.get_by_role("heading", name="A coaching invitation").wait_for()
    assert client.get_by_text(CLIENT["email"]).count() >= 1
    client.locator("main").get_by_role("link", name="Sign up").click()
    fill_sign_up_form(client, CLIENT)
    # Sign-up carries the invitation through the confirmation: the client lands back on it.
    invitation_heading = f"{COACH['name']} would like to coach you"
    confirm_address(client, smtp_server, CLIENT, lands_on=invitation_heading)
    # Their dashboard lists it too, now that the address it was sent to is confirmed; the client
    # opens it again from there.
    client.get_by_role("link", name="Dashboard", exact=True).click()
    pending = client.get_by_test_id("pending-invitations")
    assert f"{COACH['name']} ({COACH['email']}) would like to coach you" in pending.inner_text()
    pending.get_by_role("link", name="Answer the invitation").click()
    client.get_by_role("heading", name=invitation_heading).wait_for()
    client.get_by_label(label("View and comment")).check()
    client.get_by_role("button", name="Accept").click()
    client.get_by_text(f"{COACH['name']} is now your coach.").wait_for()
    client_user = User.objects.get(email=CLIENT["email"])
    coaching = Coaching.objects.get(coach=coach_user, client=client_user)
    assert (coaching.status, coaching.level) == (CoachingStatus.ACTIVE, Level.COMMENT)

    # --- The client records an interview held a few days ago: the thank-you is overdue ------
    client.get_by_role("link", name="Dashboard", exact=True).click()
    client.get_by_role("link", name="Add an application").click()
    client.get_by_label(label("Organisation")).fill(ORGANISATION)
    client.get_by_label(label("Position")).fill(POSITION)
    client.get_by_role("button", name="Save").click()
    client.get_by_role("heading", name=POSITION, level=1).wait_for()

    interview_at = a_weekday_some_days_ago(client_user.zone)
    client.get_by_role("link", name="Add an interview").click()
    client.get_by_label(label("Date and time")).fill(interview_at.strftime("%Y-%m-%dT%H:%M"))
    client.get_by_label(label("Kind")).select_option(label="Video")
    client.get_by_label(label("Notes")).fill("She showed the robot arm and talked about sailing.")
    row = client.locator(".interviewer-row").nth(0)
    row.get_by_label("Or a new person: name").fill(INTERVIEWER["name"])
    row.get_by_label(label("Their role")).fill(INTERVIEWER["role"])
    row.get_by_label(label("Their email")).fill(INTERVIEWER["email"])
    row.get_by_label(label("What they said they care about")).fill(INTERVIEWER["cares"])
    client.get_by_role("button", name="Save").click()
    client.get_by_role("heading", name="Who was there").wait_for()

    thank_you = FollowUp.objects.get(
        application__owner=client_user, kind=FollowUpKind.THANK_YOU, status=FollowUpStatus.PENDING
    )
    today = client_user.today()
    assert thank_you.due_on < today, (thank_you.due_on, today)  # made overdue by the UI alone
    days_late = (today - thank_you.due_on).days

    # --- The coach's dashboard shows the client's overdue follow-up --------------------------
    coach.get_by_role("link", name="Clients", exact=True).click()
    table_row = coach.locator(f"[data-testid=clients] tr[data-client='{client_user.pk}']")
    assert table_row.get_by_role("link", name=CLIENT["name"]).is_visible()
    assert table_row.locator("[data-column=overdue]").inner_text().strip() == "1"
    assert table_row.locator("[data-column=open_applications]").inner_text().strip() == "1"
    assert table_row.get_by_role("cell", name="View and comment").is_visible()
    due = coach.get_by_test_id("due-follow-ups").locator("li")
    assert due.count() == 1
    due_text = due.inner_text()
    assert f"Thank-you letter to {INTERVIEWER['name']}" in due_text
    assert f"{days_late} days late" in due_text
    assert coach.locator("[data-invitation]").count() == 0
    screenshot(coach, "coach-dashboard")

    table_row.get_by_role("link", name=CLIENT["name"]).click()
    coach.get_by_role("heading", name=CLIENT["name"], level=1).wait_for()
    client_page_url = coach.url
    overdue = coach.locator("section[aria-labelledby=overdue-heading]")
    assert f"Thank-you letter to {INTERVIEWER['name']}" in overdue.inner_text()

    # --- The client drafts the thank-you and asks for a review -------------------------------
    client.get_by_role("link", name="Dashboard", exact=True).click()
    client.get_by_role("heading", name="Hello, Chloe").wait_for()
    client.locator("main li.list-group-item").filter(
        has_text=f"Thank-you letter to {INTERVIEWER['name']}"
    ).get_by_role("link", name="Write it").click()
    client.get_by_role("button", name="Start writing").click()
    heading = f"Thank-you letter to {INTERVIEWER['name']}"
    client.get_by_role("heading", name=heading, level=1).wait_for()
    composer_path = client.url.removeprefix(live_server.url)
    form = client.locator("#letter-form")
    for part, text in PARTS.items():
        form.get_by_label(label(part)).fill(text)
    form.get_by_role("button", name="Save draft").click()
    client.get_by_text("Draft saved.").wait_for()

    review_panel = client.get_by_test_id("review-panel")
    review_panel.get_by_role("button", name="Ask my coach to review").click()
    client.get_by_text(f"Review requested. {COACH['name']} will get an email.").wait_for()
    assert client.get_by_test_id("review-state").is_visible()
    assert review_panel.get_by_role("button", name="Ask my coach to review").count() == 0
    letter = Letter.objects.get(application__owner=client_user)
    assert letter.review_requested_at is not None

    # --- The coach gets the email, opens the draft from it, and comments ---------------------
    [request] = wait_for_message(
        smtp_server, to=COACH["email"], subject="asks you to review a letter draft"
    )
    assert CLIENT["name"] in request.subject
    composer_link = link_in(request, "/letters/")
    assert composer_link == live_server.url + composer_path
    coach.goto(composer_link)
    coach.get_by_role("heading", name=heading, level=1).wait_for()
    coach.get_by_test_id("client-banner").wait_for()
    coach_panel = coach.get_by_test_id("review-panel")
    assert coach_panel.get_by_text("No comments yet.").is_visible()

    coach_panel.get_by_label(label("About")).select_option(label="The whole letter")
    coach_panel.get_by_label(label("Comment")).fill(WHOLE_LETTER_COMMENT)
    coach_panel.get_by_role("button", name="Add the comment").click()
    coach.get_by_text("Comment added.").wait_for()
    coach_panel = coach.get_by_test_id("review-panel")
    coach_panel.get_by_label(label("About")).select_option(label="Why a great fit")
    coach_panel.get_by_label(label("Comment")).fill(PART_COMMENT)
    coach_panel.get_by_role("button", name="Add the comment").click()
    coach.get_by_text("Comment added.").wait_for()
    assert coach.get_by_test_id("comment").count() == 2
    assert set(Comment.objects.filter(letter=letter).values_list("part", "author")) == {
        ("", coach_user.pk),
        ("great_fit", coach_user.pk),
    }
    # Each comment tells the client it is their turn.
    wait_for_message(
        smtp_server,
        to=CLIENT["email"],
        subject=f"{COACH['name']} commented on your thank-you letter",
        count=2,
    )

    # --- The client sees both comments and resolves one --------------------------------------
    client.reload()
    client.get_by_role("heading", name=heading, level=1).wait_for()
    panel = client.get_by_test_id("review-panel")
    comments = panel.get_by_test_id("comment")
    assert comments.count() == 2
    on_whole = comments.filter(has_text=WHOLE_LETTER_COMMENT)
    on_part = comments.filter(has_text=PART_COMMENT)
    for comment in (on_whole, on_part):
        assert COACH["name"] in comment.inner_text()
        assert comment.get_attribute("data-resolved") == "false"
    assert panel.get_by_role("heading", name="The whole letter").is_visible()
    assert panel.get_by_role("heading", name="Why a great fit").is_visible()
    on_part.get_by_role("button", name="Mark resolved").click()
    client.get_by_text("Comment marked resolved.").wait_for()
    panel = client.get_by_test_id("review-panel")
    comments = panel.get_by_test_id("comment")
    assert comments.filter(has_text=PART_COMMENT).get_attribute("data-resolved") == "true"
    assert comments.filter(has_text=WHOLE_LETTER_COMMENT).get_attribute("data-resolved") == "false"
    assert comments.filter(has_text=PART_COMMENT).get_by_role("button").count() == 0
    screenshot(client, "coach-review")
    assert Comment.objects.filter(letter=letter, resolved_at__isnull=True).count() == 1

    # --- While consent holds, the coach digest lists the client (the control) ----------------
    # The sweep runs in-process at the instant the coach's digest is next due, as computed by
    # the schedule (no row is moved in time).
    coach_user.refresh_from_db()
    due_at = schedule.next_coach_digest_at(coach_user, now=timezone.now())
    assert due_at is not None
    reminders_sweep(now=due_at)
    [digest] = wait_for_message(smtp_server, to=COACH["email"], subject="Your clients:")
    assert digest.subject == "Your clients: 1 overdue follow-up"
    assert f"{CLIENT['name'].upper()} - 1 overdue" in digest.text()
    assert (
        f"Thank-you letter, {POSITION} at {ORGANISATION}, to {INTERVIEWER['name']}" in digest.text()
    )
    assert (
        Reminder.objects.filter(
            recipient=coach_user, kind=ReminderKind.COACH_DIGEST, status=ReminderStatus.SENT
        ).count()
        == 1
    )

    # The coach goes back to the client's page, and stays there while the client revokes.
    coach.goto(client_page_url)
    coach.get_by_role("heading", name=CLIENT["name"], level=1).wait_for()

    # --- The client revokes -------------------------------------------------------------------
    client.get_by_role("link", name="Coaching", exact=True).click()
    card = client.get_by_test_id(f"coaching-{coaching.pk}")
    assert "Active" in card.inner_text()
    card.get_by_role("button", name="Revoke access").click()
    client.get_by_text("Access ended.").wait_for()
    card = client.get_by_test_id(f"coaching-{coaching.pk}")
    assert "Ended" in card.inner_text()
    assert card.get_by_role("button").count() == 0
    coaching.refresh_from_db()
    assert coaching.status == CoachingStatus.ENDED

    # --- The coach's very next page load of that client: not found ---------------------------
    response = coach.reload()
    assert response.status == 404
    assert CLIENT["name"] not in coach.content()
    assert coach.get_by_text(re.compile("not found", re.IGNORECASE)).count() >= 1
    # The letter they were commenting on is gone for them too.
    assert coach.goto(composer_link).status == 404
    # Their dashboard no longer lists the client.
    coach.goto(live_server.url + "/")
    coach.get_by_role("link", name="Clients", exact=True).click()
    coach.get_by_role("heading", name="Your clients").wait_for()
    assert coach.locator(f"tr[data-client='{client_user.pk}']").count() == 0
    assert coach.get_by_test_id("due-follow-ups").count() == 0
    # Chromium logs each 404 document on the console: those, and only those, are expected.
    not_found = [p for p in coach.problems if NOT_FOUND_CONSOLE.match(p)]
    assert len(not_found) == 2, coach.problems
    coach.problems[:] = [p for p in coach.problems if not NOT_FOUND_CONSOLE.match(p)]

    # --- The next coach digest does not list them: with nobody left, none is sent -------------
    coach_user.refresh_from_db()
    next_due = coach_user.coach_digest_at  # moved on by the first digest's claim
    assert next_due is not None and next_due > due_at
    result = reminders_sweep(now=next_due)
    assert result.claimed_coach_digests == 1  # the coach's digest came due and was looked at,
    # but with no consenting client left no digest is even made, so none is sent. (Celery runs
    # eagerly: anything the sweep queued would have been delivered before it returned.)
    assert (
        Reminder.objects.filter(recipient=coach_user, kind=ReminderKind.COACH_DIGEST).count() == 1
    )
    assert coach_digests(smtp_server, COACH["email"]) == [digest]
