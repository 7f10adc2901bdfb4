"""Changes to applications, interviews and the follow-up plan that touch several rows.

Dates are the owner's: a plan made by a coach in another time zone starts from the owner's
today. A `today` argument is the owner's date, by default `owner.today()`; pass one only to
replay the past (the demo data, tests).

Two people may be at work: the owner, whose data it is, and `by`, who is acting: the owner
themselves, or a coach at the "edit" level acting for them. What is created belongs to the
owner and remembers `by` as `created_by`; `by` is refused if they may not change the owner's
data. Leave `by` out only where nobody is acting (the demo data, tests).
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from followup.accounts.models import User
from followup.contacts.models import Contact
from followup.core.access import refuse_unless_editable
from followup.interviews.models import Interview, Interviewer
from followup.reminders import schedule as reminder_schedule

from . import plan
from .models import (
    CLOSED_STATUSES,
    Application,
    ApplicationEvent,
    EventKind,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    Status,
)


def _acting(by: User | None, owner_id: int) -> User | None:
    """`by`, once it is shown they may change the owner's data."""
    if by is not None:
        refuse_unless_editable(by, owner_id)
    return by


@transaction.atomic
def application_create(*, owner: User, by: User | None = None, **fields) -> Application:
    """Record an application for `owner`, typed in by `by` (the owner, or their coach)."""
    application = Application.objects.create(
        owner=owner, created_by=_acting(by, owner.pk), **fields
    )
    ApplicationEvent.objects.create(
        application=application, kind=EventKind.CREATED, to_status=application.status
    )
    return application


@transaction.atomic
def application_update(
    *, application: Application, today: date | None = None, **fields
) -> Application:
    """Save edited fields; a new status or decision date also reshapes the plan."""
    # A bound ModelForm has already written its values onto `application`: compare with the row.
    stored = Application.objects.select_for_update().get(pk=application.pk)
    new_status = fields.pop("status", application.status)
    for name, value in fields.items():
        setattr(application, name, value)
    application.status = stored.status
    application.save()
    application_set_status(application=application, status=new_status, today=today)
    if application.decision_date != stored.decision_date and not application.is_closed:
        _respect_decision_date(application)
    if application.reminders_muted != stored.reminders_muted:
        reminder_schedule.refresh_for_application(application)
    return application


@transaction.atomic
def application_set_status(
    *, application: Application, status: str, today: date | None = None, note: str = ""
) -> None:
    """Move the application to `status`; closing cancels the plan, reopening restarts it."""
    old_status = application.status
    if old_status == status:
        return
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        kind=EventKind.STATUS,
        from_status=old_status,
        to_status=status,
        text=note,
    )
    if status in CLOSED_STATUSES:
        plan_cancel(application=application)
    elif old_status in CLOSED_STATUSES:
        plan_resume(application=application, today=today)


def plan_cancel(*, application: Application) -> int:
    """Cancel every pending follow-up at once; return how many were pending."""
    return application.follow_ups.pending().update(
        status=FollowUpStatus.CANCELLED, completed_at=timezone.now()
    )


def plan_resume(*, application: Application, today: date | None = None) -> FollowUp:
    """Plan the next follow-up from the owner's today: missed ones are not owed, so there is no
    backlog."""
    return _schedule_step(
        application=application,
        step=1,
        after=today or application.owner.today(),
        contact=_last_contact(application),
    )


def _last_contact(application: Application) -> Contact | None:
    letter = application.letters.filter(sent_on__isnull=False).order_by("-sent_on", "-pk").first()
    if letter is not None:
        return letter.contact
    interviewers = Interviewer.objects.filter(interview__application=application).order_by(
        "-interview__scheduled_at", "pk"
    )
    return interviewers.first().contact if interviewers.exists() else None


def _schedule_step(
    *, application: Application, step: int, after: date, contact: Contact | None
) -> FollowUp:
    due_on = plan.follow_up_due(
        cadence=application.cadence(),
        step=step,
        after=after,
        decision_date=application.decision_date,
    )
    follow_up = FollowUp.objects.create(
        application=application,
        kind=FollowUpKind.FOLLOW_UP,
        contact=contact,
        step=step,
        due_on=due_on,
    )
    reminder_schedule.refresh(FollowUp.objects.filter(pk=follow_up.pk))
    follow_up.refresh_from_db(fields=["remind_at"])
    return follow_up


def _respect_decision_date(application: Application) -> None:
    """Move the next follow-up to the first business day after a newly given decision date."""
    if application.decision_date is None:
        return
    application.follow_ups.pending().filter(kind=FollowUpKind.FOLLOW_UP).update(
        due_on=plan.first_business_day_after(application.decision_date)
    )
    reminder_schedule.refresh_for_application(application)


@transaction.atomic
def interview_create(
    *,
    application: Application,
    scheduled_at: datetime,
    interviewers: list[tuple[Contact, str]],
    today: date | None = None,
    by: User | None = None,
    **fields,
) -> Interview:
    """Record an interview: the cycle restarts with a thank-you letter due to each interviewer.

    `scheduled_at` is an instant: a time typed by a coach must have been read in the owner's
    zone (see interviews/views.py), since the thank-yous fall due on the owner's next day.
    """
    interview = Interview.objects.create(
        application=application,
        scheduled_at=scheduled_at,
        created_by=_acting(by, application.owner_id),
        **fields,
    )
    for contact, cares_about in interviewers:
        Interviewer.objects.create(interview=interview, contact=contact, cares_about=cares_about)
    if application.status == Status.APPLIED:
        application_set_status(application=application, status=Status.INTERVIEWING, today=today)
    if not application.is_closed:
        # A new interview restarts the cycle: what was planned before it (an unsent thank-you
        # for an earlier round included) is superseded by the new thank-yous and cadence.
        application.follow_ups.pending().exclude(interview=interview).update(
            status=FollowUpStatus.CANCELLED, completed_at=timezone.now()
        )
        _plan_thank_yous(interview)
    return interview


