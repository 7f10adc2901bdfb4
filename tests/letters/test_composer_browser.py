"""The composer helps a careful writer: natural sentences count, and a complete letter is sent.

A thank-you written freely in the body, in none of the words the old keyword checklist
looked for, shows its four parts found and is marked sent at once; a letter with a part left
out shows a hint with an example, and asks once before it is marked sent.
"""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from followup.applications import services
from followup.letters.models import Letter
from tests.browser_steps import write_parts
from tests.conftest import label, screenshot
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory, UserFactory
from tests.letters.samples import NATURAL, OLD_KEYWORDS, THANK_YOU_PARTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nora_and_ada():
    """Nora, interviewed by Ada this morning, with a thank-you to write."""
    nora = UserFactory(name="Nora Seeker")
    application = ApplicationFactory(owner=nora, organisation="Harbour", position="Data Engineer")
    ada = ContactFactory(owner=nora, name="Ada Park", email="ada@harbour.example")
    interview = services.interview_create(
        application=application,
        scheduled_at=datetime.now(nora.zone) - timedelta(minutes=5),
        interviewers=[(ada, "Flaky dbt tests")],
        today=nora.today(),
    )
    return nora, application, ada, interview


def checklist_keys(page, state: str) -> list[str]:
    checklist = page.get_by_role("list", name="Checklist")
    return checklist.locator(f"li.{state}").evaluate_all("els => els.map(e => e.dataset.key)")


def test_a_natural_thank_you_is_found_complete_and_sent_without_a_question(
    live_server, page, log_in, nora_and_ada
):
    nora, application, ada, interview = nora_and_ada
    assert not OLD_KEYWORDS.search(NATURAL.replace("Best regards", ""))
    letter = LetterFactory(application=application, contact=ada, interview=interview)
    log_in(nora)
    page.goto(live_server.url + letter.get_absolute_url())
    checklist = page.get_by_role("list", name="Checklist")
    assert "Not found yet: say you are still interested" in checklist.inner_text()

    # Written freely in the body, the parts left empty; the live preview reads it.
    page.locator("#letter-form").get_by_label(label("Body")).fill(NATURAL)
    expect(checklist.locator("li.present")).to_have_count(4)
    assert checklist_keys(page, "present") == THANK_YOU_PARTS
    found = checklist.locator("li.present").all_inner_texts()
    assert [" ".join(text.replace("\n", "").split()) for text in found] == [
        "✔ Appreciation for the interview: found",
        "✔ Still interested in the position: found",
        "✔ Why you are a great fit: found",
        "✔ Available for another interview: found",
    ]
    assert "✘" not in page.content()
    screenshot(page, "composer-natural-thank-you")

    # Not saved first: the unsaved text goes along with "Mark as sent".
    page.get_by_role("button", name="Mark as sent").click()
    page.get_by_text(re.compile(r"Marked sent\.")).wait_for()
    assert page.url == live_server.url + application.get_absolute_url()
    letter.refresh_from_db()
    assert letter.sent_on == nora.today()
    assert letter.body.replace("\r\n", "\n") == NATURAL
    assert page.problems == []


def test_a_letter_with_a_part_left_out_asks_once_then_is_sent(
    live_server, page, log_in, nora_and_ada
):
    nora, application, ada, interview = nora_and_ada
    letter = LetterFactory(application=application, contact=ada, interview=interview)
    log_in(nora)
    page.goto(live_server.url + letter.get_absolute_url())
    write_parts(
        page,
        {
            "Appreciation": "It was a real pleasure to meet you and the team on Tuesday.",
            "Still interested": "The role is still top of my list.",
            "Why a great fit": "I spent three years moving a finance team from spreadsheets "
            "to dbt, with tests on every model.",
        },
    )
    # The gift is only suggested ("Optional: ..."); the availability is what is left out.
    assert checklist_keys(page, "not-found:not(.optional)") == ["availability"]
    hint = page.get_by_role("list", name="Checklist").locator("li.not-found:not(.optional)")
    assert hint.inner_text() == (
        "Not found yet: say you are available for another interview – e.g. “I would be glad to "
        "come back and meet the rest of the team whenever suits you.”"
    )

    sent_card = page.locator("section").filter(
        has=page.get_by_role("heading", name="Send it yourself")
    )
    sent_card.get_by_role("button", name="Mark as sent").click()
    question = page.get_by_test_id("send-question")
    question.wait_for()
    assert question.inner_text().strip() == (
        "Not found yet: say you are available for another interview. Mark it sent as it is?"
    )
    assert Letter.objects.get(pk=letter.pk).sent_on is None
    screenshot(page, "composer-asks-once")

    sent_card.get_by_role("button", name="Mark as sent anyway").click()
    page.get_by_text(re.compile(r"Marked sent\.")).wait_for()
    assert Letter.objects.get(pk=letter.pk).sent_on == nora.today()
    assert page.problems == []
