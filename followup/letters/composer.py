"""The composer: what its page shows of one letter to one person, and the page itself.

The letters views render it, and so do coaching's review views when a comment is refused; both
go through `render_composer`, so the page is the same whichever of its forms was sent.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from followup.accounts.models import User
from followup.coaching.forms import CommentForm
from followup.coaching.selectors import ReviewPanel, review_panel
from followup.core.access import editable_owner_ids
from followup.interviews.models import Interviewer

from . import composing, services, suggestions
from .composing import Draft
from .forms import GiftForm, LetterForm, MarkSentForm
from .models import Gift, Letter, LetterKind
from .parts import written_parts
from .suggestions import GiftIdeas


@dataclass(frozen=True)
class Composer:
    """Everything the composer shows of one letter to one viewer, except its forms."""

    letter: Letter
    draft: Draft
    can_edit: bool
    # Only the letter's owner sends it, downloads it or marks it sent: it goes out in their
    # name from their mailbox, so a coach (at any level) is never offered those.
    can_send: bool
    wants_gift: bool
    interviewer: Interviewer | None
    ideas: GiftIdeas
    already_given: list[Gift]
    mailto: str
    review: ReviewPanel

    @property
    def gift(self) -> Gift | None:
        return self.draft.gift

    @property
    def gift_text(self) -> str:
        """What the letter says of its gift, shown in the gift card."""
        return composing.gift_paragraph(self.gift)


def _interviewer(letter: Letter) -> Interviewer | None:
    """The interview notes and what this interviewer said they care about, for the side panel."""
    interviewers = Interviewer.objects.filter(
        contact=letter.contact, interview__application=letter.application
    ).select_related("interview")
    if letter.interview_id:
        interviewers = interviewers.filter(interview=letter.interview_id)
    return interviewers.order_by("-interview__scheduled_at").first()


def composer_for(*, letter: Letter, viewer: User) -> Composer:
    """Gather what the composer shows `viewer` of `letter`: its text, checks, gift and review."""
    draft = composing.draft_of(letter)
    gift = draft.gift
    interviewer = _interviewer(letter)
    wants_gift = letter.kind != LetterKind.CLOSING
    return Composer(
        letter=letter,
        draft=draft,
        can_edit=letter.application.owner_id in editable_owner_ids(viewer),
        can_send=letter.application.owner_id == viewer.pk,
        wants_gift=wants_gift,
        interviewer=interviewer,
        ideas=suggestions.gift_ideas(letter=letter, interviewer=interviewer, viewer=viewer)
        if gift is None and wants_gift
        else GiftIdeas(),
        already_given=services.gifts_already_given(gift) if gift else [],
        mailto=composing.mailto_link(letter=letter, body=draft.body),
        review=review_panel(letter=letter, viewer=viewer),
    )


def render_composer(
    request: HttpRequest,
    letter: Letter,
    *,
    form: LetterForm | None = None,
    gift_form: GiftForm | None = None,
    sent_form: MarkSentForm | None = None,
    comment_form: CommentForm | None = None,
    conflict: Letter | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the composer for the person asking, showing again the form they sent, if any.

    `conflict` is the letter as saved by someone else since `form` was opened: shown beside the
    text they sent, which was not saved.
    """
    composer = composer_for(letter=letter, viewer=request.user)
    form = form or LetterForm(instance=letter)
    if not composer.can_edit:
        # A coach who may only read (or comment) sees the text, without controls that would
        # only answer "forbidden".
        for field in form.fields.values():
            field.disabled = True
    context = {
        "letter": letter,
        "composer": composer,
        "form": form,
        "gift_form": gift_form or GiftForm(instance=composer.gift, letter=letter),
        "sent_form": sent_form
        or MarkSentForm(owner=letter.application.owner, missing_items=composer.draft.missing),
        "comment_form": comment_form or CommentForm(letter_kind=letter.kind),
        "conflict": conflict,
        "conflict_parts": written_parts(conflict) if conflict else [],
    }
    return render(request, "letters/letter_compose.html", context, status=status)