@transaction.atomic
def interview_update(
    *, interview: Interview, interviewers: list[tuple[Contact, str]], **fields
) -> Interview:
    for name, value in fields.items():
        setattr(interview, name, value)
    interview.save()
    wanted = {contact.pk: cares for contact, cares in interviewers}
    interview.interviewers.exclude(contact_id__in=wanted).delete()
    interview.follow_ups.pending().filter(kind=FollowUpKind.THANK_YOU).exclude(
        contact_id__in=wanted
    ).update(status=FollowUpStatus.CANCELLED, completed_at=timezone.now())
    for contact_id, cares_about in wanted.items():
        Interviewer.objects.update_or_create(
            interview=interview, contact_id=contact_id, defaults={"cares_about": cares_about}
        )
    if not interview.application.is_closed:
        _plan_thank_yous(interview)
    return interview


def _plan_thank_yous(interview: Interview) -> None:
    """One thank-you follow-up per interviewer, due the day after the interview (idempotent)."""
    due_on = plan.thank_you_due(interview.local_date(interview.application.owner.zone))
    planned = set(
        interview.follow_ups.filter(kind=FollowUpKind.THANK_YOU).values_list(
            "contact_id", flat=True
        )
    )
    interview.follow_ups.pending().filter(kind=FollowUpKind.THANK_YOU).update(due_on=due_on)
    FollowUp.objects.bulk_create(
        FollowUp(
            application=interview.application,
            kind=FollowUpKind.THANK_YOU,
            contact_id=interviewer.contact_id,
            interview=interview,
            step=0,
            due_on=due_on,
        )
        for interviewer in interview.interviewers.all()
        if interviewer.contact_id not in planned
    )
    reminder_schedule.refresh(interview.follow_ups.all())


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, letter=None, on: date) -> FollowUp | None:
    """Mark a follow-up done (with the letter that fulfilled it) and plan the next step."""
    updated = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUpStatus.PENDING).update(
        status=FollowUpStatus.DONE, letter=letter, completed_at=timezone.now()
    )
    if not updated:
        return None
    return _plan_next(follow_up=follow_up, after=on, contact=letter.contact if letter else None)


@transaction.atomic
def follow_up_skip(*, follow_up: FollowUp, today: date | None = None) -> FollowUp | None:
    """Skip a follow-up and plan the next step from the owner's today."""
    updated = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUpStatus.PENDING).update(
        status=FollowUpStatus.SKIPPED, completed_at=timezone.now()
    )
    if not updated:
        return None
    return _plan_next(follow_up=follow_up, after=today, contact=follow_up.contact)


@transaction.atomic
def follow_up_snooze(*, follow_up: FollowUp, until: date) -> bool:
    """Move a pending follow-up to `until`; False if it was already settled.

    Its reminder is computed afresh for the new day: an email that already covered the old day
    no longer counts for it (and one still waiting to go leaves it out), since the person asked
    to be reminded again then.
    """
    updated = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUpStatus.PENDING).update(
        due_on=until, reminder=None, remind_at=None
    )
    if not updated:
        return False
    reminder_schedule.refresh(FollowUp.objects.filter(pk=follow_up.pk))
    follow_up.refresh_from_db(fields=["due_on", "reminder", "remind_at"])
    return True


def snooze_default(follow_up: FollowUp, today: date) -> date:
    """Where "Snooze" moves a follow-up: the next business day after today, or after its due
    day when that is still ahead (snoozing never brings something forward)."""
    return plan.first_business_day_after(max(today, follow_up.due_on))


def _plan_next(
    *, follow_up: FollowUp, after: date | None, contact: Contact | None
) -> FollowUp | None:
    application = Application.objects.select_related("owner").get(pk=follow_up.application_id)
    if application.is_closed:
        return None
    after = after or application.owner.today()
    if application.follow_ups.pending().filter(kind=FollowUpKind.FOLLOW_UP).exists():
        # One thank-you already started the cadence: a second interviewer's does not add a touch.
        return None
    step = follow_up.step + 1 if follow_up.kind == FollowUpKind.FOLLOW_UP else 1
    return _schedule_step(
        application=application, step=step, after=after, contact=contact or follow_up.contact
    )


def application_record_reply(
    *, application: Application, text: str, occurred_at: datetime | None = None
) -> ApplicationEvent:
    # A reply is news: the application moves up lists sorted by last change.
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
    return ApplicationEvent.objects.create(
        application=application,
        kind=EventKind.REPLY,
        text=text,
        occurred_at=occurred_at or timezone.now(),
    )


def plan_after_touch(*, application: Application, after: date, contact: Contact | None) -> None:
    """Start the cadence after a letter no planned follow-up asked for, unless one is planned."""
    if application.is_closed:
        return
    if application.follow_ups.pending().filter(kind=FollowUpKind.FOLLOW_UP).exists():
        return
    _schedule_step(application=application, step=1, after=after, contact=contact)
