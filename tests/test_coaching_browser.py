"""Coaching from end to end in a real browser, a coach and a client each in their own context.

The coach signs up, says they are a coach and invites a client by email; the invitation arrives
at the SMTP server; the client signs up through it, confirms the address and accepts with "View
and comment". The client records an interview held a few days ago, so its thank-you is overdue,
and the coach's dashboard shows it. The client asks for a review of the thank-you draft; the
coach, from the emailed link, comments on the whole letter and on one part; the client sees both
and resolves one. The client revokes, after a page saying what the coach loses: the coach is told
by email, and their next page load of that client is "not found" with a word that the client
ended it; the next coach digest does not list them (with nobody left, none is sent at all).

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
from tests.browser_steps import (
    add_application,
    add_comment,
    ask_for_a_review,
    confirm_address,
    fill_sign_up_form,
    landed_on,
    link_in,
    record_interview,
    revoke_access,
    sign_up_and_confirm,
    wait_for_message,
    write_parts,
)
from tests.conftest import ARTIFACTS, label, screenshot, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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
THANK_YOU = f"Thank-you letter to {INTERVIEWER['name']}"  # the composer's heading, and more
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
        _story(live_server, smtp_server, coach_page, client_page)
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


def _story(live_server, smtp_server, coach, client):
    """The coach's page and the client's, each in its own browser context, in turn."""
    coach_user = coach_signs_up_as_a_coach(coach, live_server, smtp_server)
    invitation_link = coach_invites_the_client(coach, live_server, smtp_server)
    client_user, coaching = client_signs_up_and_accepts(
        client, smtp_server, invitation_link, coach_user
    )
    days_late = client_records_an_interview_held_days_ago(client, client_user)
    client_page_url = coach_sees_the_overdue_thank_you(coach, client_user, days_late)
    letter, composer_path = client_asks_for_a_review(client, live_server, client_user)
    composer_link = coach_opens_the_draft_from_the_email(
        coach, live_server, smtp_server, composer_path
    )
    coach_comments(coach, smtp_server, letter, coach_user)
    client_resolves_one_comment(client, letter)
    digest, due_at = the_digest_lists_the_client(smtp_server, coach_user)
    coach_returns_to_the_clients_page(coach, client_page_url)
    client_revokes(client, coaching)
    wait_for_message(smtp_server, to=COACH["email"], subject=f"{CLIENT['name']} ended your access")
    coach_loses_the_client(coach, live_server, client_user, composer_link)
    no_digest_with_nobody_left(smtp_server, coach_user, due_at, digest)


# --- The story's steps, in order ----------------------------------------------------------------


def coach_signs_up_as_a_coach(coach, live_server, smtp_server) -> User:
    """Sign up, then say so in the settings: the Clients page appears."""
    sign_up_and_confirm(coach, live_server, smtp_server, COACH)
    assert coach.get_by_role("link", name="Clients", exact=True).count() == 0

    coach.get_by_role("button", name=COACH["name"]).click()  # the account menu
    coach.get_by_role("link", name="Settings", exact=True).click()
    coach.get_by_label(label("I am a career coach")).check()
    coach.get_by_role("button", name="Save").click()
    coach.get_by_role("link", name="Clients", exact=True).click()
    coach.get_by_role("heading", name="Your clients").wait_for()
    coach_user = User.objects.get(email=COACH["email"])
    assert coach_user.is_coach
    return coach_user


def coach_invites_the_client(coach, live_server, smtp_server) -> str:
    """Invite the client by email; the invitation arrives. Return its link."""
    coach.get_by_label(label("Your clients' email addresses")).fill(CLIENT["email"])
    coach.get_by_role("button", name="Send the invitation").click()
    landed_on(coach.get_by_text(f"Invitation sent to {CLIENT['email']}."))
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
    return invitation_link


def client_signs_up_and_accepts(
    client, smtp_server, invitation_link: str, coach_user: User
) -> tuple[User, Coaching]:
    """Sign up through the invitation, confirm, and accept "View and comment"."""
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
    pending = landed_on(client.get_by_test_id("pending-invitations"))
    assert f"{COACH['name']} ({COACH['email']}) would like to coach you" in pending.inner_text()
    pending.get_by_role("link", name="Answer the invitation").click()
    client.get_by_role("heading", name=invitation_heading).wait_for()
    client.get_by_label(label("View and comment")).check()
    client.get_by_role("button", name="Accept").click()
    client.get_by_text(f"{COACH['name']} is now your coach.").wait_for()
    client_user = User.objects.get(email=CLIENT["email"])
    coaching = Coaching.objects.get(coach=coach_user, client=client_user)
    assert (coaching.status, coaching.level) == (CoachingStatus.ACTIVE, Level.COMMENT)
    return client_user, coaching


def client_records_an_interview_held_days_ago(client, client_user: User) -> int:
    """An application and an interview a few days back: the thank-you is overdue by the UI
    alone. Return how many days late it is."""
    client.get_by_role("link", name="Dashboard", exact=True).click()
    add_application(client, organisation=ORGANISATION, position=POSITION)
    record_interview(
        client,
        at=a_weekday_some_days_ago(client_user.zone),
        notes="She showed the robot arm and talked about sailing.",
        interviewers=[INTERVIEWER],
    )

    thank_you = FollowUp.objects.get(
        application__owner=client_user, kind=FollowUpKind.THANK_YOU, status=FollowUpStatus.PENDING
    )
    today = client_user.today()
    assert thank_you.due_on < today, (thank_you.due_on, today)  # made overdue by the UI alone
    return (today - thank_you.due_on).days


def coach_sees_the_overdue_thank_you(coach, client_user: User, days_late: int) -> str:
    """The coach's dashboard shows the client's overdue follow-up, and so does the client's page,
    whose address is returned."""
    coach.get_by_role("link", name="Clients", exact=True).click()
    clients = landed_on(coach.get_by_test_id("clients"))
    table_row = clients.locator(f"tr[data-client='{client_user.pk}']")
    assert table_row.get_by_role("link", name=CLIENT["name"]).is_visible()
    assert table_row.locator("[data-column=overdue]").inner_text().strip() == "1"
    assert table_row.locator("[data-column=open_applications]").inner_text().strip() == "1"
    assert table_row.get_by_role("cell", name="View and comment").is_visible()
    due = coach.get_by_test_id("due-follow-ups").locator("li")
    assert due.count() == 1
    due_text = due.inner_text()
    assert THANK_YOU in due_text
    assert f"{days_late} days late" in due_text
    assert coach.locator("[data-invitation]").count() == 0
    screenshot(coach, "coach-dashboard")

    table_row.get_by_role("link", name=CLIENT["name"]).click()
    landed_on(coach.get_by_role("heading", name=CLIENT["name"], level=1))
    plan = coach.get_by_test_id("workspace-plan")
    assert THANK_YOU in plan.inner_text()
    return coach.url


def client_asks_for_a_review(client, live_server, client_user: User) -> tuple[Letter, str]:
    """Draft the thank-you from the dashboard and ask the coach to review it; return the letter
    and the composer's path."""
    client.get_by_role("link", name="Dashboard", exact=True).click()
    client.get_by_role("heading", name="Hello, Chloe").wait_for()
    client.locator("main li.list-group-item").filter(has_text=THANK_YOU).get_by_role(
        "button", name="Write it"
    ).click()
    client.get_by_role("heading", name=THANK_YOU, level=1).wait_for()
    composer_path = client.url.removeprefix(live_server.url)
    write_parts(client, PARTS)

    ask_for_a_review(client, coach_name=COACH["name"])
    review_panel = client.get_by_test_id("review-panel")
    assert client.get_by_test_id("review-state").is_visible()
    assert review_panel.get_by_role("button", name="Ask my coach to review").count() == 0
    letter = Letter.objects.get(application__owner=client_user)
    assert letter.review_requested_at is not None
    return letter, composer_path


