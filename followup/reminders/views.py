from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from followup.accounts.models import User
from followup.applications.models import Application

from . import digest
from .forms import LinkPauseForm, ReminderPreferencesForm
from .services import preferences


@login_required
def preferences_view(request):
    form = ReminderPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        preferences.reminder_preferences_update(user=form.save())
        messages.success(request, "Reminder settings saved.")
        return redirect("reminders:preferences")
    muted = Application.objects.visible_to(request.user).filter(
        owner=request.user, reminders_muted=True
    )
    return render(request, "reminders/preferences.html", {"form": form, "muted": muted})


def _from_token(token):
    data = digest.read_unsubscribe_token(token)
    if data is None:
        raise Http404("Not found.")
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise Http404("Not found.")
    application = None
    if data.get("a"):
        application = Application.objects.filter(pk=data["a"], owner=user).first()
        if application is None:
            raise Http404("Not found.")
    # "k" names the email the link came from; links without it are the job seeker's reminders.
    return user, application, data.get("k") == digest.COACH


@csrf_exempt  # RFC 8058: mail clients POST without cookies or tokens; the signed URL is the key.
def unsubscribe(request, token):
    """GET shows the choices (link scanners must not unsubscribe anyone); POST acts.

    Every link stops emails, however old (a one-click unsubscribe must keep working). Pausing
    is offered only by a recent link, and may only lengthen the quiet: the link travels with
    the email, and whoever holds it must not be able to turn reminders back on.
    """
    user, application, coach = _from_token(token)
    can_pause = digest.unsubscribe_token_is_recent(token)

    def choices(pause_form, status=200, error=""):
        context = {
            "person": user,
            "application": application,
            "coach": coach,
            "pause_form": pause_form if can_pause else None,
            "token": token,
            "error": error,
        }
        return render(request, "reminders/unsubscribe.html", context, status=status)

    if request.method != "POST":
        return choices(LinkPauseForm(person=user))
    action = request.POST.get("action")
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    if (one_click and coach) or action == "stop_coach_digest":
        # One click on a coach digest stops that digest, not the person's own reminders.
        preferences.coach_digest_stop(user=user)
        outcome = "You will receive no more digests about your clients."
    elif one_click or action == "stop_all":
        preferences.reminders_stop(user=user)
        outcome = "You will receive no more reminder emails."
    elif action == "stop_application" and application is not None:
        preferences.application_mute(application=application)
        outcome = f"No more reminders about {application}."
    elif action == "pause" and not can_pause:
        error = (
            "This link is too old to pause reminders. It can still stop them; to pause, sign in "
            "and change your reminder settings."
        )
        return choices(None, status=403, error=error)
    elif action == "pause":
        form = LinkPauseForm(request.POST, person=user)
        if not form.is_valid():
            return choices(form, status=400)
        preferences.reminders_pause(user=user, until=form.cleaned_data["until"])
        outcome = f"Reminders are paused until {form.cleaned_data['until']:%-d %B %Y}."
    else:
        return choices(LinkPauseForm(person=user), status=400)
    return render(request, "reminders/unsubscribed.html", {"outcome": outcome})
