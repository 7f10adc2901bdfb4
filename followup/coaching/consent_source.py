"""Coaching's answers to the access rule (`followup.core.access`): whose data a coach may reach,
and the client's access log. Registered in `CoachingConfig.ready()`."""

import functools
from datetime import date

from django.utils import timezone

from followup.core.access import Permission
from followup.core.prebuilt import Prebuilt

from .models import COMMENT_LEVELS, AccessAction, AccessLogEntry, Coaching, Level, log_line

# The levels of consent that allow each permission; None: any level.
LEVELS = {
    Permission.READ: None,
    Permission.COMMENT: COMMENT_LEVELS,
    Permission.EDIT: (Level.EDIT,),
}

# The widths of AccessLogEntry's columns.
WHAT_LENGTH = AccessLogEntry._meta.get_field("what").max_length
PATH_LENGTH = AccessLogEntry._meta.get_field("path").max_length


def client_ids(coach, *, permission: Permission) -> list[int]:
    """Ids of the people whose active consent lets `coach` do `permission` with their data."""
    if not coach.is_coach:
        # Only coaches have clients; everyone else is spared the query.
        return []
    rows = _client_ids_statement(permission).run([coach.pk, timezone.localdate()])
    return [client_id for (client_id,) in rows]


@functools.cache
def _client_ids_statement(permission: Permission) -> Prebuilt:
    """`client_ids`' query, built once per process (every page of a coach asks it); values:
    the coach's id and today."""
    coach, today = -1, date(1900, 1, 1)
    consents = Coaching.objects.active(today=today).filter(coach=coach, client__isnull=False)
    levels = LEVELS[permission]
    if levels is not None:
        consents = consents.filter(level__in=levels)
    return Prebuilt(consents.values_list("client_id").query, [coach, today])


def log_read(*, coach, client_id: int, what: str, path: str) -> AccessLogEntry:
    entry = log_line(
        client_id=client_id,
        coach=coach,
        action=AccessAction.VIEWED,
        what=what[:WHAT_LENGTH],
        path=path[:PATH_LENGTH],
    )
    entry.save()
    return entry


def log_change(
    *,
    coach,
    client_id: int,
    action: str,
    what: str,
    path: str,
    replacing: AccessLogEntry | None = None,
) -> None:
    if replacing is not None:
        replacing.action, replacing.what, replacing.at = action, what[:WHAT_LENGTH], timezone.now()
        replacing.path = path[:PATH_LENGTH] or replacing.path
        replacing.save(update_fields=["action", "what", "at", "path"])
        return
    log_line(
        client_id=client_id,
        coach=coach,
        action=action,
        what=what[:WHAT_LENGTH],
        path=path[:PATH_LENGTH],
    ).save()
