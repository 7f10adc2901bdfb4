from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from followup.reminders import schedule as reminder_schedule

from .forms import ProfileForm


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
