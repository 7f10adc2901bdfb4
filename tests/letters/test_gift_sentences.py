"""The sentence that offers a gift: every kind, and inspirations typed the ways people type."""

import pytest

from followup.contacts.models import Contact
from followup.letters.composing import gift_paragraph
from followup.letters.gift_sentences import gift_sentence, reason_for, topic_of
from followup.letters.models import Gift

DBT = "Testing data quality in dbt: a practical guide"
URL = "https://example.com/dbt"
LENA = Contact(pk=3, name="Lena Ortiz", role="CTO", organisation="Nimbus", email="lena@example.org")


def link(inspiration="", **fields):
    return Gift(**{"kind": "link", "title": DBT, "url": URL, "inspiration": inspiration, **fields})


@pytest.mark.parametrize(
    "inspiration, start",
    [
        # A topic, as the form asks for it.
        ("training for a first marathon", "When we spoke about training for a first marathon, "),
        ("Training for a first marathon.", "When we spoke about training for a first marathon, "),
        ("your team's flaky data tests", "When we spoke about your team's flaky data tests, "),
        ("“flaky dbt tests”", "When we spoke about flaky dbt tests, "),
        ("The Lisbon marathon", "When we spoke about the Lisbon marathon, "),
        # A name or an acronym keeps its capital.
        ("Lisbon restaurants", "When we spoke about Lisbon restaurants, "),
        ("AWS costs", "When we spoke about AWS costs, "),
        ("We talked about Lisbon", "When we spoke about Lisbon, "),
        ("She mentioned flaky tests", "When we spoke about flaky tests, "),
        ("his first marathon", "When we spoke about your first marathon, "),
        # A sentence about the interviewer is said to them.
        ("He is running his first marathon",
         "You mentioned that you are running your first marathon, so "),
        ("She said she loves Lisbon.", "You mentioned that you love Lisbon, so "),
        ("They are hiring two analysts", "You mentioned that you are hiring two analysts, so "),
        ("Her first marathon is in May", "You mentioned that your first marathon is in May, so "),
        ("He really loves jazz", "You mentioned that you really love jazz, so "),
        ("he watches F1 and tries new tools",
         "You mentioned that you watch F1 and try new tools, so "),
        ("that you are training for the Lisbon marathon",
         "You mentioned that you are training for the Lisbon marathon, so "),
        ("Data quality is a big concern.", "You mentioned that data quality is a big concern, so "),
        ("Worried about flaky dbt tests",
         "You mentioned that you are worried about flaky dbt tests, so "),
        ("Loves trail running!", "You mentioned that you love trail running, so "),
        ("He runs marathons. Training for Lisbon.",
         "You mentioned that you run marathons; training for Lisbon, so "),
        # The writer's own words, and a question the interviewer asked.
        ("I told him about my dbt project", "When we spoke, I told you about my dbt project, so "),
        ("Is dbt worth the effort?", "You asked, “Is dbt worth the effort?” "),
        # No inspiration: the offer alone.
        ("", ""),
        ("  . ", ""),
    ],
)  # fmt: skip
def test_each_way_of_typing_the_inspiration_reads_well(inspiration, start):
    assert gift_sentence(link(inspiration)) == f"{start}I thought you might enjoy “{DBT}”:"


