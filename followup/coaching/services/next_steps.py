"""Next steps: a coach asks the job seeker to do something; the job seeker marks it done."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from followup.accounts.models import User
from followup.applications.models import Application
from followup.core.access import commentable_owner_ids, record_change

from ..models import AccessAction, NextStep


@transaction.atomic
def next_step_set(
    *,
    coach: User,
    client: User,
    text: str,
    due_on: date | None = None,
    application: Application | None = None,
    path: str = "",
) -> NextStep:
    """Set a next step for `client`; the coach needs the "comment" level or above.

    Written to the client's access log, as every change a coach makes to their data.
    """
    if client.pk not in commentable_owner_ids(coach):
        raise PermissionDenied("Your access does not let you set next steps.")
    if application is not None and application.owner_id != client.pk:
        raise ValidationError("Choose one of their applications.")
    step = NextStep.objects.create(
        client=client, set_by=coach, text=text, due_on=due_on, application=application
    )
    record_change(coach, step, AccessAction.CREATED, path=path)
    return step


def next_step_done(*, step: NextStep) -> NextStep:
    """Mark a step done now; marking it again keeps the first time."""
    NextStep.objects.filter(pk=step.pk, done_at__isnull=True).update(done_at=timezone.now())
    step.refresh_from_db(fields=["done_at"])
    return step


@transaction.atomic
def next_step_withdraw(*, step: NextStep, coach: User, path: str = "") -> None:
    """The coach who set an open step takes it back (a mistake, or no longer needed)."""
    if step.set_by_id != coach.pk or step.done_at is not None:
        raise PermissionDenied("Only the coach who set an open step can withdraw it.")
    record_change(coach, step, AccessAction.DELETED, path=path)
    step.delete()
