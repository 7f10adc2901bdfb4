"""The gift form in a real browser: the kind chosen shows only its fields; the letter says it."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.applications import services
from followup.letters.models import Gift
from tests.browser_steps import landed_on
from tests.conftest import label, screenshot
from tests.factories import ApplicationFactory, ContactFactory, LetterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KIND_ONLY = ["Title", "URL", "File", "Items", "Person to introduce"]


@pytest.fixture
def letter(owner):
    application = ApplicationFactory(owner=owner, organisation="Acme", position="Data Engineer")
    ada = ContactFactory(owner=owner, name="Ada Park", email="ada@acme.example")
    zone = ZoneInfo("Europe/London")
    interview = services.interview_create(
        application=application,
        scheduled_at=datetime.now(zone) - timedelta(hours=2),
        interviewers=[(ada, "Training for her first marathon")],
        today=datetime.now(zone).date(),
    )
    ContactFactory(owner=owner, name="Rui Costa", role="Coach", organisation="RunClub",
                   notes="Writes marathon training plans.")  # fmt: skip
    return LetterFactory(application=application, contact=ada, interview=interview)


def visible_fields(card) -> list[str]:
    return [name for name in KIND_ONLY if card.get_by_label(label(name)).is_visible()]


def test_choosing_a_kind_shows_only_its_fields_and_the_letter_says_it(
    live_server, page, log_in, owner, letter
):
    log_in(owner)
    page.goto(live_server.url + letter.get_absolute_url())
    card = page.locator("section").filter(
        has=page.get_by_role("heading", name="Informational gift")
    )
    kind = card.get_by_label(label("Kind"))

    assert visible_fields(card) == []  # nothing to fill in before a kind is chosen
    kind.select_option(label="Link to a website")
    assert visible_fields(card) == ["Title", "URL"]
    kind.select_option(label="Article (link or file)")
    assert visible_fields(card) == ["Title", "URL", "File"]
    kind.select_option(label="Introduction to a person")
    assert visible_fields(card) == ["Person to introduce"]
    kind.select_option(label="List (places, tools, events…)")
    assert visible_fields(card) == ["Title", "Items"]

    card.get_by_label(label("Title")).fill("Running clubs near the office")
    card.get_by_label(label("Items")).fill("Parkrun Victoria Park\nRunClub Tuesdays")
    card.get_by_label(label("What they talked about")).fill("He is training for his first marathon")
    card.get_by_role("button", name="Add the gift").click()
    # The page shown after saving hides the other kinds' fields only once its script has run.
    landed_on(page.get_by_text("Gift saved."))

    sentence = (
        "You mentioned that you are training for your first marathon, so I put together a short "
        "list for you, “Running clubs near the office”:"
    )
    preview = page.locator("#letter-preview-body")
    assert sentence + "\n- Parkrun Victoria Park\n- RunClub Tuesdays" in preview.inner_text()
    assert page.get_by_test_id("gift-sentence").inner_text().startswith(sentence)
    # The saved list shows its own fields again, with the sentence to start from.
    assert visible_fields(card) == ["Title", "Items"]
    assert card.get_by_label(label("Sentence in the letter")).get_attribute("placeholder") == (
        sentence
    )
    assert page.problems == []


def test_use_this_idea_fills_the_form_for_an_introduction(live_server, page, log_in, owner, letter):
    log_in(owner)
    page.goto(live_server.url + letter.get_absolute_url())
    ideas = page.get_by_test_id("gift-introductions")
    screenshot(page, "gift-ideas")
    assert "Rui Costa: Writes marathon training plans – matches ‘training’, ‘marathon’" in (
        ideas.inner_text()
    )
    ideas.get_by_role("link", name=re.compile(r"^Use this idea\W+introduce Rui Costa$")).click()
    # The form opens filled in on a page of its own; its script hides the fields of other kinds.
    page.wait_for_url(re.compile(r"/gift/\?"), wait_until="load")

    card = page.locator("section").filter(
        has=page.get_by_role("heading", name="Informational gift")
    )
    assert visible_fields(card) == ["Person to introduce"]
    card.get_by_role("button", name="Add the gift").click()
    page.get_by_text("Gift saved.").wait_for()

    gift = Gift.objects.get()
    assert (gift.kind, gift.introduced_contact.name) == ("introduction", "Rui Costa")
    said = page.get_by_test_id("gift-sentence").inner_text()
    assert said.startswith(
        "When we spoke about training for your first marathon, I would be glad to introduce "
        "you to Rui Costa; here are their details:"
    )
    assert page.problems == []
