from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from followup.applications.models import FollowUp, FollowUpKind
from followup.coaching.models import AccessAction
from followup.core.access import (
    get_editable_or_404,
    get_own_or_404,
    get_visible_or_404,
    record_change,
)
from followup.core.fulltext import query_from
from followup.core.params import query_id

from . import composing, services, suggestions
from .composer import render_composer
from .forms import GiftForm, LetterForm, MarkSentForm, NewLetterForm
from .models import Gift, Letter, LetterKind
from .parts import written_parts
from .uploads import content_type_for


@login_required
@require_safe
def letter_list(request):
    letters = (
        Letter.objects.visible_to(request.user)
        .owned_by(request.user)
        .select_related("application", "contact", "created_by")
    )
    state = request.GET.get("state", "all")
    if state == "drafts":
        letters = letters.drafts()
    elif state == "sent":
        letters = letters.sent()
    # The navbar's search, restricted to letters: best matches first.
    query = query_from(request)
    if query:
        letters = letters.matching(query)
    page = Paginator(letters, 25).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "query": query}
    return render(request, "letters/letter_list.html", context)


@login_required
def letter_new(request):
    """Open the draft for a person and step, or start one, in the composer.

    The plan's buttons post every choice, so they open the composer at once; otherwise a short
    form asks who the letter is to and what it is about.
    """
    if request.method == "POST":
        form = NewLetterForm(request.POST, user=request.user)
        if form.is_valid():
            letter, started = services.letter_start(by=request.user, **form.cleaned_data)
            if started:
                record_change(request.user, letter, AccessAction.CREATED, path=request.path)
            else:
                messages.info(
                    request, f"A draft to {letter.contact.name} was already started: here it is."
                )
            return redirect("letters:compose", letter.pk)
        return render(request, "letters/letter_new.html", {"form": form})
    follow_up = _follow_up_from_query(request)
    # A link to a planned follow-up (a reminder email's, say) opens the draft already written.
    if follow_up is not None and (draft := services.letter_draft_for(follow_up=follow_up)):
        return redirect("letters:compose", draft.pk)
    initial = _initial_from_query(request) | _initial_from_follow_up(follow_up)
    form = NewLetterForm(initial=initial, user=request.user)
    return render(request, "letters/letter_new.html", {"form": form})


def _initial_from_query(request) -> dict:
    """Fill the new-letter form from links such as "write to this contact"; a value that is
    not an id is left out, and the form's choices decide whose rows can be picked."""
    initial = {name: query_id(request, name) for name in ("application", "contact", "interview")}
    initial = {name: pk for name, pk in initial.items() if pk is not None}
    if "kind" in request.GET:
        initial["kind"] = request.GET["kind"]
    return initial


def _follow_up_from_query(request) -> FollowUp | None:
    follow_up_id = query_id(request, "follow_up")
    if follow_up_id is None:
        return None
    return FollowUp.objects.visible_to(request.user).filter(pk=follow_up_id).first()


def _initial_from_follow_up(follow_up: FollowUp | None) -> dict:
    """A planned follow-up already says who the letter is to and what it is about."""
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


def _save_text(request, letter: Letter, *, version: int) -> Letter:
    """Save the letter's text typed from `version` (DraftConflict if saved since) and log it as
    an edit in the client's access log when a coach wrote it: every way text is saved."""
    letter = services.letter_save_text(letter=letter, version=version)
    record_change(request.user, letter, AccessAction.EDITED)
    return letter


@login_required
def compose(request, pk):
    # The gift (or its absence) comes with the letter: the composer shows it and its text.
    letters = Letter.objects.select_related(
        "application__owner", "contact", "interview", "created_by", "gift__introduced_contact"
    )
    if request.method != "POST":
        letter = get_visible_or_404(letters, request.user, request=request, pk=pk)
        return render_composer(request, letter)
    letter = get_editable_or_404(letters, request.user, request=request, pk=pk)
    form = LetterForm(request.POST, instance=letter)
    if not form.is_valid():
        return render_composer(request, letter, form=form)
    letter = form.save(commit=False)
    if "assemble" in request.POST:
        letter.body = composing.assemble_body(
            letter=letter, gift=letter.gift_or_none, signature=composing.signature_of(letter)
        )
    try:
        _save_text(request, letter, version=form.cleaned_data["version"])
    except services.DraftConflict as conflict:
        return render_composer(request, letter, form=form, conflict=conflict.saved, status=409)
    messages.success(request, "Draft saved.")
    return redirect("letters:compose", letter.pk)


