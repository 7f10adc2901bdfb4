from dataclasses import asdict, dataclass

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from followup.coaching.models import Coaching, CoachingStatus
from followup.reminders.models import Reminder, ReminderStatus

from .models import User
from .tasks import send_account_deleted_notice, send_welcome_email


def user_welcome(*, user: User) -> None:
    """Queue the welcome email once the new account's address is confirmed."""
    transaction.on_commit(lambda: send_welcome_email.delay(user.pk))


@dataclass(frozen=True)
class DeletionNotice:
    """What the other side of a coaching is told when the account is gone (a copy: the rows
    it would be read from are deleted before the email is written)."""

    email: str
    name: str
    deleted_name: str
    deleted_was: str  # "coach" or "client": what the deleted person was to the recipient


def _coaching_notices(user: User) -> list[DeletionNotice]:
    """One notice for each person on the other side of a coaching that is live or offered."""
    notices = {}
    live = (CoachingStatus.ACTIVE, CoachingStatus.INVITED)
    for coaching in (
        Coaching.objects.involving(user).filter(status__in=live).select_related("coach", "client")
    ):
        user_is_coach = coaching.coach_id == user.pk
        other = coaching.client if user_is_coach else coaching.coach
        if other is None or not other.is_active:
            continue
        notices[other.pk] = DeletionNotice(
            email=other.email,
            name=other.get_short_name(),
            deleted_name=user.display_name,
            deleted_was="coach" if user_is_coach else "client",
        )
    return list(notices.values())


def _session_keys_of(user: User) -> list[str]:
    """The keys of every unexpired session signed in as `user`, on any device."""
    key = str(user.pk)
    return [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]


def account_delete(*, user: User) -> None:
    """Delete `user` and everything they own, for good.

    Their rows go in one cascade (the access rule's owners: applications, contacts, and all
    that hangs from them; their reminders, consents, comments and exports); uploaded files are
    deleted through storage once that commits (the post_delete receivers of Gift and
    ExportJob). Every session of theirs ends. The other side of each coaching is emailed. A
    coach's clients keep all their data: only the link to the coach goes.
    """
    notices = _coaching_notices(user)
    with transaction.atomic():
        # Taken first, so a worker cannot start sending a queued reminder of theirs any more;
        # one already sending holds locks on what it covers, and this waits for it.
        User.objects.select_for_update().get(pk=user.pk)
        Reminder.objects.filter(recipient=user).pending().update(
            status=ReminderStatus.SUPPRESSED, last_error="account deleted", claimed_until=None
        )
        Session.objects.filter(session_key__in=_session_keys_of(user)).delete()
        user.delete()
        for notice in notices:
            transaction.on_commit(lambda n=notice: send_account_deleted_notice.delay(**asdict(n)))
