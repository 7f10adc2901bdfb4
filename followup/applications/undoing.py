"""Done, Skip and Snooze that can be taken back: each records what it changed in the plan
(a `PlanChange`), and `plan_change_undo` puts every row back as it was.

What is recorded is read from the rows themselves, before and after the action, not from what
the action is believed to do: a Done that planned the next follow-up, or any later rule that
cancels or moves other follow-ups, is undone exactly without this module knowing the rule.

An undo is offered for UNDO_WINDOW after the click. It is there for a mis-click, which is
noticed at once; a change of mind later is a new change (snooze it, plan it again), made with
the plan in view, rather than a button on a row left open in a forgotten tab. It is refused,
and nothing moves, when the rows no longer read as the action left them (a letter was started
for the follow-up it planned, a reminder went out since, someone else acted on the row).
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from followup.accounts.models import User
from followup.core.access import refuse_unless_editable
from followup.letters.models import Letter
from followup.reminders.models import Reminder

from . import services
from .models import Application, FollowUp, FollowUpStatus, PlanChange

UNDO_WINDOW = timedelta(minutes=10)

# Every field of a follow-up an action may change; the revision counters are left out, since a
# calendar must see the undo as one more change, not as a step back to a number given out.
TRACKED = tuple(
    field.attname
    for field in FollowUp._meta.concrete_fields
    if field.name not in ("id", "application", "created_at", "revision", "revised_at")
)


class CannotUndo(Exception):
    """The change cannot be undone; the message says why, for the person who asked."""


def _stored(value):
    """A field's value as JSON keeps it, in full (dates and instants to the microsecond)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _plan_rows(application_id: int) -> dict[str, dict]:
    """Every follow-up of the application, as stored, by id (a string: JSON's keys are)."""
    rows = FollowUp.objects.filter(application_id=application_id).values("pk", *TRACKED)
    return {
        str(row.pop("pk")): {name: _stored(value) for name, value in row.items()} for row in rows
    }


def _recorded(follow_up: FollowUp, action: str, by: User | None, act) -> PlanChange | None:
    """Run `act()` on the plan of `follow_up` and record what it changed; None if nothing."""
    if by is not None:
        refuse_unless_editable(by, follow_up.application.owner_id)
    with transaction.atomic():
        # One change to a plan at a time: what is read before and after is this action's own.
        Application.objects.select_for_update().get(pk=follow_up.application_id)
        before = _plan_rows(follow_up.application_id)
        if before[str(follow_up.pk)]["status"] != FollowUpStatus.PENDING:
            return None  # settled already, by someone else: the services leave it alone
        act()
        after = _plan_rows(follow_up.application_id)
        change = PlanChange(follow_up=follow_up, action=action)
        for pk, row in after.items():
            if pk not in before:
                change.planned[pk] = row
                continue
            changed = [name for name in TRACKED if row[name] != before[pk][name]]
            if changed:
                change.before[pk] = {name: before[pk][name] for name in changed}
                change.after[pk] = {name: row[name] for name in changed}
        # Changes past their window are of no use: the plan's own are cleared as it changes.
        PlanChange.objects.filter(
            follow_up__application_id=follow_up.application_id,
            made_at__lt=timezone.now() - UNDO_WINDOW,
        ).delete()
        change.save()
        return change


def follow_up_mark_done(*, follow_up: FollowUp, by: User | None = None) -> PlanChange | None:
    """Done (the letter went outside followup), recorded so it can be undone."""
    return _recorded(
        follow_up,
        PlanChange.Action.DONE,
        by,
        lambda: services.follow_up_complete(
            follow_up=follow_up, on=follow_up.application.owner.today()
        ),
    )


def follow_up_mark_skipped(*, follow_up: FollowUp, by: User | None = None) -> PlanChange | None:
    """Skip, recorded so it can be undone."""
    return _recorded(
        follow_up,
        PlanChange.Action.SKIPPED,
        by,
        lambda: services.follow_up_skip(follow_up=follow_up),
    )


def follow_up_move(
    *, follow_up: FollowUp, until: date, by: User | None = None
) -> PlanChange | None:
    """Snooze to `until`, recorded so it can be undone."""
    return _recorded(
        follow_up,
        PlanChange.Action.SNOOZED,
        by,
        lambda: services.follow_up_snooze(follow_up=follow_up, until=until),
    )


def planned_by(change: PlanChange) -> FollowUp | None:
    """The follow-up the change planned next, if it planned one."""
    return FollowUp.objects.filter(pk__in=change.planned).order_by("due_on", "pk").first()


def undo_until(change: PlanChange) -> datetime:
    return change.made_at + UNDO_WINDOW


def _restored(values: dict) -> dict:
    """Stored values back to what the fields take; a reminder email since deleted is no more."""
    fields = {field.attname: field for field in FollowUp._meta.concrete_fields}
    restored = {name: fields[name].to_python(value) for name, value in values.items()}
    reminder_id = restored.get("reminder_id")
    if reminder_id is not None and not Reminder.objects.filter(pk=reminder_id).exists():
        restored["reminder_id"] = None
    return restored


@transaction.atomic
def plan_change_undo(*, change: PlanChange, by: User | None = None, now=None) -> FollowUp:
    """Put the plan back as it was before `change`; return the follow-up it was made on.

    Raises CannotUndo, changing nothing, when the change was undone already, its window has
    passed, or the plan has moved on since.
    """
    now = now or timezone.now()
    application_id = change.follow_up.application_id
    if by is not None:
        refuse_unless_editable(by, change.follow_up.application.owner_id)
    Application.objects.select_for_update().get(pk=application_id)
    # The rows too: a letter marked sent elsewhere settles a follow-up without the plan's lock.
    list(FollowUp.objects.select_for_update().filter(application_id=application_id).values("pk"))
    change = PlanChange.objects.select_for_update().get(pk=change.pk)
    if change.undone_at is not None:
        raise CannotUndo("That was undone already.")
    if now > undo_until(change):
        raise CannotUndo("Too late to undo: change the plan from the application instead.")
    rows = _plan_rows(application_id)
    moved_on = any(
        pk not in rows or any(rows[pk][name] != value for name, value in left.items())
        for pk, left in [*change.after.items(), *change.planned.items()]
    )
    if moved_on or Letter.objects.filter(follow_up_id__in=change.planned).exists():
        raise CannotUndo("Not undone: the plan has changed since.")
    FollowUp.objects.filter(pk__in=change.planned).delete()
    for pk, values in change.before.items():
        # The revision goes on up, as for any change: a calendar app must take the row back too.
        FollowUp.objects.filter(pk=pk).update(
            **_restored(values), revision=F("revision") + 1, revised_at=now
        )
    change.undone_at = now
    change.save(update_fields=["undone_at"])
    return FollowUp.objects.select_related("application__owner", "contact").get(
        pk=change.follow_up_id
    )
