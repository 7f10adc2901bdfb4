"""Pages for interviews: the form with its interviewers, the detail, edit and delete. Each view
parses the request, calls a service, and answers; the rules (the thank-you letters an interview
plans) live in applications/services.py, with the rest of the follow-up plan.

An interview's time is the owner's clock: the form reads and shows it in the owner's zone, and
so does the detail page, whoever looks (a coach in another zone types the time the client was
told, and sees the same).
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_safe

from followup.applications import services
from followup.applications.models import Application, FollowUpKind
from followup.coaching.models import AccessAction
from followup.contacts.models import Contact
from followup.core.access import get_editable_or_404, get_visible_or_404, record_change

from .forms import InterviewerFormSet, InterviewForm
from .models import Interview, Interviewer
from .thank_yous import mark_thank_yous


def _owners_clock(application: Application):
    """Read and show times in the application owner's zone, for the rest of the request."""
    return timezone.override(application.owner.zone)


def _interview_form(request, application, data, **kwargs) -> InterviewForm:
    owner = application.owner
    whose = "" if owner.pk == request.user.pk else owner.display_name
    return InterviewForm(data, whose=whose, **kwargs)


def _interviewer_choices(request, application):
    # The viewer's contacts that belong to the application's owner: never anyone else's.
    return Contact.objects.visible_to(request.user).filter(owner=application.owner_id)


@login_required
@require_http_methods(["GET", "POST"])
def interview_create(request, pk):
    application = get_editable_or_404(
        Application.objects.select_related("owner"), request.user, request=request, pk=pk
    )
    with _owners_clock(application):
        return _interview_create(request, application)


def _interview_create(request, application):
    data = request.POST if request.method == "POST" else None
    form = _interview_form(request, application, data)
    formset = InterviewerFormSet(
        data, prefix="interviewers", contacts=_interviewer_choices(request, application)
    )
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        # New people typed in as interviewers are saved with the interview, or not at all.
        with transaction.atomic():
            interviewers = formset.interviewers(
                owner=application.owner, organisation=application.organisation
            )
            interview = services.interview_create(
                application=application,
                interviewers=interviewers,
                by=request.user,
                **form.cleaned_data,
            )
        record_change(request.user, interview, AccessAction.CREATED)
        _record_new_people(request.user, formset)
        messages.success(request, _recorded_message(interview))
        return redirect(interview)
    context = {"form": form, "formset": formset, "application": application}
    return render(request, "interviews/interview_form.html", context)


def _record_new_people(user, formset) -> None:
    for contact in formset.created_contacts:
        record_change(user, contact, AccessAction.CREATED)


def _recorded_message(interview: Interview) -> str:
    due = interview.follow_ups.pending().filter(kind=FollowUpKind.THANK_YOU).first()
    if due is None:
        return "Interview recorded."
    return f"Interview recorded. Thank-you letters are due by {date_format(due.due_on, 'l j F')}."


@login_required
@require_safe
def interview_detail(request, pk):
    interview = get_visible_or_404(
        Interview.objects.select_related("application__owner", "created_by").prefetch_related(
            Prefetch(
                "interviewers",
                queryset=Interviewer.objects.select_related("contact").order_by("pk"),
            )
        ),
        request.user,
        request=request,
        pk=pk,
    )
    letters = list(interview.letters.select_related("contact"))
    follow_ups = list(interview.follow_ups.all())
    mark_thank_yous([interview], letters, follow_ups)
    context = {
        "interview": interview,
        "application": interview.application,
        "letters": letters,
        "can_edit": Interview.objects.editable_by(request.user).filter(pk=interview.pk).exists(),
    }
    with _owners_clock(interview.application):
        return render(request, "interviews/interview_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interview_update(request, pk):
    interview = get_editable_or_404(
        Interview.objects.select_related("application__owner"), request.user, request=request, pk=pk
    )
    with _owners_clock(interview.application):
        return _interview_update(request, interview)


def _interview_update(request, interview):
    application = interview.application
    data = request.POST if request.method == "POST" else None
    form = _interview_form(request, application, data, instance=copy.copy(interview))
    formset = InterviewerFormSet(
        data,
        prefix="interviewers",
        contacts=_interviewer_choices(request, application),
        initial=[
            {"contact": interviewer.contact_id, "cares_about": interviewer.cares_about}
            for interviewer in interview.interviewers.order_by("pk")
        ],
    )
    if data is not None and all([form.is_valid(), formset.is_valid()]):
        with transaction.atomic():
            interviewers = formset.interviewers(
                owner=application.owner, organisation=application.organisation
            )
            services.interview_update(
                interview=form.instance, interviewers=interviewers, **form.cleaned_data
            )
        record_change(request.user, interview, AccessAction.EDITED)
        _record_new_people(request.user, formset)
        messages.success(request, "The interview was saved.")
        return redirect(interview)
    context = {
        "form": form,
        "formset": formset,
        "application": application,
        "interview": interview,
    }
    return render(request, "interviews/interview_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interview_delete(request, pk):
    interview = get_editable_or_404(
        Interview.objects.select_related("application"), request.user, request=request, pk=pk
    )
    if request.method == "POST":
        interview.delete()
        record_change(request.user, interview, AccessAction.DELETED)
        messages.success(request, "The interview was deleted.")
        return redirect(interview.application)
    context = {
        "interview": interview,
        "application": interview.application,
        "letter_count": interview.letters.count(),
    }
    return render(request, "interviews/interview_confirm_delete.html", context)
