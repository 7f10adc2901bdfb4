"""A coach's private notes on a client: only that coach reads them, while the coaching lasts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import NoteForm
from ..models import Coaching, CoachNote
from ..services import notes
from .coach import render_client_page


def _own_note(coach, pk) -> CoachNote:
    """The note if `coach` wrote it and the coaching still holds; anyone else: not found."""
    note = CoachNote.objects.filter(
        pk=pk, coaching__in=Coaching.objects.active().filter(coach=coach)
    ).first()
    if note is None:
        raise Http404("Not found.")
    return note


@login_required
@require_POST
def note_add(request, pk):
    """Keep a note on a client; any level of consent will do, since the note is the coach's."""
    client = selectors.client_visible_to(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_client_page(request, client, status=400, note_form=form)
    coaching = Coaching.objects.active().get(coach=request.user, client=client)
    notes.note_add(coaching=coaching, text=form.cleaned_data["text"])
    messages.success(request, "Note kept.")
    return redirect("coaching:client", client.pk)


@login_required
@require_POST
def note_delete(request, pk):
    note = _own_note(request.user, pk)
    client_id = note.coaching.client_id
    notes.note_delete(note=note)
    messages.success(request, "Note deleted.")
    return redirect("coaching:client", client_id)
