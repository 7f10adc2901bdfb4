"""The search's GIN indexes exist on PostgreSQL and its queries use them."""

import pytest
from django.db import connection

from followup.applications.models import Application
from followup.contacts.models import Contact
from followup.core.fulltext import fallback_terms, headline
from followup.interviews.models import Interview
from followup.letters.models import Letter
from tests.factories import ApplicationFactory, LetterFactory

INDEXES = {
    "application_search_idx": (Application, "applications_application"),
    "interview_search_idx": (Interview, "applications_interview"),
    "contact_search_idx": (Contact, "contacts_contact"),
    "letter_search_idx": (Letter, "letters_letter"),
}


@pytest.mark.django_db
def test_each_kind_has_its_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(INDEXES)],
        )
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
    assert {name: table for name, (table, _) in found.items()} == {
        name: table for name, (_, table) in INDEXES.items()
    }
    for table, definition in found.values():
        assert "USING gin (to_tsvector('english'::regconfig" in definition, (table, definition)


@pytest.mark.django_db
@pytest.mark.parametrize("name", INDEXES)
def test_the_search_expression_matches_the_index(name):
    model, _ = INDEXES[name]
    # A test table is too small for the planner to bother with an index, and the access rule's
    # owner index wins on it: forbid reading the table whole and leave the owner out, so the
    # plan shows whether the search index can serve the query's expression at all (it can
    # only if the two are identical). The access rule's part is the test below.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = model.objects.matching("harbour").explain()
    assert name in plan, plan


@pytest.mark.django_db
def test_the_letters_query_uses_the_index_among_many_rows(owner):
    # Enough letters that the planner prefers the index on its own, after ANALYZE.
    application = ApplicationFactory(owner=owner)
    letter = LetterFactory(application=application, body="A tour of the harbour.")
    Letter.objects.bulk_create(
        [
            Letter(
                application=application,
                contact=letter.contact,
                kind="thank_you",
                subject=f"Thank you {n}",
                body=f"It was a pleasure to meet you on day {n} and talk about pipelines.",
            )
            for n in range(3000)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE letters_letter")
    plan = Letter.objects.visible_to(owner).matching("harbour").explain()
    assert "letter_search_idx" in plan, plan


class Row:
    """A row as the SQLite fallback returns it: the whole document, not yet cut."""

    def __init__(self, text):
        self.search_headline = text


def test_the_fallback_headline_escapes_and_marks():
    text = "x " * 100 + "<img src=x onerror=alert(1)> Harbour & tour " + "y " * 100
    html = headline(Row(text), "harbour")
    assert html.startswith("… ") and html.endswith(" …")
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>Harbour</mark> &amp; tour" in html
    assert "<img" not in html


def test_the_fallback_reads_web_search_syntax_roughly():
    assert fallback_terms('"Harbour tour" or lighthouse -e-mail') == (
        ["harbour", "tour", "lighthouse"],
        ["e", "mail"],
    )
