from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from followup.applications.models import FollowUp, FollowUpKind
from followup.coaching import review
from followup.coaching.models import AccessAction
from followup.coaching.review_forms import CommentForm
from followup.core.access import (
    editable_owner_ids,
    get_editable_or_404,
    get_visible_or_404,
    record_change,
)
from followup.core.params import query_id
from followup.interviews.models import Interviewer

from . import checklist, composing, services, suggestions
from .forms import GiftForm, LetterForm, MarkSentForm, NewLetterForm
from .models import Gift, Letter, LetterKind
from .uploads import content_type_for


@login_required
@require_safe
def letter_list(request):
    letters = (
        Letter.objects.visible_to(request.user)
        .owned_by(request.user)
        .select_related("application", "contact")
    )
    state = request.GET.get("state", "all")
    if state == "drafts":
        letters = letters.drafts()
    elif state == "sent":
        letters = letters.sent()
    page = Paginator(letters, 25).get_page(request.GET.get("page"))
    return render(request, "letters/letter_list.html", {"page": page, "state": state})


@login_required
def letter_new(request):
    """Choose who the letter is to and what it is about, then open the composer on a draft."""
    if request.method == "POST":
        form = NewLetterForm(request.POST, user=request.user)
        if form.is_valid():
            letter = services.letter_start(**form.cleaned_data)
            record_change(request.user, letter, AccessAction.CREATED, path=request.path)
            return redirect("letters:compose", letter.pk)
    else:
        form = NewLetterForm(initial=_initial_from_query(request), user=request.user)
    return render(request, "letters/letter_new.html", {"form": form})


def _initial_from_query(request) -> dict:
    """Fill the new-letter form from links such as "write to this contact"; a value that is
    not an id is left out, and the form's choices decide whose rows can be picked."""
    initial = {name: query_id(request, name) for name in ("application", "contact", "interview")}
    initial = {name: pk for name, pk in initial.items() if pk is not None}
    if "kind" in request.GET:
        initial["kind"] = request.GET["kind"]
    return initial | _initial_from_follow_up(request)


def _initial_from_follow_up(request) -> dict:
    """A planned follow-up already says who the letter is to and what it is about."""
    follow_up_id = query_id(request, "follow_up")
    if follow_up_id is None:
        return {}
    follow_up = FollowUp.objects.visible_to(request.user).filter(pk=follow_up_id).first()
    if follow_up is None:
        return {}
    kind = (
        LetterKind.THANK_YOU if follow_up.kind == FollowUpKind.THANK_YOU else LetterKind.FOLLOW_UP
    )
    return {
        "application": follow_up.application_id,
        "contact": follow_up.contact_id,
        "kind": kind,
        "interview": follow_up.interview_id,
        "follow_up": follow_up.pk,
    }


def _signature(letter: Letter) -> str:
    """The letter is signed by the person whose letter it is, whoever is looking at it."""
    owner = letter.application.owner
    return owner.name or owner.email


def _interview_context(letter: Letter):
    """The interview notes and what this interviewer said they care about, for the side panel."""
    interviewers = Interviewer.objects.filter(
        contact=letter.contact, interview__application=letter.application
    ).select_related("interview")
    if letter.interview_id:
        interviewers = interviewers.filter(interview=letter.interview_id)
    return interviewers.order_by("-interview__scheduled_at").first()


def _composer(
    request, letter, *, form=None, gift_form=None, sent_form=None, comment_form=None, status=200
):
    gift = letter.gift_or_none
    body = composing.effective_body(letter=letter, gift=gift, signature=_signature(letter))
    items = checklist.check(kind=letter.kind, body=body, gift=gift)
    interviewer = _interview_context(letter)
    wants_gift = letter.kind != LetterKind.CLOSING
    ideas = (
        suggestions.suggest(interviewer.cares_about)
        if interviewer and gift is None and wants_gift
        else []
    )
    can_edit = letter.application.owner_id in editable_owner_ids(request.user)
    form = form or LetterForm(instance=letter)
    if not can_edit:
        # A coach who may only read (or comment) sees the text, without controls that would
        # only answer "forbidden".
        for field in form.fields.values():
            field.disabled = True
    context = {
        "letter": letter,
        "can_edit": can_edit,
        "form": form,
        "wants_gift": letter.kind != LetterKind.CLOSING,
        "gift": gift,
        "gift_form": gift_form or GiftForm(instance=gift, letter=letter),
        "sent_form": sent_form
        or MarkSentForm(
            initial={"sent_on": request.user.today()},
            today=request.user.today(),
            missing_items=checklist.missing(items),
        ),
        "checklist": items,
        "missing": checklist.missing(items),
        "body": body,
        "interviewer": interviewer,
        "ideas": ideas,
        "already_given": services.gifts_already_given(gift) if gift else [],
        "mailto": composing.mailto_link(letter=letter, body=body),
        # The review panel: comments, and whether this person may comment or ask for a review.
        **review.composer_panel(letter=letter, user=request.user),
        "comment_form": comment_form or CommentForm(),
    }
    return render(request, "letters/letter_compose.html", context, status=status)


@login_required
def compose(request, pk):
    letters = Letter.objects.select_related("application__owner", "contact", "interview")
    if request.method != "POST":
        return _composer(request, get_visible_or_404(letters, request.user, request=request, pk=pk))
    letter = get_editable_or_404(letters, request.user, request=request, pk=pk)
    form = LetterForm(request.POST, instance=letter)
    if not form.is_valid():
        return _composer(request, letter, form=form)
    letter = form.save(commit=False)
    if "assemble" in request.POST:
        letter.body = composing.assemble_body(
            letter=letter, gift=letter.gift_or_none, signature=_signature(letter)
        )
    letter.save()
    record_change(request.user, letter, AccessAction.EDITED)
    messages.success(request, "Draft saved.")
    return redirect("letters:compose", letter.pk)


