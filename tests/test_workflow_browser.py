"""The whole job-seeker workflow in a real browser, through the UI only.

Sign up and verify the address from the emailed link, record an application and an interview
with two interviewers typed in on the spot, write the thank-you letter to one of them from the
dashboard (parts, gift, checklist, .eml), mark it sent, see the next follow-up planned, and close
the application as eliminated: the plan stops and a closing letter is offered.

The database is only read, for a few assertions; every change goes through the pages.
"""

import re
import zoneinfo
from datetime import date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.utils import getaddresses

import pytest

from followup.accounts.models import User
from followup.applications import services
from followup.applications.models import FollowUp, FollowUpKind, FollowUpStatus
from followup.letters.models import Gift, GiftKind, Letter
from tests.browser_steps import (
    add_application,
    landed_on,
    record_interview,
    sign_up_and_confirm,
    write_parts,
)
from tests.conftest import label, screenshot
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

NORA = {"name": "Nora Seeker", "email": "nora@example.com"}
ORGANISATION = "Harbour Analytics"
POSITION = "Senior Data Engineer"

ADA = {
    "name": "Ada Park",
    "role": "Head of Data",
    "email": "ada.park@harbour.example",
    "cares": "Trail running; she is training for the Lisbon marathon",
}
BEN = {
    "name": "Ben Ruiz",
    "role": "Staff Engineer",
    "email": "ben.ruiz@harbour.example",
    "cares": "Rust tooling for the data platform",
}

PARTS = {
    "Appreciation": "Thank you for taking the time to meet me today and for the tour of the team.",
    "Still interested": "I am still very interested in the Senior Data Engineer position.",
    "Why a great fit": "My experience running streaming pipelines at scale matches your roadmap.",
    "Available for another interview": "I am available for another interview whenever you wish.",
}
GIFT = {
    "title": "a trail-running guide to the hills around Lisbon",
    "url": "https://trails.example.org/lisbon-marathon-training",
    "inspiration": "that you are training for the Lisbon marathon",
}


def interview_time_today(zone: zoneinfo.ZoneInfo) -> datetime:
    """A couple of hours ago, but still today where the person lives."""
    now = datetime.now(zone)
    start_of_day = datetime.combine(now.date(), time(0, 1), tzinfo=zone)
    # In the first minute of the day 00:01 is still to come: then it is now (the form takes
    # the minute), not an interview in the future.
    return max(now - timedelta(hours=2), min(start_of_day, now))


def section(page, heading: str):
    """The dashboard or plan section whose heading starts with `heading`."""
    return page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("^" + re.escape(heading)))
    )


def test_thank_you_follow_up_and_close_through_the_browser(live_server, page, smtp_server):
    sign_up_and_confirm(page, live_server, smtp_server, NORA)
    user = User.objects.get(email=NORA["email"])
    today = user.today()
    application_url = add_application(
        page,
        organisation=ORGANISATION,
        position=POSITION,
        posting_url="https://jobs.harbour.example/senior-data",
    )
    record_interview_with_ada_and_ben(page, user.zone)
    start_the_thank_you_to_ada_from_the_dashboard(page)
    composer_url = write_the_thank_you_with_a_gift(page)
    download_the_eml(page)
    next_follow_up = mark_it_sent(page, user, today, application_url)
    see_the_next_follow_up_planned(page, next_follow_up, today, application_url)
    close_as_eliminated(page, application_url)
    see_the_plan_stopped(page, user)
    start_the_closing_letter_to_ada(page, composer_url)
    assert page.problems == []  # console errors, CSP violations and uncaught exceptions


# --- The story's steps, in order ------------------------------------------------------------


def record_interview_with_ada_and_ben(page, zone: zoneinfo.ZoneInfo) -> None:
    """An interview today, with two interviewers typed in on the form."""
    record_interview(
        page,
        at=interview_time_today(zone),
        notes="Talked about the migration to streaming pipelines.",
        interviewers=[ADA, BEN],
    )
    assert page.get_by_text(ADA["cares"]).is_visible()
    assert page.get_by_text(BEN["cares"]).is_visible()
    assert page.get_by_role("button", name="Write the thank-you").count() == 2


def start_the_thank_you_to_ada_from_the_dashboard(page) -> None:
    """The dashboard lists a thank-you per interviewer; "Write it" opens Ada's in the composer."""
    page.get_by_role("link", name="Dashboard").click()
    landed_on(page.get_by_role("heading", name="Hello, Nora"))
    rows = page.locator("main li.list-group-item").filter(has_text="Thank-you letter to")
    assert rows.count() == 2
    # Due the day after the interview: tomorrow, so both are in the next 7 days.
    upcoming = section(page, "Next 7 days").locator("li")
    assert upcoming.filter(has_text=f"Thank-you letter to {ADA['name']}").count() == 1
    assert upcoming.filter(has_text=f"Thank-you letter to {BEN['name']}").count() == 1
    thank_you_to_ada = rows.filter(has_text=f"Thank-you letter to {ADA['name']}")
    screenshot(page, "workflow-dashboard")

    thank_you_to_ada.get_by_role("button", name="Write it").click()
    # No form in between: the planned follow-up says who it is to and what it is about.
    landed_on(page.get_by_role("heading", name=f"Thank-you letter to {ADA['name']}", level=1))


