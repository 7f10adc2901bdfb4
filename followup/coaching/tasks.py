from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection
from django.urls import reverse
from django.utils import timezone

from followup.core.emails import build_email
from followup.letters.models import Letter

from .invitations import invitation_url
from .models import Coaching, CoachingStatus, Comment, EndedBy, InvitedBy
from .selectors import commenting_coaches


def composer_url(letter: Letter) -> str:
    """The absolute address of the letter's composer, where the comments are read and written."""
    return settings.SITE_URL + reverse("letters:compose", args=[letter.pk])


@shared_task(name="followup.coaching.tasks.send_invitation", ignore_result=True)
def send_invitation(coaching_id: int) -> None:
    coaching = (
        Coaching.objects.filter(pk=coaching_id, status=CoachingStatus.INVITED)
        .select_related("coach", "client")
        .first()
    )
    if coaching is None:
        return
    inviter = coaching.coach if coaching.invited_by == InvitedBy.COACH else coaching.client
    context = {"coaching": coaching, "inviter": inviter, "url": invitation_url(coaching)}
    build_email("coaching-invitation", context, to=[coaching.invited_email]).send()


@shared_task(name="followup.coaching.tasks.send_coaching_ended", ignore_result=True)
def send_coaching_ended(coaching_id: int) -> None:
    """Tell the other side that a coaching has ended: the coach that their access is gone, or
    the job seeker that their coach stepped back."""
    coaching = (
        Coaching.objects.filter(pk=coaching_id, status=CoachingStatus.ENDED)
        .exclude(ended_by=EndedBy.UNKNOWN)
        .select_related("coach", "client")
        .first()
    )
    if coaching is None or coaching.coach is None or coaching.client is None:
        return
    # The end date is the job seeker's choice too: the coach is the one to tell.
    by_client = coaching.ended_by in (EndedBy.CLIENT, EndedBy.LAPSED)
    ender, told = (
        (coaching.client, coaching.coach) if by_client else (coaching.coach, coaching.client)
    )
    url = settings.SITE_URL + reverse("coaching:dashboard" if by_client else "coaching:settings")
    context = {
        "coaching": coaching,
        "ender": ender,
        "told": told,
        "by_client": by_client,
        "lapsed": coaching.ended_by == EndedBy.LAPSED,
        "url": url,
    }
    # The date in the email is the reader's.
    with timezone.override(told.zone):
        message = build_email("coaching-ended", context, to=[told.email])
    message.send()


@shared_task(name="followup.coaching.tasks.send_review_request", ignore_result=True)
def send_review_request(letter_id: int) -> None:
    """Tell each coach who may comment that a draft waits for them, one email each."""
    letter = (
        Letter.objects.filter(pk=letter_id, review_requested_at__isnull=False, sent_on__isnull=True)
        .select_related("application__owner", "contact")
        .first()
    )
    if letter is None:
        return  # Withdrawn, resolved or sent before the worker got here.
    client = letter.application.owner
    # Consent is read now, not when the request was made: a coach removed in between hears nothing.
    messages = [
        build_email(
            "review-requested",
            {"coach": coach, "client": client, "letter": letter, "url": composer_url(letter)},
            to=[coach.email],
        )
        for coach in commenting_coaches(client)
    ]
    if messages:
        get_connection().send_messages(messages)


@shared_task(name="followup.coaching.tasks.send_comment_notice", ignore_result=True)
def send_comment_notice(comment_id: int) -> None:
    """Tell the job seeker their coach commented on a letter: it is their turn."""
    comment = (
        Comment.objects.filter(pk=comment_id, resolved_at__isnull=True)
        .select_related("author", "letter__application__owner", "letter__contact")
        .first()
    )
    if comment is None:
        return  # Deleted or already dealt with: nothing to tell.
    letter = comment.letter
    client = letter.application.owner
    context = {
        "client": client,
        "comment": comment,
        "part": comment.part_label,
        "letter": letter,
        "url": composer_url(letter),
    }
    build_email("review-commented", context, to=[client.email]).send()
