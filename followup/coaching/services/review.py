"""Letter review: the job seeker asks for it, the coach comments and marks it done, the job
seeker resolves the comments.

Whose turn it is travels by email: a request goes to every coach who may comment, a coach's
comment goes to the job seeker. Emails leave through Celery once the transaction has committed,
so a rolled-back request never reaches anyone's inbox.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from followup.accounts.models import User
from followup.core.access import commentable_owner_ids, record_change
from followup.letters.models import Letter

from ..models import COMMENT_MAX_LENGTH, AccessAction, Comment
from ..selectors import commenting_coaches
from ..tasks import send_comment_notice, send_review_request

PART_LABELS = dict(Comment.PARTS)


def _owner_id(letter: Letter) -> int:
    return letter.application.owner_id


@transaction.atomic
def review_request(*, letter: Letter, requested_by: User) -> list[User]:
    """Ask every coach who may comment to review a draft; return the coaches asked.

    Only the letter's owner may ask, only for a draft, and only with a coach at the comment or
    edit level: asking a view-only coach would send them to a page where they cannot answer.
    """
    if _owner_id(letter) != requested_by.pk:
        raise PermissionDenied("Only the letter's owner can ask for a review.")
    if letter.is_sent:
        raise ValidationError("This letter has been sent already; only drafts can be reviewed.")
    coaches = list(commenting_coaches(requested_by))
    if not coaches:
        raise ValidationError(
            "You have no coach who may comment on your letters. Invite one, or give your coach "
            "the “view and comment” level, from your coaching settings."
        )
    now = timezone.now()
    # Claim the request in the row: of two clicks at once, only one sends the coaches an email.
    claimed = Letter.objects.filter(
        pk=letter.pk, review_requested_at__isnull=True, sent_on__isnull=True
    ).update(review_requested_at=now)
    if not claimed:
        raise ValidationError("Your coach has been asked already; their comments will appear here.")
    letter.review_requested_at = now
    transaction.on_commit(lambda: send_review_request.delay(letter.pk))
    return coaches


def _clean_comment(part: str, text: str) -> str:
    if part not in PART_LABELS:
        raise ValidationError("Choose a part of the letter.")
    text = text.strip()
    if not text:
        raise ValidationError("Write a comment.")
    if "\x00" in text:
        # PostgreSQL cannot store it; the form refuses it too, this guards other callers.
        raise ValidationError("The comment contains a character that cannot be saved.")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(f"Keep a comment under {COMMENT_MAX_LENGTH} characters.")
    return text


@transaction.atomic
def comment_add(*, letter: Letter, author: User, part: str, text: str) -> Comment:
    """Add a comment on the whole letter (`part=""`) or on one of its parts.

    A coach with comment or edit consent comments; the owner may answer in the same thread. A
    coach's comment is written to the client's access log and mailed to the client: it is their
    turn now.
    """
    owner_id = _owner_id(letter)
    by_coach = author.pk != owner_id
    if by_coach and owner_id not in commentable_owner_ids(author):
        raise PermissionDenied("You may not comment on this letter.")
    comment = Comment.objects.create(
        letter=letter, author=author, part=part, text=_clean_comment(part, text)
    )
    if by_coach:
        record_change(
            author,
            letter,
            AccessAction.COMMENTED,
            path=reverse("letters:compose", args=[letter.pk]),
        )
        transaction.on_commit(lambda: send_comment_notice.delay(comment.pk))
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, user: User) -> Comment:
    """Mark a comment resolved.

    Only the letter's owner resolves: the comments are about their letter, and they decide when
    a point has been dealt with. Resolving does not close the review: the coach says when they
    are done (`review_done`), or the letter is sent.
    """
    if _owner_id(comment.letter) != user.pk:
        raise PermissionDenied("Only the letter's owner can resolve comments.")
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        Comment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
            resolved_at=comment.resolved_at
        )
    return comment


@transaction.atomic
def review_done(*, letter: Letter, coach: User) -> Letter:
    """Close the review the job seeker asked for: `coach` has said what they had to say.

    Only a coach who may comment closes it, only while it is open; who and when are kept, and
    the job seeker's composer says "reviewed by your coach".
    """
    owner_id = _owner_id(letter)
    if owner_id == coach.pk or owner_id not in commentable_owner_ids(coach):
        raise PermissionDenied("Only a coach who may comment can mark the review done.")
    now = timezone.now()
    # Conditional, like the request: of two coaches clicking at once, one closes it.
    closed = (
        Letter.objects.awaiting_review()
        .filter(pk=letter.pk)
        .update(review_requested_at=None, reviewed_at=now, reviewed_by=coach)
    )
    if not closed:
        raise ValidationError("No review is waiting on this letter: it was closed already.")
    letter.review_requested_at, letter.reviewed_at, letter.reviewed_by = None, now, coach
    record_change(
        coach, letter, AccessAction.COMMENTED, path=reverse("letters:compose", args=[letter.pk])
    )
    return letter
