from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from followup.applications.models import Application
from followup.coaching.models import Coaching, CoachingStatus, Comment
from followup.contacts.models import Contact
from followup.exports.models import ExportJob
from followup.interviews.models import Interview
from followup.letters.models import Gift, Letter
from followup.reminders import schedule as reminder_schedule

from .forms import DeleteAccountForm, ProfileForm
from .services import account_delete


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if "time_zone" in form.changed_data:
            reminder_schedule.refresh_for_user(user, catch_up=True)
        messages.success(request, "Your settings were saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def _what_goes(user) -> dict:
    """The counts the confirmation page states, so the person knows exactly what is deleted."""
    gifts = Gift.objects.owned_by(user)
    counts = {
        "applications": Application.objects.owned_by(user).count(),
        "interviews": Interview.objects.owned_by(user).count(),
        "contacts": Contact.objects.owned_by(user).count(),
        "letters": Letter.objects.owned_by(user).count(),
        "gifts": gifts.count(),
        "files": gifts.exclude(file="").count(),
        "comments": Comment.objects.owned_by(user).count(),
        "exports": ExportJob.objects.owned_by(user).exclude(file="").count(),
    }
    live = (CoachingStatus.ACTIVE, CoachingStatus.INVITED)
    coachings = Coaching.objects.involving(user).filter(status__in=live)
    counts["coaches"] = coachings.filter(client=user).count()
    counts["clients"] = coachings.filter(coach=user).count()
    return counts


@login_required
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        account_delete(user=user)
        logout(request)
        return render(request, "accounts/account_deleted.html")
    context = {"form": form, "counts": _what_goes(user)}
    return render(request, "accounts/account_confirm_delete.html", context)