def write_the_thank_you_with_a_gift(page) -> str:
    """Write the parts, add the gift Ada's interest suggests, fill the body; return the
    composer's address."""
    page.get_by_role("heading", name=f"Thank-you letter to {ADA['name']}", level=1).wait_for()
    composer_url = page.url
    assert page.get_by_test_id("cares-about").inner_text().strip() == ADA["cares"]
    suggestions = page.get_by_test_id("gift-suggestions")
    assert suggestions.is_visible()
    assert suggestions.locator("li").count() >= 1
    assert "marathon" in suggestions.inner_text()

    # The gift form is a separate form: save the parts first or they are lost.
    form = write_parts(page, PARTS)
    add_the_gift(page)
    for part, text in PARTS.items():
        assert form.get_by_label(label(part)).input_value() == text

    form.get_by_role("button", name="Fill the body from the parts").click()
    landed_on(page.get_by_text("Draft saved."))
    body = form.get_by_label(label("Body")).input_value()
    assert body.startswith("Dear Ada,")
    assert GIFT["url"] in body

    checklist = page.get_by_role("list", name="Checklist")
    assert checklist.locator("li.not-found").count() == 0, checklist.inner_text()
    assert sorted(
        checklist.locator("li.present").evaluate_all("els => els.map(e => e.dataset.key)")
    ) == sorted(
        ["appreciation", "still_interested", "great_fit", "availability", "gift", "inspiration"]
    )
    assert page.get_by_text("Not found yet").count() == 0
    screenshot(page, "workflow-composer")
    return composer_url


def add_the_gift(page) -> None:
    """A link to a trail-running guide, inspired by what Ada said she cares about."""
    gift_card = section(page, "Informational gift")
    gift_card.get_by_label(label("Kind")).select_option(label="Link to a website")
    gift_card.get_by_label(label("Title")).fill(GIFT["title"])
    gift_card.get_by_label(label("URL")).fill(GIFT["url"])
    gift_card.get_by_label(label("What they talked about")).fill(GIFT["inspiration"])
    gift_card.get_by_role("button", name="Add the gift").click()
    landed_on(page.get_by_text("Gift saved."))
    assert gift_card.get_by_role("link", name=GIFT["url"]).is_visible()


def download_the_eml(page) -> None:
    """The .eml, read back with the email package: to Ada, from Nora, every part and the gift."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .eml").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".eml")
    with open(download.path(), "rb") as handle:
        message = message_from_bytes(handle.read(), policy=policy.default)
    assert getaddresses([message["To"]]) == [(ADA["name"], ADA["email"])]
    assert getaddresses([message["From"]]) == [(NORA["name"], NORA["email"])]
    assert message["Subject"] == f"Thank you for the interview: {POSITION}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    for part in PARTS.values():
        assert part in text
    assert GIFT["url"] in text
    assert GIFT["inspiration"] in text


def mark_it_sent(page, user: User, today: date, application_url: str) -> FollowUp:
    """Mark the letter sent today: the next follow-up to Ada is planned, and returned."""
    sent_card = section(page, "Send it yourself")
    assert sent_card.get_by_label(label("Sent on")).input_value() == today.isoformat()
    sent_card.get_by_role("button", name="Mark as sent").click()
    page.get_by_text(re.compile(r"Marked sent\. Next follow-up due")).wait_for()
    assert page.url == application_url

    letter = Letter.objects.get(application__owner=user, contact__name=ADA["name"])
    assert letter.sent_on == today
    next_follow_up = FollowUp.objects.get(
        application__owner=user, kind=FollowUpKind.FOLLOW_UP, status=FollowUpStatus.PENDING
    )
    assert next_follow_up.contact.name == ADA["name"]
    assert next_follow_up.due_on > today
    return next_follow_up


def see_the_next_follow_up_planned(
    page, next_follow_up: FollowUp, today: date, application_url: str
) -> None:
    """Ada's thank-you is done and her follow-up is planned; Ben's thank-you is still to write."""
    page.get_by_role("link", name="Dashboard").click()
    landed_on(page.get_by_role("heading", name="Hello, Nora"))
    assert (
        page.locator("main li").filter(has_text=f"Thank-you letter to {ADA['name']}").count() == 0
    )
    assert (
        section(page, "Next 7 days")
        .locator("li")
        .filter(has_text=f"Thank-you letter to {BEN['name']}")
        .count()
        == 1
    )
    follow_up_row = page.locator("main li.list-group-item").filter(
        has_text=f"Follow-up to {ADA['name']}"
    )
    due_label = (
        f"due {next_follow_up.due_on:%a} {next_follow_up.due_on.day} {next_follow_up.due_on:%b}"
    )
    if next_follow_up.due_on <= today + timedelta(days=7):
        # The default cadence (a week, moved off a weekend) usually lands within the horizon.
        row = (
            section(page, "Next 7 days")
            .locator("li")
            .filter(has_text=f"Follow-up to {ADA['name']}")
        )
        assert row.count() == 1
        assert due_label in row.inner_text()
    else:
        # Sent on a weekend: a week later is a Saturday or Sunday, pushed to the Monday after.
        assert follow_up_row.count() == 0
        page.goto(application_url)
        plan = section(page, "Follow-up plan")
        assert plan.locator("li").filter(has_text=f"Follow-up to {ADA['name']}").count() == 1


def close_as_eliminated(page, application_url: str) -> None:
    """Move the application to Eliminated, with the recruiter's word as the note."""
    page.goto(application_url)
    page.get_by_role("heading", name=POSITION, level=1).wait_for()
    plan = section(page, "Follow-up plan")
    assert plan.get_by_role("button", name="Write it").count() == 2  # Ben's thank-you, Ada's next
    status = section(page, "Change status")
    status.get_by_label(label("Move to")).select_option(label="Eliminated")
    status.get_by_label(label("Note (optional)")).fill(
        "The recruiter called: they chose someone else."
    )
    status.get_by_role("button", name="Change status").click()
    landed_on(page.get_by_text(re.compile("planned follow-ups are cancelled")))


