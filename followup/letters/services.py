"""Writing letters and giving gifts: the changes that touch the follow-up plan."""

from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from followup.accounts.models import User
from followup.applications import services as plan_services
from followup.applications.models import Application, FollowUp, FollowUpKind
from followup.contacts.models import Contact
from followup.core.access import refuse_unless_editable
from followup.interviews.models import Interview

from . import composing
from .models import Gift, Letter, LetterKind
from .uploads import delete_stored_file_on_commit

DEFAULT_SUBJECTS = {
    LetterKind.THANK_YOU: "Thank you for the interview: {position}",
    LetterKind.FOLLOW_UP: "Following up on the {position} position",
    LetterKind.CLOSING: "Thank you for considering me for {position}",
}


@transaction.atomic
def letter_start(
    *,
    application: Application,
    contact: Contact,
    kind: str,
    interview: Interview | None = None,
    follow_up: FollowUp | None = None,
    by: User | None = None,
) -> tuple[Letter, bool]:
    """Open the draft for this person and step, or start one; say whether it was started.

    A follow-up it answers also tells it its interview. Without one, the step still planned for
    this person is found, so a letter started from anywhere is tied to the plan the same way.
    `by` is who is writing (the owner, or their coach at the "edit" level): a letter started
    remembers them as `created_by`; it belongs to the application's owner either way.
    """
    if by is not None:
        refuse_unless_editable(by, application.owner_id)
    # Two clicks on "Write it" (two tabs, a double click, a coach and a client) take turns here,
    # so the second finds the first one's draft. The database's constraint is the backstop.
    Application.objects.select_for_update().values_list("pk", flat=True).get(pk=application.pk)
    if follow_up is not None and follow_up.contact_id not in (None, contact.pk):
        follow_up = None  # planned for someone else: this letter does not answer it
    follow_up = follow_up or _planned_step(
        application=application, contact=contact, kind=kind, interview=interview
    )
    if follow_up is not None:
        tied = letter_draft_for(follow_up=follow_up)
        if tied is not None and (tied.contact_id, tied.kind) == (contact.pk, kind):
            return tied, False
        if tied is not None:
            follow_up = None  # that step's draft is another letter
    if follow_up is not None and interview is None:
        interview = follow_up.interview
    draft = Letter.objects.unclaimed_drafts_to(
        application=application, contact=contact, kind=kind, interview=interview
    ).first()
    if draft is None:
        letter = Letter.objects.create(
            application=application,
            contact=contact,
            kind=kind,
            interview=interview,
            follow_up=follow_up,
            subject=DEFAULT_SUBJECTS[kind].format(position=application.position)[:300],
            created_by=by,
        )
        return letter, True
    if follow_up is not None:
        # A draft to this person started before (or left by a skipped step) answers this one.
        draft.follow_up = follow_up
        draft.save(update_fields=["follow_up"])
    return draft, False


def _planned_step(
    *, application: Application, contact: Contact, kind: str, interview: Interview | None
) -> FollowUp | None:
    """The pending follow-up a new letter to `contact` of this kind would answer, if any."""
    if kind == LetterKind.THANK_YOU:
        steps = application.follow_ups.pending().filter(
            kind=FollowUpKind.THANK_YOU, contact=contact
        )
        if interview is not None:
            steps = steps.filter(interview=interview)
    elif kind == LetterKind.FOLLOW_UP:
        # A cadence step may name nobody: any letter of the kind answers it.
        steps = application.follow_ups.pending().filter(
            Q(contact=contact) | Q(contact__isnull=True), kind=FollowUpKind.FOLLOW_UP
        )
    else:
        return None
    return steps.select_related("interview").order_by("due_on", "pk").first()


def letter_draft_for(*, follow_up: FollowUp) -> Letter | None:
    """The draft already written for a planned follow-up, if any."""
    return Letter.objects.drafts().filter(follow_up=follow_up).first()


class DraftConflict(Exception):
    """The text was saved from another window (or by someone else) since this one opened it."""

    def __init__(self, saved: Letter):
        super().__init__(f"Letter {saved.pk} is at version {saved.version}.")
        self.saved = saved


# What the composer edits; a save writes these and nothing else (never sent_on, never the plan).
TEXT_FIELDS = ("subject", "appreciation", "still_interested", "great_fit", "availability", "body")


def letter_save_text(*, letter: Letter, version: int) -> Letter:
    """Save the composer's text of `letter`, typed from `version`; raise DraftConflict if the
    letter was saved since then, leaving the stored text as it was.

    One conditional UPDATE: of two saves from the same version, exactly one wins.
    """
    now = timezone.now()
    saved = Letter.objects.filter(pk=letter.pk, version=version).update(
        **{name: getattr(letter, name) for name in TEXT_FIELDS},
        version=F("version") + 1,
        updated_at=now,
    )
    if not saved:
        raise DraftConflict(Letter.objects.get(pk=letter.pk))
    letter.version, letter.updated_at = version + 1, now
    return letter


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
    if letter.sent_on is not None:
        # A second click, or a window still open: the first one completed the step and planned
        # the next, which this one must not complete in its turn.
        return None
    if not letter.body.strip():
        letter.body = composing.assemble_body(
            letter=letter, gift=letter.gift_or_none, signature=signature
        )
    letter.sent_on = sent_on
    letter.version += 1  # a window still open on the draft must not save over the sent letter
    # A sent letter has nothing left to review: it leaves the coaches' review queues.
    letter.review_requested_at = None
    letter.save(update_fields=["body", "sent_on", "version", "review_requested_at", "updated_at"])
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
