"""Pages for applications: the list, the timeline, and the forms that change them. Each view
parses the request, calls a service, and answers; the rules live in services.py.
"""

import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from followup.coaching.models import AccessAction
from followup.contacts.models import Contact
from followup.core.access import get_editable_or_404, get_visible_or_404, record_change
from followup.interviews.models import Interview, Interviewer
from followup.interviews.thank_yous import mark_thank_yous

from . import services
from .agenda import agenda_for
from .forms import (
    ApplicationFilterForm,
    ApplicationForm,
    ApplicationUpdateForm,
    ReplyForm,
    SnoozeForm,
    StatusForm,
)
from .models import (
    Application,
    EventKind,
    FollowUp,
    FollowUpStatus,
    Status,
)

PAGE_SIZE = 25

# Pipeline order, so "sort by status" reads applied → interviewing → offer → the closed ones.
STATUS_RANK = Case(
    *[When(status=value, then=Value(rank)) for rank, value in enumerate(Status.values)],
    output_field=IntegerField(),
)


def _count_per_application(queryset) -> Coalesce:
    """A per-row count as a subquery: joining several child tables would multiply the rows."""
    counted = (
        queryset.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Applications ---------------------------------------------------------------------------


@login_required
@require_safe
def application_list(request):
    filters = ApplicationFilterForm(request.GET)
    applications = (
        Application.objects.visible_to(request.user)
        .owned_by(request.user)
        .search(filters.value("q").strip())
    )
    status = filters.value("status")
    state = filters.value("state", "open")
    if status:
        # A status already says open or closed; combining it with the state could only hide rows.
        applications = applications.filter(status=status)
    elif state == "open":
        applications = applications.open()
    elif state == "closed":
        applications = applications.closed()
    applications = filters.filter(applications)
    next_due = FollowUp.objects.pending().filter(application=OuterRef("pk")).order_by("due_on")
    applications = applications.annotate(
        status_rank=STATUS_RANK,
        interview_count=_count_per_application(Interview.objects.all()),
        next_due_on=Subquery(next_due.values("due_on")[:1]),
    ).order_by(*filters.ordering())
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "columns": _columns(filters.value("sort", "-applied")),
        "state": "" if status else state,
        "today": request.user.today(),
    }
    return render(request, "applications/application_list.html", context)


