"""Searching from the navbar finds one's own letter by a word in its body, and nobody else's."""

import pytest
from playwright.sync_api import expect

from tests.conftest import screenshot
from tests.factories import ApplicationFactory, LetterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_navbar_finds_a_letter_by_a_word_in_its_body(live_server, log_in, owner, stranger):
    mine = LetterFactory(
        application=ApplicationFactory(owner=owner, organisation="Harbour"),
        subject="Thank you for Tuesday",
        body="I enjoyed hearing about the lighthouse migration.",
    )
    LetterFactory(
        application=ApplicationFactory(owner=stranger, organisation="Elsewhere"),
        subject="Stranger's letter",
        body="Another lighthouse, someone else's.",
    )
    page = log_in(owner)
    page.goto(f"{live_server.url}/")

    box = page.get_by_role("navigation", name="Main").get_by_role("searchbox")
    box.fill("lighthouses")
    box.press("Enter")

    letters = page.get_by_role("region", name="Letters")
    expect(letters.get_by_role("heading")).to_have_text("Letters 1")
    expect(letters.locator("mark")).to_have_text("lighthouse")
    expect(page.get_by_text("Stranger's letter")).to_have_count(0)
    expect(box).to_have_value("lighthouses")
    screenshot(page, "search_results")
    letters.get_by_role("link", name="Thank you for Tuesday").click()
    page.wait_for_url(f"**{mine.get_absolute_url()}")
