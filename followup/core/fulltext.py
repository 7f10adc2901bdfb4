"""Search a model's own text: PostgreSQL's full-text search, or a plain fallback on SQLite.

A queryset opts in by inheriting `SearchableQuerySet` and naming its `search_fields`;
`matching(query)` then keeps the rows holding the words of `query` (web-search syntax: quoted
phrases, `or`, `-word`), best first, each with a `search_headline`, which `headline()` turns
into safe HTML with the matches marked.

On PostgreSQL the filter is `search_vector(fields) @@ websearch_to_tsquery(...)`, served by a
GIN expression index built from exactly the same expression (followup/search/migrations): any
difference (another config, another field order) and the planner reads the whole table.
SQLite, used only to run the site locally, gets `icontains` on every word instead.
"""

import re
import secrets

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models.functions import Concat, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from followup.core.text import single_line

# The text search configuration of every vector, query and index: English stemming, so that
# "interviewing" finds "interview".
CONFIG = "english"

# ts_headline marks matches with these; a stored text cannot contain them, since they are drawn
# afresh in each process and never shown. They are letters and digits only, so escaping the
# headline leaves them intact to be replaced by <mark> afterwards.
_START = f"hl{secrets.token_hex(8)}s"
_STOP = f"hl{secrets.token_hex(8)}e"

# Between the fields of a snippet: without it, a contact's organisation ran into their email
# and notes ("Harbour Logistics ada@harbour.example Met at the meetup") as one sentence.
FIELD_SEPARATOR = " · "

# Longer is no search anyone types, and each word costs the database.
MAX_QUERY_LENGTH = 200

# Words of a query, for the SQLite fallback: web-search syntax reduced to its words.
_WORD = re.compile(r"\w+")
_FALLBACK_CONTEXT = 80


def query_from(request, name: str = "q") -> str:
    """The words to search for in the query string: one line, no NUL (PostgreSQL refuses it)."""
    return single_line(request.GET.get(name, ""))[:MAX_QUERY_LENGTH].strip()


def search_vector(fields) -> SearchVector:
    """The document of a row: its `fields`, in order, as one English tsvector."""
    return SearchVector(*fields, config=CONFIG)


def _is_postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def snippet_document(fields) -> models.Expression:
    """The text snippets are cut from: the `fields` not empty, in order, apart by
    FIELD_SEPARATOR. Only for reading: the index and the match use `search_vector`."""
    pieces = [
        models.Case(
            models.When(
                models.Q(**{f"{field}__gt": ""}), then=Concat(models.Value(FIELD_SEPARATOR), field)
            ),
            default=models.Value(""),
            output_field=models.TextField(),
        )
        for field in fields
    ]
    # Each piece starts with the separator: the first one is cut off.
    joined = Concat(*pieces, output_field=models.TextField()) if len(pieces) > 1 else pieces[0]
    return Substr(joined, len(FIELD_SEPARATOR) + 1)


class SearchableQuerySet(models.QuerySet):
    """A queryset whose rows can be searched by the words in their `search_fields`."""

    search_fields: tuple[str, ...] = ()

    def matching(self, query: str):
        """Rows holding the words of `query`, best first, each with its `search_headline`."""
        document = snippet_document(self.search_fields)
        if not _is_postgres(self):
            return self._matching_words(query).annotate(search_headline=document)
        terms = SearchQuery(query, config=CONFIG, search_type="websearch")
        return (
            self.alias(search_document=search_vector(self.search_fields))
            .filter(search_document=terms)
            .annotate(
                search_rank=SearchRank(search_vector(self.search_fields), terms),
                search_headline=SearchHeadline(
                    document,
                    terms,
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-search_rank", "-pk")
        )

    def _matching_words(self, query: str):
        wanted, unwanted = fallback_terms(query)
        if not wanted:
            return self.none()
        rows = self
        for word in wanted:
            rows = rows.filter(self._in_any_field(word))
        for word in unwanted:
            rows = rows.exclude(self._in_any_field(word))
        return rows.order_by("-pk")

    def _in_any_field(self, word: str) -> models.Q:
        any_field = models.Q()
        for field in self.search_fields:
            any_field |= models.Q(**{f"{field}__icontains": word})
        return any_field


def fallback_terms(query: str) -> tuple[list[str], list[str]]:
    """The words to find and the words to leave out (`-word`), for the SQLite fallback.

    Close enough to web-search syntax to run the site locally: quotes are dropped and `or`
    is ignored, so every other word is required.
    """
    wanted, unwanted = [], []
    for token in query.lower().split():
        words = [word for word in _WORD.findall(token) if word != "or"]
        (unwanted if token.startswith("-") else wanted).extend(words)
    return wanted, unwanted


def headline(row, query: str) -> SafeString:
    """The row's `search_headline` as HTML: the stored text escaped, only the matches marked."""
    text = row.search_headline or ""
    if not hasattr(row, "search_rank"):
        # The SQLite fallback: the whole document came back; cut it around the first match.
        text = _fallback_headline(text, query)
    return mark_safe(  # noqa: S308 - escaped first; only our own markers become tags
        escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def _fallback_headline(text: str, query: str) -> str:
    words, _ = fallback_terms(query)
    if not words:
        return text[: 2 * _FALLBACK_CONTEXT]
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - _FALLBACK_CONTEXT) if first else 0
    end = start + 2 * _FALLBACK_CONTEXT
    marked = pattern.sub(lambda match: f"{_START}{match.group(0)}{_STOP}", text[start:end])
    return ("… " if start else "") + marked + (" …" if end < len(text) else "")
