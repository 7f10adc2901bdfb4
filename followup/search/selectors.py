"""What the search page reads: the rows a person may see that match their words, by kind."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Window
from django.utils.safestring import SafeString

from followup.applications.models import Application
from followup.contacts.models import Contact
from followup.core.authorship import RecordedBy
from followup.core.fulltext import headline
from followup.interviews.models import Interview
from followup.letters.models import Letter

# The best rows shown per kind; the count says how many matched in all.
SHOWN_PER_KIND = 20


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    headline: SafeString
    # The client whose row this is, for a coach; None for the person's own rows.
    client: str | None
    client_id: int | None
    # The row itself where it keeps who recorded it (core.authorship.RecordedBy), for the
    # "added by your coach" badge; None for contacts.
    recorded: Any = None


@dataclass(frozen=True)
class Group:
    kind: str
    total: int
    hits: list[Hit]


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    def client_ids(self) -> set[int]:
        return {hit.client_id for group in self.groups for hit in group.hits if hit.client_id}


@dataclass(frozen=True)
class _Kind:
    label: str
    rows: Callable  # user -> queryset, with whatever the titles need joined
    owner: Callable  # row -> its owner
    title: Callable  # row -> str


def _interview_title(interview: Interview) -> str:
    return f"{interview} for {interview.application}"


KINDS = [
    _Kind(
        "Applications",
        lambda user: Application.objects.visible_to(user).select_related("owner", "created_by"),
        lambda application: application.owner,
        str,
    ),
    _Kind(
        "Interviews",
        lambda user: Interview.objects.visible_to(user).select_related(
            "application__owner", "created_by"
        ),
        lambda interview: interview.application.owner,
        _interview_title,
    ),
    _Kind(
        "Contacts",
        lambda user: Contact.objects.visible_to(user).select_related("owner"),
        lambda contact: contact.owner,
        str,
    ),
    _Kind(
        "Letters",
        lambda user: Letter.objects.visible_to(user).select_related(
            "application__owner", "contact", "created_by"
        ),
        lambda letter: letter.application.owner,
        lambda letter: letter.subject or str(letter),
    ),
]


def search_for(user, query: str) -> SearchResults:
    """Everything `user` may see that matches `query`: one query per kind, whatever the rows."""
    groups = []
    for kind in KINDS:
        # The window counts every match while only the best few rows come back.
        rows = list(
            kind.rows(user)
            .matching(query)
            .annotate(search_total=Window(Count("pk")))[:SHOWN_PER_KIND]
        )
        if rows:
            hits = [_hit(kind, row, user, query) for row in rows]
            groups.append(Group(kind.label, rows[0].search_total, hits))
    return SearchResults(query, groups)


def _hit(kind: _Kind, row, user, query: str) -> Hit:
    owner = kind.owner(row)
    theirs = owner.pk != user.pk
    return Hit(
        title=kind.title(row),
        url=row.get_absolute_url(),
        headline=headline(row, query),
        client=owner.display_name if theirs else None,
        client_id=owner.pk if theirs else None,
        recorded=row if isinstance(row, RecordedBy) else None,
    )