def coach_opens_the_draft_from_the_email(coach, live_server, smtp_server, composer_path) -> str:
    """The review request's link is the client's composer; return it."""
    [request] = wait_for_message(
        smtp_server, to=COACH["email"], subject="asks you to review a letter draft"
    )
    assert CLIENT["name"] in request.subject
    composer_link = link_in(request, "/letters/")
    assert composer_link == live_server.url + composer_path
    coach.goto(composer_link)
    coach.get_by_role("heading", name=THANK_YOU, level=1).wait_for()
    coach.get_by_test_id("client-banner").wait_for()
    assert coach.get_by_test_id("review-panel").get_by_text("No comments yet.").is_visible()
    return composer_link


def coach_comments(coach, smtp_server, letter: Letter, coach_user: User) -> None:
    """One comment on the whole letter and one on a part; each emails the client."""
    add_comment(coach, about="The whole letter", text=WHOLE_LETTER_COMMENT)
    add_comment(coach, about="Why a great fit", text=PART_COMMENT)
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


def client_resolves_one_comment(client, letter: Letter) -> None:
    """Both comments show, under what they are about; the one on a part is marked resolved."""
    client.reload()
    client.get_by_role("heading", name=THANK_YOU, level=1).wait_for()
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
    landed_on(client.get_by_text("Comment marked resolved."))
    panel = client.get_by_test_id("review-panel")
    comments = panel.get_by_test_id("comment")
    assert comments.filter(has_text=PART_COMMENT).get_attribute("data-resolved") == "true"
    assert comments.filter(has_text=WHOLE_LETTER_COMMENT).get_attribute("data-resolved") == "false"
    assert comments.filter(has_text=PART_COMMENT).get_by_role("button").count() == 0
    screenshot(client, "coach-review")
    assert Comment.objects.filter(letter=letter, resolved_at__isnull=True).count() == 1


