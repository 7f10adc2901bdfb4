"""What the checklist detects in a letter's text."""

import pytest

from followup.letters import checklist
from followup.letters.models import Gift

COMPLETE = """Dear Ada,

Thank you for taking the time to meet me on Monday.

I am still very interested in the analytics role.

My experience building data pipelines at scale is a close fit for the migration you described.

When we spoke, you mentioned your team struggles with flaky dbt tests. I thought you might enjoy
this article: https://example.com/dbt-testing

I am available for another interview whenever it suits you.

Best regards,
Olivia"""


def gift(**fields):
    defaults = {"kind": "link", "title": "", "url": "https://example.com/dbt-testing",
                "inspiration": "flaky dbt tests in their pipeline"}  # fmt: skip
    return Gift(**(defaults | fields))


def states(body, with_gift=None, kind="thank_you"):
    return {
        item.key: item.present for item in checklist.check(kind=kind, body=body, gift=with_gift)
    }


def test_a_complete_thank_you_has_every_part():
    assert states(COMPLETE, gift()) == {
        "appreciation": True,
        "still_interested": True,
        "great_fit": True,
        "availability": True,
        "gift": True,
        "inspiration": True,
    }


@pytest.mark.parametrize(
    "removed, key",
    [
        ("Thank you for taking the time to meet me on Monday.", "appreciation"),
        ("I am still very interested in the analytics role.", "still_interested"),
        ("My experience building data pipelines at scale is a close fit for the migration "
         "you described.", "great_fit"),
        ("I am available for another interview whenever it suits you.", "availability"),
    ],
)  # fmt: skip
def test_each_missing_part_is_detected(removed, key):
    body = COMPLETE.replace(removed, "")
    assert removed not in body
    result = states(body, gift())
    assert result[key] is False
    assert sum(not present for present in result.values()) == 1


def test_no_gift_means_gift_and_inspiration_missing():
    result = states(COMPLETE, None)
    assert (result["gift"], result["inspiration"]) == (False, False)


def test_a_gift_the_letter_never_mentions_is_missing():
    result = states(COMPLETE, gift(url="https://example.com/other", title="Other thing"))
    assert result["gift"] is False


def test_inspiration_counts_when_the_letter_echoes_its_words():
    body = "Following your point on flaky dbt tests, here is https://example.com/dbt-testing"
    assert checklist.mentions_inspiration(body, "flaky dbt tests in the pipeline") is True
    assert checklist.mentions_inspiration("Here is a link.", "flaky dbt tests") is False
    assert checklist.mentions_inspiration(body, "") is False


def test_a_closing_note_only_needs_appreciation():
    assert states("Thank you for considering me.", kind="closing") == {"appreciation": True}


def test_a_follow_up_needs_interest_and_a_gift():
    assert set(states("Hello", kind="follow_up")) == {"still_interested", "gift", "inspiration"}
