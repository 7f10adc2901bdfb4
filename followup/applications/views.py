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
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from followup.accounts.models import ApplicationsView
from followup.coaching.models import AccessAction
from followup.contacts.models import Contact
from followup.core.access import (
    editable_owner_ids,
    get_editable_or_404,
    get_visible_or_404,
    record_change,
)
from followup.interviews.models import Interview, Interviewer
from followup.interviews.thank_yous import mark_thank_yous
from followup.letters.selectors import with_drafts

from . import services, undoing
from .agenda import agenda_for
from .board import board_for
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
    PlanChange,
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
    # The board has no filters: a filtered or sorted address (a search, say) is the list's.
    if request.user.applications_view == ApplicationsView.BOARD and not request.GET:
        return render_board(request, board_for(request.user, viewer=request.user))
    filters = ApplicationFilterForm(request.GET)
    applications = (
        Application.objects.visible_to(request.user)
        .owned_by(request.user)
        .select_related("created_by")
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


@login_required
@require_safe
def application_board(request):
    return render_board(request, board_for(request.user, viewer=request.user))


def render_board(request, board) -> HttpResponse:
    """The board page, for its owner or (from coaching) a coach."""
    context = {
        "board": board,
        "own": board.owner.pk == request.user.pk,
        # Whose data this is, for the coach's banner (nothing is shown on one's own board).
        "client": board.owner,
    }
    return render(request, "applications/application_board.html", context)


@login_required
@require_POST
def applications_view(request):
    """Remember how the person wants /applications/ shown, and show it so."""
    choice = request.POST.get("view")
    if choice in ApplicationsView.values and choice != request.user.applications_view:
        request.user.applications_view = choice
        request.user.save(update_fields=["applications_view"])
    return redirect("applications:list")


SHOWN_FROM = {"organisation": "md", "applied": "lg", "decision_date": "xl", "updated": "xl"}


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
                # The breakpoint from which the column shows (Bootstrap's; "" for always): a
                # phone has room for the position, its status and the next follow-up (the
                # organisation goes under the position); the dates wait for wider screens.
                "shown_from": SHOWN_FROM.get(key, ""),
            }
        )
    return columns


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    form = ApplicationForm(request.POST or None, initial={"applied_on": request.user.today()})
    if request.method == "POST" and form.is_valid():
        application = services.application_create(
            owner=request.user, by=request.user, **form.cleaned_data
        )
        messages.success(request, "Application recorded. Add its interviews as they come.")
        warn_if_decision_date_passed(
            request, form.cleaned_data["decision_date"], owner=request.user
        )
        return redirect(application)
    return render(request, "applications/application_form.html", {"form": form})