@pytest.mark.parametrize(
    "fields, paragraph",
    [
        ({"kind": "link", "title": DBT},
         f"When we spoke about flaky dbt tests, I thought you might enjoy “{DBT}”:\n{URL}"),
        ({"kind": "link", "title": ""},
         f"When we spoke about flaky dbt tests, I thought you might enjoy this page:\n{URL}"),
        # A title that ends its own sentence takes no colon.
        ({"kind": "article", "title": "Why do dbt tests flake?"},
         f"When we spoke about flaky dbt tests, I thought you might enjoy “Why do dbt tests "
         f"flake?”\n{URL}"),
        ({"kind": "article", "title": "", "url": URL},
         f"When we spoke about flaky dbt tests, I thought you might enjoy this article:\n{URL}"),
        # An attached article: its file's name keeps the title's full stop from meeting the comma.
        ({"kind": "article", "title": "Data tests, explained.", "url": "", "file": "gifts/a.pdf",
          "file_name": "guide.pdf"},
         "When we spoke about flaky dbt tests, I have attached “Data tests, explained.” "
         "(guide.pdf), which I thought you might enjoy."),
        ({"kind": "article", "title": "", "url": "", "file": "gifts/a.pdf",
          "file_name": "guide.pdf"},
         "When we spoke about flaky dbt tests, I have attached an article (guide.pdf), which I "
         "thought you might enjoy."),
        ({"kind": "article", "title": DBT, "file": "gifts/a.pdf", "file_name": "guide.pdf"},
         f"When we spoke about flaky dbt tests, I have attached “{DBT}” (guide.pdf), which I "
         f"thought you might enjoy; it is also online:\n{URL}"),
        ({"kind": "list", "title": "Tools for dbt tests", "url": "",
          "items": "dbt-expectations\n\n  elementary  \n"},
         "When we spoke about flaky dbt tests, I put together a short list for you, “Tools for dbt "
         "tests”:\n- dbt-expectations\n- elementary"),
        ({"kind": "list", "title": "", "url": "", "items": "dbt-expectations"},
         "When we spoke about flaky dbt tests, I put together a short list for you:\n"
         "- dbt-expectations"),
        ({"kind": "introduction", "title": "", "url": "", "introduced_contact": LENA},
         "When we spoke about flaky dbt tests, I would be glad to introduce you to Lena Ortiz; "
         "here are their details:\nLena Ortiz\nCTO, Nimbus\nlena@example.org"),
    ],
)  # fmt: skip
def test_every_kind_of_gift_has_its_sentence_and_what_follows_on_lines_of_its_own(
    fields, paragraph
):
    assert gift_paragraph(link("flaky dbt tests", **fields)) == paragraph


def test_a_full_sentence_inspiration_with_an_introduction():
    gift = link("They are hiring two analysts", kind="introduction", introduced_contact=LENA)
    assert gift_sentence(gift) == (
        "You mentioned that you are hiring two analysts, so I would be glad to introduce you to "
        "Lena Ortiz; here are their details:"
    )


def test_a_quoted_title_is_not_quoted_twice_and_stays_on_one_line():
    gift = link(title='"Testing data\nquality"', inspiration="")
    assert gift_sentence(gift) == "I thought you might enjoy “Testing data quality”:"


def test_the_persons_own_sentence_replaces_the_generated_one():
    gift = link("flaky dbt tests", sentence="  Here is the guide I mentioned.  ")
    assert gift_paragraph(gift) == f"Here is the guide I mentioned.\n{URL}"


def test_the_link_is_not_repeated_when_their_own_sentence_holds_it():
    gift = link(sentence=f"The guide I mentioned is at {URL} and worth an hour.")
    assert gift_paragraph(gift) == f"The guide I mentioned is at {URL} and worth an hour."


def test_a_url_in_the_inspiration_is_never_followed_by_a_full_stop():
    reason = reason_for("the guide at https://example.com/x.")
    assert reason.text == "When we spoke about the guide at https://example.com/x"
    assert reason.joiner == ", "


@pytest.mark.parametrize(
    "phrase, topic",
    [
        ("Worried about flaky dbt tests", "flaky dbt tests"),
        ("loves trail running", "trail running"),
        ("she is training for the Lisbon marathon", "training for the Lisbon marathon"),
        ("Rust tooling for the data platform", "Rust tooling for the data platform"),
        ("We talked about his move to Lisbon.", "your move to Lisbon"),
    ],
)
def test_the_topic_of_a_note(phrase, topic):
    assert topic_of(phrase) == topic
