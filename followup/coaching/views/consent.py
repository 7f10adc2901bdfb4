"""Consent pages: invitations both ways, the job seeker's list of coaches, and the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import AcceptForm, InviteCoachForm, LevelForm
from ..invitations import read_invitation
from ..models import AccessLogEntry, Coaching, CoachingStatus, InvitedBy
from ..services import consent


def _coaching_of(user, pk, **filters) -> Coaching:
    """A consent the person is a party to (as coach or as client); anything else is not found."""
    coaching = Coaching.objects.involving(user).filter(pk=pk, **filters).first()
    if coaching is None:
        raise Http404("Not found.")
    return coaching


@login_required
def coaching_settings(request):
    """The job seeker's coaches, with their level and dates, and what each of them did."""
    form = InviteCoachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent.client_invites_coach(client=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("coaching:settings")
    coachings = Coaching.objects.filter(client=request.user).select_related("coach")
    context = {
        "form": form,
        "coachings": coachings.exclude(status=CoachingStatus.DECLINED),
        "log": AccessLogEntry.objects.filter(client=request.user).select_related("coach")[:100],
        "level_form": LevelForm(),
    }
    return render(request, "coaching/settings.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coaching_end(request, pk):
    """End a consent from either side, after a page that says who loses what; access stops on
    the very next request, and the other side is told by email."""
    coaching = _coaching_of(request.user, pk)
    as_coach = coaching.coach_id == request.user.pk and coaching.client_id != request.user.pk
    if request.method != "POST":
        return render(
            request,
            "coaching/coaching_confirm_end.html",
            {"coaching": coaching, "as_coach": as_coach},
        )
    was_active = coaching.status == CoachingStatus.ACTIVE
    if not consent.coaching_end(coaching=coaching, by=request.user):
        messages.info(request, "This had already ended.")
    elif not was_active:
        messages.success(request, "Invitation cancelled.")
    elif as_coach:
        name = coaching.client.display_name
        messages.success(request, f"You stepped back. {name} has been told by email.")
    else:
        name = coaching.coach.display_name
        messages.success(request, f"{name} no longer has access. They have been told by email.")
    return redirect("coaching:dashboard" if as_coach else "coaching:settings")


@login_required
@require_POST
def coaching_level(request, pk):
    """Change what a coach may do; only the job seeker, whose data it is, can."""
    coaching = _coaching_of(request.user, pk, client=request.user, status=CoachingStatus.ACTIVE)
    form = LevelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("coaching:settings")
    consent.coaching_change_level(coaching=coaching, **form.cleaned_data)
    messages.success(request, "Access level changed.")
    return redirect("coaching:settings")


@login_required
@require_POST
def coaching_calendar(request, pk):
    """Share (or stop sharing) interviews with a coach's calendar; the job seeker's choice."""
    coaching = _coaching_of(request.user, pk, client=request.user, status=CoachingStatus.ACTIVE)
    shared = request.POST.get("shared") == "on"
    consent.coaching_share_calendar(coaching=coaching, shared=shared)
    name = coaching.coach.display_name
    if shared:
        messages.success(request, f"Your interviews now appear in {name}'s calendar.")
    else:
        messages.success(request, f"Your interviews no longer appear in {name}'s calendar.")
    return redirect("coaching:settings")


def invitation(request, token):
    """Open an invitation: a visitor signs up or logs in first, then can accept or decline."""
    coaching = read_invitation(token)
    if coaching is None:
        raise Http404("This invitation is not valid any more.")
    if not request.user.is_authenticated:
        return render(request, "coaching/invitation_login.html", {"coaching": coaching})
    from_coach = coaching.invited_by == InvitedBy.COACH
    inviter = coaching.coach if from_coach else coaching.client
    form = AcceptForm(request.POST or None) if from_coach else None
    if request.method == "POST":
        if request.POST.get("decision") == "decline":
            try:
                coaching = consent.invitation_decline(coaching=coaching, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("home")
            withdrawn = coaching.status == CoachingStatus.ENDED
            messages.info(request, "Invitation withdrawn." if withdrawn else "Invitation declined.")
            return redirect("home")
        if form is None or form.is_valid():
            try:
                consent.invitation_accept(
                    coaching=coaching, user=request.user, **(form.cleaned_data if form else {})
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("home")
            if from_coach:
                messages.success(request, f"{inviter.display_name} is now your coach.")
                return redirect("coaching:settings")
            messages.success(request, f"You now coach {inviter.display_name}.")
            return redirect("coaching:dashboard")
    context = {
        "coaching": coaching,
        "inviter": inviter,
        "form": form,
        "from_coach": from_coach,
        "is_inviter": request.user.pk == coaching.inviter_id,
    }
    return render(request, "coaching/invitation.html", context)