@login_required
@require_safe
def application_detail(request, pk):
    application = get_visible_or_404(
        Application.objects.select_related("owner", "created_by"),
        request.user,
        request=request,
        pk=pk,
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
        services.application_update(application=form.instance, **form.cleaned_data)
        record_change(request.user, application, AccessAction.EDITED)
        messages.success(request, "The application was saved.")
        if decision_date != application.decision_date:
            warn_if_decision_date_passed(request, decision_date, owner=application.owner)
        return redirect(application)
    return render(
        request, "applications/application_form.html", {"form": form, "application": application}
    )


def warn_if_decision_date_passed(request, decision_date: date | None, *, owner) -> None:
    """Say so when a decision date just given is already behind the owner's today."""
    if decision_date and decision_date < owner.today():
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
        if application.owner_id != request.user.pk:
            # A coach's list is their own: back to the client's workspace they came from.
            return redirect("coaching:client", application.owner_id)
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
    """Move an application to another status, from its page or from a card on the board.

    The board's drag asks for JSON (`Accept: application/json`); its "Move to" menu, without
    JavaScript, sends `next` to come back to the board.
    """
    application = get_editable_or_404(
        Application.objects.select_related("owner"), request.user, request=request, pk=pk
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    back_to = _safe_next(request)
    form = StatusForm(request.POST)
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
        if back_to:
            messages.error(request, "Choose a status from the list.")
            return redirect(back_to)
        return _render_detail(request, application, status_form=form)
    status, note = form.cleaned_data["status"], form.cleaned_data["note"]
    if status == application.status:
        message = (
            f"The application is already “{application.get_status_display()}”: nothing changed."
        )
        if wants_json:
            return _status_json(application, message)
        messages.info(request, message)
        return redirect(back_to or application)
    # The service plans a reopening from the owner's today, whoever moves the card.
    services.application_set_status(application=application, status=status, note=note)
    record_change(request.user, application, AccessAction.EDITED)
    message = _status_message(application)
    if wants_json:
        return _status_json(application, f"{application}: {message}")
    if back_to:
        # The detail page offers the closing letter itself; the board says it in the message.
        closing = _closing_letter_url(application)
        if closing:
            messages.success(
                request,
                format_html(
                    '{}: {} <a href="{}">Write a closing note</a>', application, message, closing
                ),
            )
        else:
            messages.success(request, f"{application}: {message}")
        return redirect(back_to)
    messages.success(request, message)
    return redirect(application)


def _safe_next(request) -> str:
    """The page to go back to, if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _closing_letter_url(application: Application) -> str:
    """Where to write the closing letter, once the employer has said no (as the detail page)."""
    if application.status != Status.ELIMINATED:
        return ""
    return f"{reverse('letters:new')}?application={application.pk}&kind=closing"


def _status_json(application: Application, message: str) -> JsonResponse:
    """What the board needs to redraw the moved card: closing cancels its next follow-up,
    reopening plans a new one."""
    next_due = application.follow_ups.pending().order_by("due_on").first()
    next_follow_up = None
    if next_due is not None:
        days_late = (application.owner.today() - next_due.due_on).days
        next_follow_up = {
            "iso": next_due.due_on.isoformat(),
            "text": date_format(next_due.due_on, "j M"),
            "late": f"{days_late} day{pluralize(days_late)} late" if days_late > 0 else "",
            "today": days_late == 0,
        }
    return JsonResponse(
        {
            "ok": True,
            "status": application.status,
            "label": application.get_status_display(),
            "message": message,
            "closing_letter_url": _closing_letter_url(application),
            "next_follow_up": next_follow_up,
        }
    )


def _status_message(application: Application) -> str:
    label = application.get_status_display()
    if application.is_closed:
        return f"Marked “{label}”. Its planned follow-ups are cancelled; no more reminders."
    return f"Moved to “{label}”."


@login_required
@require_POST
def application_reply(request, pk):
    application = get_editable_or_404(
        Application.objects.select_related("owner"), request.user, request=request, pk=pk
    )
    form = ReplyForm(request.POST, owner=application.owner)
    if not form.is_valid():
        return _render_detail(request, application, reply_form=form)
    received_on = form.cleaned_data["received_on"]
    # A reply recorded the day it came is stamped now; an older one at midday of its day (the
    # owner's), which keeps it in order on the timeline without inventing an hour.
    occurred_at = None
    if received_on != form.today:
        occurred_at = timezone.make_aware(
            datetime.combine(received_on, time(12)), application.owner.zone
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


def _answer(request, follow_up: FollowUp, message: str, level=messages.SUCCESS, change=None):
    """The row's confirmation (htmx) or a message on the page it came from; with `change`, an
    Undo button in either."""
    back_to = _back(request, follow_up)
    if _is_htmx(request):
        owner = follow_up.application.owner
        # The page's red count changes with the row: it comes along, swapped in by its id.
        overdue = (
            FollowUp.objects.visible_to(request.user)
            .owned_by(owner)
            .still_due()
            .filter(due_on__lt=owner.today())
            .count()
        )
        context = {
            "follow_up": follow_up,
            "message": message,
            "overdue": overdue,
            "change": change,
            "back_to": back_to,
        }
        return render(request, "applications/_follow_up_settled.html", context)
    if change is not None:
        undo = render_to_string(
            "applications/_undo_form.html", {"change": change, "back_to": back_to}, request
        )
        message = format_html("{} {}", message, undo)
    messages.add_message(request, level, message)
    return HttpResponseRedirect(back_to)


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
    change = undoing.follow_up_mark_done(follow_up=follow_up, by=request.user)
    if change is None:
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    record_change(request.user, follow_up, AccessAction.EDITED)
    message = _next_step("Marked done", undoing.planned_by(change))
    return _answer(request, follow_up, message, change=change)


@login_required
@require_POST
def follow_up_skip(request, pk):
    follow_up = _follow_up_to_change(request, pk)
    if follow_up.status != FollowUpStatus.PENDING:
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    change = undoing.follow_up_mark_skipped(follow_up=follow_up, by=request.user)
    if change is None:
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    record_change(request.user, follow_up, AccessAction.EDITED)
    message = _next_step("Skipped", undoing.planned_by(change))
    return _answer(request, follow_up, message, change=change)


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
    change = undoing.follow_up_move(follow_up=follow_up, until=until, by=request.user)
    if change is None:
        return _answer(request, follow_up, ALREADY_SETTLED, messages.INFO)
    record_change(request.user, follow_up, AccessAction.EDITED)
    message = f"Snoozed to {date_format(until, 'D j M')}."
    return _answer(request, follow_up, message, change=change)


@login_required
@require_POST
def plan_change_undo(request, pk):
    """Take back a Done, Skip or Snooze: the plan returns to what it was before it.

    With htmx the answer is the page the row was on (the redirect is followed), from which the
    Undo form takes the restored row; without JS, that page with a message.
    """
    change = get_editable_or_404(
        PlanChange.objects.select_related("follow_up__application__owner"),
        request.user,
        request=request,
        pk=pk,
    )
    follow_up = change.follow_up
    try:
        follow_up = undoing.plan_change_undo(change=change, by=request.user)
    except undoing.CannotUndo as refusal:
        answer = _answer(request, follow_up, str(refusal), messages.WARNING)
        # The refusal is the whole answer: no restored row to pick out of it.
        answer["HX-Reselect"] = "unset"
        return answer
    record_change(request.user, follow_up, AccessAction.EDITED)
    if not _is_htmx(request):
        messages.success(request, f"Undone: the {follow_up.get_kind_display().lower()} is back.")
    return HttpResponseRedirect(_back(request, follow_up))


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
    # The owner's calendar, whoever looks: "overdue" and "today" are their days.
    owner = application.owner
    today, zone = owner.today(), owner.zone
    # Children are reached from an application the access rule has already let through.
    events = list(application.events.all())
    # Who added each row ("added by your coach") comes with it.
    interviews = list(
        application.interviews.select_related("created_by").prefetch_related(
            Prefetch(
                "interviewers",
                queryset=Interviewer.objects.select_related("contact").order_by("pk"),
            )
        )
    )
    letters = list(
        application.letters.select_related(
            "contact", "gift", "gift__introduced_contact", "created_by"
        )
    )
    follow_ups = list(with_drafts(application.follow_ups.select_related("contact", "interview")))
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
        # The application was just read: whether its owner is one the viewer may edit for.
        "can_edit": application.owner_id in editable_owner_ids(request.user),
        "status_form": status_form or StatusForm(initial={"status": application.status}),
        "reply_form": reply_form or ReplyForm(owner=owner),
        "today": today,
        "cadence": application.cadence(),
    }
    # The timeline's hours are the owner's too, as on the interview's page: a coach elsewhere
    # reads the interview at the time the client was given.
    with timezone.override(zone):
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