def the_digest_lists_the_client(smtp_server, coach_user: User):
    """While consent holds, the coach digest lists the client (the control). Return the digest
    and the instant it was due.

    The sweep runs in-process at the instant the coach's digest is next due, as computed by the
    schedule (no row is moved in time).
    """
    coach_user.refresh_from_db()
    due_at = schedule.next_coach_digest_at(coach_user, now=timezone.now())
    assert due_at is not None
    reminders_sweep(now=due_at)
    [digest] = wait_for_message(smtp_server, to=COACH["email"], subject="Your clients:")
    # The review the client asked for is still open: the coach commented but has not marked
    # it done, so the digest counts it.
    assert digest.subject == "Your clients: 1 overdue follow-up, 1 letter to review"
    assert "1 letter is waiting for your review" in digest.text()
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
    return digest, due_at


def coach_returns_to_the_clients_page(coach, client_page_url: str) -> None:
    """And stays there while the client revokes."""
    coach.goto(client_page_url)
    coach.get_by_role("heading", name=CLIENT["name"], level=1).wait_for()


def client_revokes(client, coaching: Coaching) -> None:
    """Revoke the coach's access from the Coaching page, after a page that names the coach and
    what they lose: the card says Ended."""
    revoke_access(
        client,
        coaching_pk=coaching.pk,
        coach_name=COACH["name"],
        screenshot_as="coaching-revoke-confirmation",
    )
    coaching.refresh_from_db()
    assert coaching.status == CoachingStatus.ENDED


def coach_loses_the_client(coach, live_server, client_user: User, composer_link: str) -> None:
    """The coach's very next page load of that client is "not found", and so is the letter."""
    response = coach.reload()
    assert response.status == 404
    # No data of theirs, only the word that access ended and who ended it.
    assert ORGANISATION not in coach.content()
    assert coach.get_by_text(re.compile("not found", re.IGNORECASE)).count() >= 1
    coach.get_by_test_id("ended-access").get_by_text(
        f"{CLIENT['name']} ended your access on"
    ).wait_for()
    screenshot(coach, "coaching-access-ended")
    # The letter they were commenting on is gone for them too.
    assert coach.goto(composer_link).status == 404
    # Their dashboard no longer lists the client.
    coach.goto(live_server.url + "/")
    coach.get_by_role("link", name="Clients", exact=True).click()
    landed_on(coach.get_by_role("heading", name="Your clients"))
    assert coach.locator(f"tr[data-client='{client_user.pk}']").count() == 0
    assert coach.get_by_test_id("due-follow-ups").count() == 0
    # Chromium logs each 404 document on the console: those, and only those, are expected.
    not_found = [p for p in coach.problems if NOT_FOUND_CONSOLE.match(p)]
    assert len(not_found) == 2, coach.problems
    coach.problems[:] = [p for p in coach.problems if not NOT_FOUND_CONSOLE.match(p)]


def no_digest_with_nobody_left(smtp_server, coach_user: User, due_at, digest) -> None:
    """The next coach digest does not list the client: with nobody left, none is sent."""
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