@login_required
@require_POST
def autosave(request, pk):
    """Save the composer's text as it is typed; answer with a line saying when, or why not."""
    letter = get_editable_or_404(
        Letter.objects.select_related("application__owner", "contact"),
        request.user,
        request=request,
        pk=pk,
    )
    form = LetterForm(request.POST, instance=letter)
    if not form.is_valid():
        return render(request, "letters/_draft_status.html", {"form": form}, status=400)
    try:
        letter = _save_text(request, form.save(commit=False), version=form.cleaned_data["version"])
    except services.DraftConflict as conflict:
        context = {
            "letter": letter,
            "conflict": conflict.saved,
            "conflict_parts": written_parts(conflict.saved),
        }
        return render(request, "letters/_draft_conflict.html", context, status=409)
    return render(request, "letters/_draft_status.html", {"saved": letter})


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
    return render(request, "letters/_preview.html", {"draft": composing.draft_of(letter)})


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
    initial = _gift_initial_from_query(request, letter) if request.method == "GET" else None
    form = GiftForm(
        request.POST or None, request.FILES or None, instance=gift, initial=initial, letter=letter
    )
    if request.method == "POST":
        # The composer's script sends the letter's unsaved text along with the gift, so adding a
        # gift never loses what was typed (LETTER_PREFIX keeps the two forms' fields apart).
        letter, refused = _save_carried_text(request, letter, gift_form=form)
        if refused is not None:
            # Neither the gift nor the text is saved; both stay on the page.
            return refused
        if form.is_valid():
            action = AccessAction.CREATED if form.instance.pk is None else AccessAction.EDITED
            gift = services.gift_save(gift=form.save(commit=False))
            record_change(request.user, gift, action)
            messages.success(request, "Gift saved.")
            if services.gifts_already_given(gift):
                messages.warning(request, f"You already gave this to {letter.contact.name}.")
            return redirect("letters:compose", letter.pk)
        return render_composer(request, letter, gift_form=form)
    return render_composer(request, letter, gift_form=form)


def _save_carried_text(request, letter: Letter, **composer_forms):
    """Save the letter's unsaved text that the composer sent along with another form (the gift,
    mark-sent), through the same version check as every save.

    Returns the letter and, when the text cannot be saved, the page to answer with instead: the
    composer showing the person's text, with its errors (400) or beside the newer saved text
    (409). Nothing typed is dropped, and nothing saved since is written over.
    """
    if not any(key.startswith(f"{LETTER_PREFIX}-") for key in request.POST):
        return letter, None
    letter_form = LetterForm(request.POST, instance=letter, prefix=LETTER_PREFIX)
    typed = LetterForm(_unprefixed(request.POST, LETTER_PREFIX), instance=letter)
    if not letter_form.is_valid():
        return letter, render_composer(request, letter, form=typed, status=400, **composer_forms)
    try:
        letter = _save_text(
            request, letter_form.save(commit=False), version=letter_form.cleaned_data["version"]
        )
    except services.DraftConflict as conflict:
        return letter, render_composer(
            request, letter, form=typed, conflict=conflict.saved, status=409, **composer_forms
        )
    return letter, None


def _gift_initial_from_query(request, letter) -> dict:
    """Fill the gift form from a "Use this idea" link: a gift given before (by id, fetched
    through the access rule and only from the letter owner's gifts), or a kind, title, topic and
    person; the form's choices decide which contacts can be picked."""
    from_gift = query_id(request, "from_gift")
    if from_gift is not None:
        source = (
            Gift.objects.visible_to(request.user)
            .owned_by(letter.application.owner_id)
            .filter(pk=from_gift)
            .first()
        )
        return suggestions.reuse_initial(source) if source else {}
    initial = {name: request.GET.get(name, "") for name in ("kind", "title", "inspiration")}
    initial = {name: value[:1000] for name, value in initial.items() if value}
    introduced = query_id(request, "introduced_contact")
    return initial | ({"introduced_contact": introduced} if introduced else {})


def _unprefixed(data, prefix: str) -> dict:
    """The fields sent under `prefix`, under their own names (the text the gift form carried)."""
    start = f"{prefix}-"
    return {key.removeprefix(start): data[key] for key in data if key.startswith(start)}


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
    # The owner's only: the file is the letter ready to send from their mailbox (Composer.can_send).
    letter = get_own_or_404(
        Letter.objects.select_related("application__owner", "contact"), request.user, pk=pk
    )
    draft = composing.draft_of(letter)
    response = HttpResponse(
        composing.as_eml(letter=letter, body=draft.body, sender=letter.application.owner),
        content_type="message/rfc822",
    )
    response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.eml"'
    return response


@login_required
@require_POST
def mark_sent(request, pk):
    # Only the person who sent it can say it went, whatever a coach may edit (Composer.can_send).
    letter = get_own_or_404(
        Letter.objects.select_related("application__owner", "contact"), request.user, pk=pk
    )
    # The composer's script sends the letter's unsaved text along: what is marked sent, and
    # checked, is what the person sees in the composer.
    letter, refused = _save_carried_text(request, letter)
    if refused is not None:
        return refused
    draft = composing.draft_of(letter)
    form = MarkSentForm(request.POST, owner=letter.application.owner, missing_items=draft.missing)
    if not form.is_valid():
        return render_composer(request, letter, sent_form=form, status=400)
    if form.needs_confirmation:
        # Not an error: the composer asks once, and "Mark as sent anyway" sends it as it is.
        return render_composer(request, letter, sent_form=form)
    next_follow_up = services.letter_mark_sent(
        letter=letter, sent_on=form.cleaned_data["sent_on"], signature=draft.signature
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
