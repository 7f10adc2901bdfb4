"""The coach's side: every client on one page, one client's dashboard, inviting a client."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from followup.applications.board import board_for
from followup.applications.models import Application
from followup.applications.views import render_board

from .. import selectors, workspace
from ..forms import InviteClientForm, NextStepForm, NoteForm
from ..next_steps import coach_panel_for
from ..services import consent

# Column, heading, and the direction of a first click: the useful end first (most overdue).
COLUMNS = [
    ("name", "Client", ""),
    ("due_today", "Due today", "-"),
    ("overdue", "Overdue", "-"),
    ("next_interview", "Next interview", ""),
    ("last_activity", "Last activity", "-"),
]


def _sort_links(sort: str, behind: bool) -> dict[str, dict]:
    """Each sortable column's heading with the query string that sorts by it (or reverses it)."""
    field, descending = selectors.parse_sort(sort)
    links = {}
    for key, heading, first in COLUMNS:
        if key == field:
            next_sort = key if descending else f"-{key}"
            current = "descending" if descending else "ascending"
        else:
            next_sort, current = f"{first}{key}", ""
        query = {"sort": next_sort, **({"behind": "1"} if behind else {})}
        links[key] = {"heading": heading, "query": urlencode(query), "sort": current}
    return links


def _coach_dashboard(request, form, *, status=200):
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    behind = request.GET.get("behind") == "1"
    context = {
        "dashboard": selectors.coach_dashboard(coach=request.user, sort=sort, behind=behind),
        "columns": _sort_links(sort, behind),
        "sort": sort,
        "behind": behind,
        "form": form,
    }
    return render(request, "coaching/coach_dashboard.html", context, status=status)


@login_required
@require_safe
def coach_dashboard(request):
    """Every consenting client in one table, who is falling behind, and what is due today."""
    if not request.user.is_coach:
        return render(request, "coaching/coach_not_a_coach.html")
    return _coach_dashboard(request, InviteClientForm())


@login_required
@require_POST
def invite_client(request):
    """Ask a job seeker for access; they choose the level when they accept."""
    form = InviteClientForm(request.POST)
    if form.is_valid():
        try:
            batch = consent.coach_invites_clients(
                coach=request.user, emails=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            if batch.sent:
                _say_what_was_sent(request, batch)
                return redirect("coaching:dashboard")
            # Nothing to send: the form stays as typed, with the reason beside it.
            form.add_error("email", [_skipped_line(email, why) for email, why in batch.skipped])
    return _coach_dashboard(request, form, status=400)


def _skipped_line(email: str, why: str) -> str:
    return f"{email}: {why}."


def _say_what_was_sent(request, batch: consent.InvitationBatch) -> None:
    if len(batch.sent) == 1:
        messages.success(request, f"Invitation sent to {batch.sent[0]}.")
    else:
        messages.success(request, f"{len(batch.sent)} invitations sent: {', '.join(batch.sent)}.")
    if batch.skipped:
        lines = "; ".join(_skipped_line(email, why).rstrip(".") for email, why in batch.skipped)
        messages.info(request, f"Not sent: {lines}.")


@login_required
@require_safe
def client_dashboard(request, pk):
    """One client's workspace, as their coach may see it, logged for them."""
    client = selectors.client_opened_by(request.user, pk, what="dashboard", path=request.path)
    return render_client_page(request, client)


def render_client_page(request, client, *, status=200, step_form=None, note_form=None):
    """The client's page; a refused next step or note comes back here with its errors."""
    space = workspace.client_workspace(coach=request.user, client=client)
    context = {
        "client": client,
        "workspace": space,
        # The plan's rows read these names (coaching/coach_follow_up_row.html).
        "board": space.plan,
        "can_act": space.can_act,
        # The coach's own part: next steps they set, and their private notes.
        "panel": coach_panel_for(request.user, client),
        "step_form": step_form
        or NextStepForm(
            applications=Application.objects.visible_to(request.user).owned_by(client).open()
        ),
        "note_form": note_form or NoteForm(),
    }
    return render(request, "coaching/coach_client.html", context, status=status)


@login_required
@require_safe
def client_board(request, pk):
    """One client's applications as a board: movable at the "edit" level, read-only below it."""
    client = selectors.client_opened_by(
        request.user, pk, what="applications board", path=request.path
    )
    return render_board(request, board_for(client, viewer=request.user))