def see_the_plan_stopped(page, user: User) -> None:
    """Nothing more is planned, the timeline tells what happened, a closing letter is offered."""
    plan = section(page, "Follow-up plan")
    assert plan.get_by_text("This application is closed: nothing more is planned.").is_visible()
    assert plan.get_by_role("button", name="Write it").count() == 0
    plan.get_by_text(re.compile(r"Done, skipped and cancelled")).click()
    settled = plan.locator(".settled-follow-ups li")
    assert settled.count() == 3
    assert (
        settled.filter(has_text=f"Thank-you letter to {ADA['name']}")
        .filter(has_text="Done")
        .count()
        == 1
    )
    assert (
        settled.filter(has_text=f"Thank-you letter to {BEN['name']}")
        .filter(has_text="Cancelled")
        .count()
        == 1
    )
    assert (
        settled.filter(has_text=f"Follow-up to {ADA['name']}").filter(has_text="Cancelled").count()
        == 1
    )
    assert not FollowUp.objects.filter(
        application__owner=user, status=FollowUpStatus.PENDING
    ).exists()

    timeline = section(page, "Timeline")
    assert timeline.get_by_text("Status: Interviewing → Eliminated").is_visible()
    assert timeline.get_by_role("link", name=GIFT["url"]).is_visible()

    offer = page.locator("section.closing-offer")
    assert offer.get_by_role("heading", name="Close on a good note").is_visible()
    closing = closing_letter_link(page, ADA)
    assert closing.is_visible()
    assert closing_letter_link(page, BEN).is_visible()
    screenshot(page, "workflow-timeline")


def start_the_closing_letter_to_ada(page, composer_url: str) -> None:
    """The closing letter opens in a new composer, addressed to Ada."""
    closing_letter_link(page, ADA).click()
    page.get_by_role("heading", name=f"Closing note to {ADA['name']}", level=1).wait_for()
    assert page.url != composer_url


def closing_letter_link(page, person: dict):
    """The button, in the offer to close on a good note, that opens a closing letter to `person`."""
    offer = page.locator("section.closing-offer")
    return offer.get_by_role("button", name=f"Write a closing letter to {person['name']}")


# --- The composer on a phone ----------------------------------------------------------------


def test_composer_fits_a_phone(live_server, page, log_in):
    """The composer, with a long subject, a gift and the interview panel, at 390px wide."""
    user = UserFactory(name="Priya Phone")
    application = ApplicationFactory(
        owner=user,
        organisation="A Very Long Organisation Name Incorporated",
        position="Principal Data Platform Engineer, Streaming and Batch Infrastructure",
    )
    ada = ContactFactory(
        owner=user, name="Ada Park", email="ada.park.with.a.long.address@acme.example"
    )
    interview = services.interview_create(
        application=application,
        scheduled_at=interview_time_today(user.zone),
        interviewers=[(ada, "Trail running and a very-long-unbroken-hyphenated-interest-name")],
        today=user.today(),
        notes="Talked about https://example.org/a-very-long-link-in-the-notes/that/goes/on/and/on",
    )
    letter = LetterFactory(
        application=application,
        contact=ada,
        interview=interview,
        subject="Thank you for the interview: Principal Data Platform Engineer, Streaming",
        appreciation="Thank you for your time today.",
    )
    Gift.objects.create(
        letter=letter,
        kind=GiftKind.LINK,
        title="Trail guide",
        url="https://trails.example.org/a-very-long-path/that-keeps-going/and-going/and-going",
        inspiration="you are training for a marathon",
    )

    page.set_viewport_size(PHONE)
    log_in(user)
    page.goto(live_server.url + letter.get_absolute_url())
    page.get_by_role("heading", name="Thank-you letter to Ada Park", level=1).wait_for()
    screenshot(page, "composer-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the composer is {width}px wide on a 390px phone"
