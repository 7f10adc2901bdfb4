"""The coach's review queue: every letter a client asked them to review, oldest request first.

A request waits until a coach marks the review done or the client marks the letter sent
(`Letter.objects.awaiting_review()`). Only clients who let the coach comment are in it: a
view-only coach is not asked (`services.review.review_request`) and could not answer.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from followup.accounts.models import User
from followup.core import listing
from followup.core.access import visible_owner_ids
from followup.core.prebuilt import Prebuilt
from followup.letters.models import Letter, LetterKind

from .models import COMMENT_LEVELS, Coaching


@dataclass(frozen=True)
class ReviewRequest:
    """One letter waiting for the coach's review, and for how long.

    Plain values, not the letter and its rows: the dashboard lists one per waiting letter, and
    building three model instances for each cost more than the rest of the line.
    """

    letter_id: int
    client: User
    kind: str  # "Thank-you letter"
    to: str  # the contact's name
    application: str  # "Data Engineer at Acme"
    requested_at: datetime
    waited: str  # "3 days", "5 hours": the largest unit only; or "just now"
    url: str  # the letter's composer

    @property
    def waited_label(self) -> str:
        """ "waiting 3 days"; a request under a minute old was "asked just now"."""
        if self.waited == listing.JUST_NOW:
            return f"asked {listing.JUST_NOW}"
        return f"waiting {self.waited}"

    @property
    def requested_label(self) -> str:
        return listing.day_and_time(self.requested_at)


def _awaiting_review_of(coach: User, client_ids):
    """Letters awaiting review whose owner, among `client_ids`, lets `coach` comment today."""
    may_comment = Coaching.objects.active().filter(
        coach=coach, client=OuterRef("application__owner"), level__in=COMMENT_LEVELS
    )
    return (
        Letter.objects.awaiting_review()
        .filter(application__owner__in=list(client_ids))
        .filter(Exists(may_comment))
    )


@functools.lru_cache(maxsize=64)
def _queue_statement(count: int) -> Prebuilt:
    """`review_queue`'s letters for `count` clients, whose ids are its values. Built once per
    process and number of clients: building it took Django longer than running it."""
    client_ids = list(range(-1, -1 - count, -1))
    query = (
        Letter.objects.awaiting_review()
        .filter(application__owner__in=client_ids)
        .order_by("review_requested_at", "pk")
        .values_list(
            "pk",
            "application__owner",
            "kind",
            "contact__name",
            "application__position",
            "application__organisation",
            "review_requested_at",
        )
        .query
    )
    return Prebuilt(query, client_ids)


def review_queue(coach: User, *, clients: dict[int, User], now: datetime | None = None):
    """The letters `clients` asked `coach` to review, oldest request first, in one query
    however many; `clients` are those of the coach's consenting clients, by id, who let them
    comment (the dashboard knows each consent's level already)."""
    if not clients:
        return []
    now = now or timezone.now()
    # The access rule (`visible_to`): only clients whose consent lets the coach read.
    visible = set(visible_owner_ids(coach))
    client_ids = [pk for pk in clients if pk in visible and pk != coach.pk]
    if not client_ids:
        return []
    letters = _queue_statement(len(client_ids)).run(client_ids)
    composer_url = listing.url_for_ids("letters:compose")
    kinds = dict(LetterKind.choices)
    return [
        ReviewRequest(
            letter_id=pk,
            client=clients[owner_id],
            kind=kinds.get(kind, kind),
            to=contact,
            application=f"{position} at {organisation}",
            requested_at=requested_at,
            waited=listing.time_since(requested_at, now),
            url=composer_url(pk),
        )
        for pk, owner_id, kind, contact, position, organisation, requested_at in letters
    ]


def reviews_waiting_count(coach: User, *, client_ids) -> int:
    """How many letters of `client_ids` wait for `coach`'s review (the coach digest's count)."""
    if not client_ids:
        return 0
    return _awaiting_review_of(coach, client_ids).count()