@login_required
@require_POST
def preview(request, pk):
    """Render the body and checklist for the unsaved text in the composer (live preview)."""
    letter = get_visible_or_404(
        Letter.objects.select_related("application__owner", "contact"),
        request.user,
        request=request,
        pk=pk,
    )
    form = LetterForm(request.POST, instance=letter)
    form.is_valid()  # Fills the instance with what was typed; nothing is saved.
    gift = letter.gift_or_none
    body = composing.effective_body(letter=letter, gift=gift, signature=_signature(letter))
    items = checklist.check(kind=letter.kind, body=body, gift=gift)
    return render(request, "letters/_preview.html", {"body": body, "checklist": items})


LETTER_PREFIX = "letter"


@login_required
def gift_edit(request, pk):
    letter = get_editable_or_404(
        Letter.objects.select_related("application__owner", "contact"),
        request.user,
        request=request,
        pk=pk,
    )
    gift = letter.gift_or_none
    form = GiftForm(request.POST or None, request.FILES or None, instance=gift, letter=letter)
    if request.method == "POST":
        # The composer's script sends the letter's unsaved text along with the gift, so adding a
        # gift never loses what was typed (LETTER_PREFIX keeps the two forms' fields apart).
        letter_form = LetterForm(request.POST, instance=letter, prefix=LETTER_PREFIX)
        carries_letter = any(key.startswith(f"{LETTER_PREFIX}-") for key in request.POST)
        if carries_letter and letter_form.is_valid():
            letter = letter_form.save()
            record_change(request.user, letter, AccessAction.EDITED)
        if form.is_valid():
            action = AccessAction.CREATED if form.instance.pk is None else AccessAction.EDITED
            gift = services.gift_save(gift=form.save(commit=False))
            record_change(request.user, gift, action)
            messages.success(request, "Gift saved.")
            if services.gifts_already_given(gift):
                messages.warning(request, f"You already gave this to {letter.contact.name}.")
            return redirect("letters:compose", letter.pk)
        return _composer(request, letter, gift_form=form)
    return _composer(request, letter, gift_form=form)


@login_required
@require_POST
def gift_delete(request, pk):
    letter = get_editable_or_404(Letter.objects, request.user, request=request, pk=pk)
    gift = letter.gift_or_none
    if gift is not None:
        gift.delete()
        record_change(request.user, gift, AccessAction.DELETED)
    messages.success(request, "Gift removed.")
    return redirect("letters:compose", letter.pk)


# A download is kept on disk by the browser unless told not to; said here as well as by the
# middleware, since these two responses are the files themselves.
PRIVATE_DOWNLOAD = cache_control(private=True, no_store=True)


@login_required
@require_safe
@PRIVATE_DOWNLOAD
def gift_file(request, pk):
    """Serve an uploaded gift only to those who may see its letter, always as a download."""
    gift = get_visible_or_404(Gift.objects, request.user, request=request, pk=pk)
    if not gift.file:
        raise Http404("This gift has no file.")
    response = FileResponse(
        gift.file.open("rb"),
        as_attachment=True,
        filename=gift.file_name or "gift",
        content_type=content_type_for(gift.file.name),
    )
    # Even if a browser ignored the attachment disposition, nothing in the file may run.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
@PRIVATE_DOWNLOAD
def download_eml(request, pk):
    letter = get_visible_or_404(
        Letter.objects.select_related("application__owner", "contact"),
        request.user,
        request=request,
        pk=pk,
    )
    body = composing.effective_body(
        letter=letter, gift=letter.gift_or_none, signature=_signature(letter)
    )
    response = HttpResponse(
        composing.as_eml(letter=letter, body=body, sender=letter.application.owner),
        content_type="message/rfc822",
    )
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.eml"'
    return response


@login_required
@require_POST
def mark_sent(request, pk):
    letter = get_editable_or_404(
        Letter.objects.select_related("application__owner", "contact"),
        request.user,
        request=request,
        pk=pk,
    )
    gift = letter.gift_or_none
    body = composing.effective_body(letter=letter, gift=gift, signature=_signature(letter))
    missing_items = checklist.missing(checklist.check(kind=letter.kind, body=body, gift=gift))
    today = request.user.today()
    form = MarkSentForm(request.POST, today=today, missing_items=missing_items)
    if not form.is_valid():
        return _composer(request, letter, sent_form=form, status=400)
    next_follow_up = services.letter_mark_sent(
        letter=letter, sent_on=form.cleaned_data["sent_on"], signature=_signature(letter)
    )
    record_change(request.user, letter, AccessAction.EDITED)
    if next_follow_up is not None:
        messages.success(
            request, f"Marked sent. Next follow-up due {next_follow_up.due_on:%A %-d %B}."
        )
    else:
        messages.success(request, "Marked sent.")
    return redirect(letter.application.get_absolute_url())


@login_required
def delete(request, pk):
    letter = get_editable_or_404(
        Letter.objects.select_related("application"), request.user, request=request, pk=pk
    )
    if request.method == "POST":
        application_url = letter.application.get_absolute_url()
        try:
            letter.delete()
        except ProtectedError:
            messages.error(request, "This letter is referenced elsewhere and cannot be deleted.")
            return redirect("letters:compose", letter.pk)
        record_change(request.user, letter, AccessAction.DELETED)
        messages.success(request, "Letter deleted.")
        return redirect(application_url)
    return render(request, "letters/letter_confirm_delete.html", {"letter": letter})