def _columns(sort: str) -> list[dict]:
    """The sortable headers: a click sorts by that column, a second click reverses it."""
    columns = []
    for key, label in [
        ("position", "Position"),
        ("organisation", "Organisation"),
        ("status", "Status"),
        ("applied", "Applied"),
        ("decision_date", "Decision date"),
        ("updated", "Updated"),
    ]:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        columns.append(
            {
                "label": label,
                "sort": f"-{key}" if current and not descending else key,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    return columns


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    form = ApplicationForm(request.POST or None, initial={"applied_on": request.user.today()})
    if request.method == "POST" and form.is_valid():
        application = services.application_create(owner=request.user, **form.cleaned_data)
        messages.success(request, "Application recorded. Add its interviews as they come.")
        _warn_if_decision_date_passed(request, form.cleaned_data["decision_date"])
        return redirect(application)
    return render(request, "applications/application_form.html", {"form": form})


@login_required
@require_safe
def application_detail(request, pk):
    application = get_visible_or_404(
        Application.objects.select_related("owner"), request.user, request=request, pk=pk
    )
    return _render_detail(request, application)


@login_required
@require_http_methods(["GET", "POST"])
def application_update(request, pk):
    application = get_editable_or_404(
        Application.objects.select_related("owner"), request.user, request=request, pk=pk
    )
    # The form writes its values onto its instance even when invalid; the page's headings and
    # links keep showing the stored application.
    form = ApplicationUpdateForm(request.POST or None, instance=copy.copy(application))
    if request.method == "POST" and form.is_valid():
        decision_date = form.cleaned_data["decision_date"]
        services.application_update(
            application=form.instance, today=request.user.today(), **form.cleaned_data
        )
        record_change(request.user, application, AccessAction.EDITED)
        messages.success(request, "The application was saved.")
        if decision_date != application.decision_date:
            _warn_if_decision_date_passed(request, decision_date)
        return redirect(application)
    return render(
        request, "applications/application_form.html", {"form": form, "application": application}
    )


def _warn_if_decision_date_passed(request, decision_date: date | None) -> None:
    if decision_date and decision_date < request.user.today():
        messages.warning(
            request,
            "The decision date you gave has already passed. It is saved; if you have not heard "
            "back, now is a good moment to follow up.",
        )


@login_required
@require_http_methods(["GET", "POST"])
def application_delete(request, pk):
    application = get_editable_or_404(Application.objects, request.user, request=request, pk=pk)
    if request.method == "POST":
        application.delete()
        record_change(request.user, application, AccessAction.DELETED)
        messages.success(request, f"“{application}” was deleted.")
        return redirect("applications:list")
    context = {
        "application": application,
        "interview_count": application.interviews.count(),
        "letter_count": application.letters.count(),
    }
    return render(request, "applications/application_confirm_delete.html", context)


@login_required
@require_POST
def application_status(request, pk):
    application = get_editable_or_404(
        Application.objects.select_related("owner"), request.user, request=request, pk=pk
    )
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, application, status_form=form)
    status, note = form.cleaned_data["status"], form.cleaned_data["note"]
    if status == application.status:
        messages.info(
            request,
            f"The application is already “{application.get_status_display()}”: nothing changed.",
        )
        return redirect(application)
    services.application_set_status(
        application=application, status=status, today=request.user.today(), note=note
    )
    record_change(request.user, application, AccessAction.EDITED)
    messages.success(request, _status_message(application))
    return redirect(application)


def _status_message(application: Application) -> str:
    label = application.get_status_display()
    if application.is_closed:
        return f"Marked “{label}”. Its planned follow-ups are cancelled; no more reminders."
    return f"Moved to “{label}”."


@login_required
@require_POST
def application_reply(request, pk):
    application = get_editable_or_404(Application.objects, request.user, request=request, pk=pk)
    today = request.user.today()
    form = ReplyForm(request.POST, today=today)
    if not form.is_valid():
        return _render_detail(request, application, reply_form=form)
    received_on = form.cleaned_data["received_on"]
    # A reply recorded the day it came is stamped now; an older one at midday of its day, which
    # keeps it in order on the timeline without inventing an hour.
    occurred_at = None
    if received_on != today:
        occurred_at = timezone.make_aware(
            datetime.combine(received_on, time(12)), request.user.zone
        )
    services.application_record_reply(
        application=application, text=form.cleaned_data["text"], occurred_at=occurred_at
    )
    record_change(request.user, application, AccessAction.EDITED)
    messages.success(request, "The reply is on the timeline.")
    return redirect(application)


# --- Acting on one follow-up: done, skip, snooze ------------------------------------------
# Each answers htmx with a small fragment replacing the row, and a plain form with a redirect
# back to the page it came from. Dates are the owner's, whoever clicks.

ALREADY_SETTLED = "That follow-up was already settled: nothing changed."


def _follow_up_to_change(request, pk) -> FollowUp:
    return get_editable_or_404(
        FollowUp.objects.select_related("application__owner", "contact"),
        request.user,
        request=request,
        pk=pk,
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request, follow_up: FollowUp) -> str:
    target = request.POST.get("next", "")
    # Only a path on this site: "0" or "a:b" would otherwise be read as a URL name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return follow_up.application.get_absolute_url()


def _answer(request, follow_up: FollowUp, message: str, level=messages.SUCCESS):
    if _is_htmx(request):
        owner = follow_up.application.owner
        # The page's red count changes with the row: it comes along, swapped in by its id.
        overdue = (
            FollowUp.objects.visible_to(request.user)
            .owned_by(owner)
            .planned()
            .filter(due_on__lt=owner.today())
            .count()
        )
        context = {"follow_up": follow_up, "message": message, "overdue": overdue}
        return render(request, "applications/_follow_up_settled.html", context)
    messages.add_message(request, level, message)
    return HttpResponseRedirect(_back(request, follow_up))


def _next_step(done: str, following: FollowUp | None) -> str:
    if following is None:
        return f"{done}."
    return f"{done}. The next follow-up is due {date_format(following.due_on, 'D j M')}."


@login_required
@require_POST
def follow_up_done(request, pk):
    """The letter went outside followup: settle the follow-up and plan the next step."""
    follow_up = _follow_up_to_change(request, pk)
    if follow_up.status != FollowUpStatus.PENDING:
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    following = services.follow_up_complete(
        follow_up=follow_up, on=follow_up.application.owner.today()
    )
    record_change(request.user, follow_up, AccessAction.EDITED)
    return _answer(request, follow_up, _next_step("Marked done", following))


@login_required
@require_POST
def follow_up_skip(request, pk):
    follow_up = _follow_up_to_change(request, pk)
    if follow_up.status != FollowUpStatus.PENDING:
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    following = services.follow_up_skip(
        follow_up=follow_up, today=follow_up.application.owner.today()
    )
    record_change(request.user, follow_up, AccessAction.EDITED)
    return _answer(request, follow_up, _next_step("Skipped", following))


@login_required
@require_POST
def follow_up_snooze(request, pk):
    """Move the follow-up to a chosen day, or by default to the next business day."""
    follow_up = _follow_up_to_change(request, pk)
    if follow_up.status != FollowUpStatus.PENDING:
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    today = follow_up.application.owner.today()
    form = SnoozeForm(request.POST, today=today)
    if not form.is_valid():
        messages.error(request, f"Not snoozed: {' '.join(form.errors['until'])}")
        if _is_htmx(request):
            # The row stays as it was; the page comes back with the message.
            return HttpResponse(headers={"HX-Refresh": "true"})
        return HttpResponseRedirect(_back(request, follow_up))
    until = form.cleaned_data["until"] or services.snooze_default(follow_up, today)
    if not services.follow_up_snooze(follow_up=follow_up, until=until):
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    record_change(request.user, follow_up, AccessAction.EDITED)
    return _answer(request, follow_up, f"Snoozed to {date_format(until, 'D j M')}.")


# --- The agenda -----------------------------------------------------------------------------


@login_required
@require_safe
def agenda(request):
    """Everything planned for the signed-in person: overdue, the next weeks, and later."""
    return render(request, "applications/agenda.html", {"agenda": agenda_for(request.user)})


# --- The detail page: timeline and plan ----------------------------------------------------


@dataclass
class Entry:
    """One line of the timeline."""

    at: datetime
    kind: str  # "event", "interview" or "letter": picks the template fragment
    item: Any


def _render_detail(request, application, *, status_form=None, reply_form=None):
    today = request.user.today()
    zone = request.user.zone
    # Children are reached from an application the access rule has already let through.
    events = list(application.events.all())
    interviews = list(
        application.interviews.prefetch_related(
            Prefetch(
                "interviewers",
                queryset=Interviewer.objects.select_related("contact").order_by("pk"),
            )
        )
    )
    letters = list(
        application.letters.select_related("contact", "gift", "gift__introduced_contact")
    )
    follow_ups = list(application.follow_ups.select_related("contact", "interview"))
    mark_thank_yous(interviews, letters, follow_ups)

    timeline = sorted(
        [Entry(_event_time(event, application, zone), "event", event) for event in events]
        + [Entry(interview.scheduled_at, "interview", interview) for interview in interviews]
        + [Entry(_letter_time(letter, zone), "letter", letter) for letter in letters],
        key=lambda entry: entry.at,
    )
    context = {
        "application": application,
        "timeline": timeline,
        "pending": [f for f in follow_ups if f.status == FollowUpStatus.PENDING],
        "settled": [f for f in follow_ups if f.status != FollowUpStatus.PENDING],
        "people": _people(interviews, letters),
        "can_edit": Application.objects.editable_by(request.user)
        .filter(pk=application.pk)
        .exists(),
        "status_form": status_form or StatusForm(initial={"status": application.status}),
        "reply_form": reply_form or ReplyForm(today=today),
        "today": today,
        "cadence": application.cadence(),
    }
    return render(request, "applications/application_detail.html", context)


def _event_time(event, application, zone) -> datetime:
    """Where an event sits on the timeline; the application's start sits on the day applied.

    Someone recording an application days after sending it wants the timeline to start on the
    day they applied: the moment it was recorded, held within that day.
    """
    if event.kind != EventKind.CREATED:
        return event.occurred_at
    return _within_day(event.occurred_at, application.applied_on, zone)


def _within_day(at: datetime, day: date, zone) -> datetime:
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = start + timedelta(days=1) - timedelta(microseconds=1)
    return min(max(at, start), end)


def _letter_time(letter, zone) -> datetime:
    """Where a letter sits on the timeline: its last edit, held within the day it was sent.

    A letter only has a sent date; its last edit is usually the moment it was marked sent, so
    that places it after the same day's interview, and a letter drafted before the day it went
    still lands on that day.
    """
    if not letter.is_sent:
        return letter.created_at
    return _within_day(letter.updated_at, letter.sent_on, zone)


def _people(interviews, letters) -> list[Contact]:
    """Everyone met or written to for this application, once each, in order of appearance."""
    seen: dict[int, Contact] = {}
    for interview in sorted(interviews, key=lambda i: i.scheduled_at):
        for interviewer in interview.interviewers.all():
            seen.setdefault(interviewer.contact_id, interviewer.contact)
    for letter in letters:
        seen.setdefault(letter.contact_id, letter.contact)
    return list(seen.values())
