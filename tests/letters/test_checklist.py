"""What the checklist finds in a letter: the parts of its kind, written or said freely."""

import pytest

from followup.letters import checklist
from followup.letters.models import Gift
from tests.letters.samples import NATURAL, OLD_KEYWORDS, THANK_YOU_PARTS

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


def states(body, with_gift=None, kind="thank_you", parts=None):
    items = checklist.check(kind=kind, body=body, gift=with_gift, parts=parts)
    return {item.key: item.present for item in items}


def test_a_complete_thank_you_has_every_part():
    assert states(COMPLETE, gift()) == {
        "appreciation": True,
        "still_interested": True,
        "great_fit": True,
        "availability": True,
        "gift": True,
        "inspiration": True,
    }


def test_a_thank_you_in_natural_words_has_its_four_parts():
    assert not OLD_KEYWORDS.search(NATURAL.replace("Best regards", ""))
    items = checklist.check(kind="thank_you", body=NATURAL)
    assert [item.key for item in items if item.present] == THANK_YOU_PARTS
    assert checklist.missing(items) == []


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


def test_a_part_not_found_comes_with_a_hint_and_an_example():
    items = checklist.check(
        kind="thank_you", body=NATURAL.replace("The role is still top of my list.", "")
    )
    [item] = checklist.missing(items)
    assert (item.key, item.hint) == ("still_interested", "say you are still interested")
    assert item.example == "I'm still very keen on the role."


def test_no_gift_is_a_suggestion_and_nothing_asks_for_its_reason():
    items = {item.key: item for item in checklist.check(kind="thank_you", body=COMPLETE)}
    assert items["gift"].present is False and items["gift"].optional is True
    assert "inspiration" not in items
    assert checklist.missing(list(items.values())) == []


def test_a_gift_the_letter_never_mentions_is_missing():
    result = states(COMPLETE, gift(url="https://example.com/other", title="Other thing"))
    assert result["gift"] is False


def test_inspiration_counts_when_the_letter_echoes_its_words():
    body = "Following your point on flaky dbt tests, here is https://example.com/dbt-testing"
    assert checklist.mentions_inspiration(body, "flaky dbt tests in the pipeline") is True
    assert checklist.mentions_inspiration("Here is a link.", "flaky dbt tests") is False
    assert checklist.mentions_inspiration(body, "") is False


def test_a_written_part_counts_in_words_no_rule_knows():
    part = "Spreadsheets to dbt: three years, a test on every model."
    body = f"Dear Ada,\n\n{part}\n\nBest regards,\nOlivia"
    assert states(body, parts={"great_fit": part})["great_fit"] is True
    # Taken out of the edited body, it no longer counts.
    assert (
        states("Dear Ada,\n\nBest regards,\nOlivia", parts={"great_fit": part})["great_fit"]
        is False
    )


def test_a_closing_note_has_its_own_parts_and_feedback_is_optional():
    body = (
        "Thank you for letting me know, and for your time throughout the process. "
        "Please keep me in mind for future openings on the team. "
        "I would like to stay in touch, and I will follow the team's work with interest."
    )
    items = checklist.check(kind="closing", body=body)
    assert [(item.key, item.label, item.present) for item in items] == [
        ("appreciation", "Thanks for the process", True),
        ("still_interested", "Asks to be kept in mind", True),
        ("great_fit", "Asks for feedback", False),
        ("availability", "Stays in touch", True),
    ]
    assert checklist.missing(items) == []


def test_a_follow_ups_something_new_may_be_its_gift():
    body = (
        "I remain very interested in the analyst role. "
        "Here is https://example.com/dbt-testing, about your flaky dbt tests. "
        "Is there any news on the timing of a decision?"
    )
    result = states(body, gift(), kind="follow_up")
    assert result == {
        "still_interested": True,
        "great_fit": True,
        "availability": True,
        "inspiration": True,
    }
    assert states("I remain very interested in the role.", kind="follow_up")["great_fit"] is False


PART = (
    "I spent three years moving a finance team from spreadsheets to dbt, with tests on every model."
)


@pytest.mark.parametrize(
    "body",
    [
        PART,
        f"Dear Ada,\n\nThank you for Tuesday.\n\n{PART}\n\nBest regards,\nOlivia",
        PART.upper().replace(",", ""),
        PART.replace("spreadsheets", "spreadsheet").replace("three", "3"),
        PART.replace("moving", "taking").replace("every", "each"),
        "I spent three years moving a finance team from spreadsheets to dbt. "
        "Every model had tests.",
        PART + " It took patience.",
        "It was hard work, but I spent three years moving a finance team from spreadsheets to "
        "dbt and put tests on every model, which the auditors liked.",
    ],
    ids=["alone", "in a letter", "case and commas", "typos", "two words", "split",
         "sentence added", "merged"],
)  # fmt: skip
def test_a_part_edited_lightly_is_still_in_the_body(body):
    assert checklist.still_in_body(PART, body)


@pytest.mark.parametrize(
    "body",
    [
        "Dear Ada,\n\nThank you for Tuesday.\n\nBest regards,\nOlivia",
        "I have worked with finance teams before.",
        "My last job was mostly about dashboards for the sales team.",
        "",
    ],
    ids=["removed", "rewritten", "another sentence", "empty body"],
)  # fmt: skip
def test_a_part_removed_or_rewritten_is_not_in_the_body(body):
    assert not checklist.still_in_body(PART, body)


def test_a_part_of_several_sentences_counts_when_most_of_it_survives():
    part = "Thank you for Tuesday. The tour of the depot was a highlight. I learned a lot."
    edited = "Thank you for Tuesday! The tour of the depot was the highlight. I learnt a lot."
    assert checklist.still_in_body(part, edited)
    assert not checklist.still_in_body(part, "I learned a lot.")
    assert not checklist.still_in_body("   ", "Anything")


def test_a_question_about_timing_may_be_asked_inside_a_sentence():
    # The demo's own follow-up asks this way.
    body = (
        "I wanted to say I am still very interested in joining the desk, and to ask whether "
        "there is any news on the timing of a decision."
    )
    assert states(body, kind="follow_up")["availability"] is True
