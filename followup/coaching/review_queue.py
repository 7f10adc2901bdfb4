"""The coach's review queue: every letter a client asked them to review, oldest request first.

A request waits until a coach marks the review done or the client marks the letter sent
(`Letter.objects.awaiting_review()`). Only clients who let the coach comment are in it: a
view-only coach is not asked (`services.review.review_request`) and could not answer.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.timesince import timesince

from followup.accounts.models import User
from followup.core import listing
from followup.letters.models import Letter

from .models import COMMENT_LEVELS, Coaching


@dataclass(frozen=True)
class ReviewRequest:
    """One letter waiting for the coach's review, and for how long."""

    letter: Letter
    client: User
    waited: str  # "3 days", "5 hours": the largest unit only
    url: str  # the letter's composer

    @property
    def requested_at(self) -> datetime:
        return self.letter.review_requested_at

    @property
    def requested_label(self) -> str:
        return listing.day_and_time(self.letter.review_requested_at)


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


def review_queue(coach: User, *, clients: dict[int, User], now: datetime | None = None):
    """The letters `clients` asked `coach` to review, oldest request first, in one query
    however many; `clients` are those of the coach's consenting clients, by id, who let them
    comment (the dashboard knows each consent's level already)."""
    if not clients:
        return []
    now = now or timezone.now()
    letters = (
        Letter.objects.visible_to(coach)
        .awaiting_review()
        .filter(application__owner__in=list(clients))
        .select_related("application", "contact")
        # Only what a line shows.
        .only(
            "kind",
            "subject",
            "review_requested_at",
            "application__owner_id",
            "application__position",
            "application__organisation",
            "contact__name",
        )
        .order_by("review_requested_at", "pk")
    )
    composer_url = listing.url_for_ids("letters:compose")
    queue = []
    for letter in letters:
        client = clients[letter.application.owner_id]
        letter.application.owner = client
        queue.append(
            ReviewRequest(
                letter=letter,
                client=client,
                waited=timesince(letter.review_requested_at, now, depth=1),
                url=composer_url(letter.pk),
            )
        )
    return queue


def reviews_waiting_count(coach: User, *, client_ids) -> int:
    """How many letters of `client_ids` wait for `coach`'s review (the coach digest's count)."""
    if not client_ids:
        return 0
    return _awaiting_review_of(coach, client_ids).count()
