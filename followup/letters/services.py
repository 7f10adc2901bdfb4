"""Writing letters and giving gifts: the changes that touch the follow-up plan."""

from datetime import date

from django.db import transaction

from followup.applications import services as plan_services
from followup.applications.models import Application, FollowUp, FollowUpKind
from followup.contacts.models import Contact
from followup.interviews.models import Interview

from . import composing
from .models import Gift, Letter, LetterKind
from .uploads import delete_stored_file_on_commit

DEFAULT_SUBJECTS = {
    LetterKind.THANK_YOU: "Thank you for the interview: {position}",
    LetterKind.FOLLOW_UP: "Following up on the {position} position",
    LetterKind.CLOSING: "Thank you for considering me for {position}",
}


def letter_start(
    *,
    application: Application,
    contact: Contact,
    kind: str,
    interview: Interview | None = None,
    follow_up: FollowUp | None = None,
) -> Letter:
    """Create a draft; a follow-up it answers also tells it its interview and recipient."""
    if follow_up is not None and interview is None:
        interview = follow_up.interview
    return Letter.objects.create(
        application=application,
        contact=contact,
        kind=kind,
        interview=interview,
        follow_up=follow_up,
        subject=DEFAULT_SUBJECTS[kind].format(position=application.position)[:300],
    )


def _fulfilled_follow_up(letter: Letter) -> FollowUp | None:
    pending = letter.application.follow_ups.pending()
    if letter.follow_up_id and pending.filter(pk=letter.follow_up_id).exists():
        return letter.follow_up
    if letter.kind == LetterKind.THANK_YOU:
        matches = pending.filter(kind=FollowUpKind.THANK_YOU, contact=letter.contact)
        if letter.interview_id:
            matches = matches.filter(interview=letter.interview_id)
        return matches.order_by("due_on").first()
    if letter.kind == LetterKind.FOLLOW_UP:
        return pending.filter(kind=FollowUpKind.FOLLOW_UP).order_by("due_on").first()
    return None


@transaction.atomic
def letter_mark_sent(*, letter: Letter, sent_on: date, signature: str) -> FollowUp | None:
    """Record that the person sent the letter; complete its follow-up and plan the next one.

    Returns the next planned follow-up, if the plan has one.
    """
    letter = (
        Letter.objects.select_for_update().select_related("application__owner").get(pk=letter.pk)
    )
    if not letter.body.strip():
        letter.body = composing.assemble_body(
            letter=letter, gift=letter.gift_or_none, signature=signature
        )
    letter.sent_on = sent_on
    letter.save(update_fields=["body", "sent_on", "updated_at"])
    if letter.kind == LetterKind.CLOSING:
        return None
    follow_up = _fulfilled_follow_up(letter)
    if follow_up is not None:
        plan_services.follow_up_complete(follow_up=follow_up, letter=letter, on=sent_on)
    else:
        plan_services.plan_after_touch(
            application=letter.application, after=sent_on, contact=letter.contact
        )
    return letter.application.follow_ups.pending().filter(kind=FollowUpKind.FOLLOW_UP).first()


@transaction.atomic
def gift_save(*, gift: Gift) -> Gift:
    """Save a gift; a file it no longer holds (replaced or cleared) is deleted after commit."""
    stored_name = ""
    if gift.pk is not None:
        # Locked, so that of two replacements at once the second deletes the first one's file.
        stored_name = (
            Gift.objects.select_for_update()
            .filter(pk=gift.pk)
            .values_list("file", flat=True)
            .first()
        ) or ""
    gift.save()
    if stored_name != gift.file.name:
        delete_stored_file_on_commit(gift.file.storage, stored_name)
    return gift


def gifts_already_given(gift: Gift) -> list[Gift]:
    """Earlier gifts to the same contact that look like this one."""
    same = gift.same_gift_filter()
    if same is None:
        return []
    return list(
        Gift.objects.filter(same, letter__contact_id=gift.letter.contact_id)
        .exclude(pk=gift.pk)
        .select_related("letter")
    )
