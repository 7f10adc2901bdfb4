"""Delivery: a worker takes a claimed reminder, re-reads what it covers, and sends it once.

A worker takes a Reminder with a conditional UPDATE and a lease; only the worker that took it
sends. Both kinds of reminder (the job seeker's digest and the coach's digest) differ only in
what the email says (`CONTENT`); taking, sending, retrying, suppressing and unsubscribing are
the same code. What a reminder covered and will not be sent goes back to be claimed again
(`release`).
"""

import contextlib
import logging
import random
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from followup.applications.models import FollowUp, FollowUpStatus
from followup.coaching.models import Coaching

from .. import digest as digests
from .. import schedule
from ..models import Reminder, ReminderKind, ReminderStatus, SuppressedAddress

log = logging.getLogger(__name__)


class PermanentRefusal(Exception):
    """The server refused the recipient for good (5xx at RCPT): suppress the address."""


class Undeliverable(Exception):
    """The server refused this message for good, not the address: record it and move on."""


class ServerFailure(Exception):
    """The mail server itself failed, before it could judge this message: it is down or silent,
    closing (421), or refusing our greeting, login or sender (the same for every message).

    Not the message's fault, so it spends none of its attempts: the batch waits and tries
    again, for as long as the reminders are worth sending (`deliver_by`).
    """


def release(reminder_ids: list[int], *, now: datetime) -> int:
    """Free the pending follow-ups of reminders that will not be sent, for the next digest.

    They become claimable again, each at its owner's next digest slot (or never, if muted or
    closed meanwhile); the claim's unique key keeps the given-up slot from being reused.
    """
    ids = list(
        FollowUp.objects.filter(
            reminder_id__in=reminder_ids, status=FollowUpStatus.PENDING
        ).values_list("pk", flat=True)
    )
    FollowUp.objects.filter(pk__in=ids).update(reminder=None)
    schedule.refresh(FollowUp.objects.filter(pk__in=ids), now=now)
    return len(ids)


def release_safely(reminder_ids: list[int], *, now: datetime) -> int:
    """`release`, one reminder at a time if the lot fails: a person whose schedule cannot be
    computed (a broken time zone, say) keeps their follow-ups where they were, and is logged."""
    try:
        with transaction.atomic():
            return release(reminder_ids, now=now)
    except Exception:
        if len(reminder_ids) == 1:
            log.exception("releasing the follow-ups of reminder %s failed", reminder_ids[0])
            return 0
        return sum(release_safely([pk], now=now) for pk in reminder_ids)


def _take(reminder_id: int, *, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    return bool(
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.QUEUED).update(
            status=ReminderStatus.SENDING, claimed_until=lease, attempts=F("attempts") + 1
        )
    )


def _finish(reminder_id: int, status: str, **fields) -> None:
    Reminder.objects.filter(pk=reminder_id).update(status=status, claimed_until=None, **fields)


def _backoff_seconds(attempts: int, *, cap: float | None = None) -> float:
    # The exponent stops growing long before a float would overflow; `cap` is lower anyway.
    base = settings.REMINDER_RETRY_BASE_SECONDS * 2 ** min(attempts - 1, 30)
    if cap is not None:
        base = min(base, cap)
    return base * random.uniform(0.5, 1.5)  # jitter, not security


# Reasons that say "not now" rather than "not this follow-up": what the reminder covered goes
# back to be claimed again when the person's schedule allows it.
RELEASED_WHEN_SUPPRESSED = {"reminders stopped", "reminders paused"}


def _still_wanted(reminder: Reminder, user) -> str | None:
    """Why this reminder must not go out now, or None. Read inside the send transaction."""
    if not user.is_active or user.reminders_stopped:
        return "reminders stopped"
    today = timezone.localtime(timezone.now(), user.zone).date()
    if user.reminders_paused_until and today <= user.reminders_paused_until:
        return "reminders paused"
    if SuppressedAddress.objects.filter(email__iexact=user.email).exists():
        return "address suppressed"
    return None


def _digest_content(reminder: Reminder, user, now: datetime) -> tuple[EmailMessage | None, str]:
    """The job seeker's digest of what is due."""
    # Lock what the email covers: closing an application waits for this send to finish, and a
    # close committed before this point means no email.
    covered = list(reminder.follow_ups.remindable().select_for_update(of=("self",)))
    if not covered:
        return None, "nothing left due"
    today = timezone.localtime(now, user.zone).date()
    return digests.digest_email(reminder=reminder, digest=digests.digest_for(user, today=today)), ""


def _coach_digest_content(
    reminder: Reminder, user, now: datetime
) -> tuple[EmailMessage | None, str]:
    """The coach's digest of clients falling behind, read from the consents that hold now."""
    if not schedule.coach_digest_wanted(user):
        return None, "coach digest off"
    # Lock the consents it lists: a revocation committed before this point leaves the client
    # out; one made during the send waits for it to finish.
    coachings = list(
        Coaching.objects.active()
        .filter(coach=user, client__isnull=False, client__is_active=True)
        .select_for_update(of=("self",))
        .select_related("client")
        .order_by("pk")
    )
    report = digests.coach_digest_for(user, clients=[c.client for c in coachings], now=now)
    if report.is_empty:
        return None, "nothing to report"
    return digests.coach_digest_email(reminder=reminder, report=report), ""


CONTENT = {
    ReminderKind.DIGEST: _digest_content,
    ReminderKind.COACH_DIGEST: _coach_digest_content,
}


def _content_for(reminder: Reminder, user, now: datetime) -> tuple[EmailMessage | None, str]:
    """The email this reminder should send now, or None and why not. Read inside the send
    transaction, so that what it says is what holds when it goes."""
    reason = _still_wanted(reminder, user)
    if reason is not None:
        return None, reason
    return CONTENT[reminder.kind](reminder, user, now)


def deliver(reminder_id: int, *, connection) -> str:
    """Send one reminder if this worker can take it; return what happened.

    "server failed" means the mail server failed before it could judge this message: the
    reminder is back in the queue with the server backoff and its attempt given back.
    """
    now = timezone.now()
    if not _take(reminder_id, now=now):
        return "not taken"
    try:
        with transaction.atomic():
            reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
            user = reminder.recipient
            message, reason = _content_for(reminder, user, now)
            if message is None:
                _finish(reminder_id, ReminderStatus.SUPPRESSED, last_error=reason)
                if reason in RELEASED_WHEN_SUPPRESSED:
                    # Still due after the pause (or once reminders are turned back on): the
                    # first digest after it covers them, instead of this suppressed one forever.
                    release([reminder_id], now=now)
                return "suppressed"
            message.connection = connection
            # send_messages() closes a connection it had to open itself; opened here, it stays
            # open for the whole batch (deliver_batch closes it, and reopens after a failure).
            if connection is not None:
                _open(connection)
            _send(message)
            _finish(
                reminder_id,
                ReminderStatus.SENT,
                sent_at=timezone.now(),
                last_error="",
                server_failures=0,
            )
            return "sent"
    except ServerFailure as error:
        _server_failed(reminder_id, error)
        return "server failed"
    except PermanentRefusal as error:
        SuppressedAddress.objects.get_or_create(
            email=Reminder.objects.get(pk=reminder_id).recipient.email,
            defaults={"reason": str(error)[:2000]},
        )
        _finish(reminder_id, ReminderStatus.SUPPRESSED, last_error=str(error)[:2000])
        return "refused"
    except (smtplib.SMTPException, OSError) as error:
        # A 4xx at RCPT or DATA for this message: try it again later, within its attempts.
        return _retry_later(reminder_id, error)
    except Undeliverable as error:
        _fail(reminder_id, str(error))
        return "failed"
    except Exception as error:
        # A broken row (bad template data, a malformed address) is recorded and skipped.
        log.exception("reminder %s failed", reminder_id)
        _fail(reminder_id, repr(error))
        return "failed"


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _open(connection) -> None:
    """Connect, greet, STARTTLS and log in (a no-op if open): any failure here is the server's."""
    try:
        connection.open()
    except OSError as error:  # smtplib's exceptions, refusals and timeouts are all OSErrors
        raise ServerFailure(_describe(error)) from error


def _send(message) -> None:
    """Send, telling the server's failures and permanent refusals apart from temporary failures
    of this message (which propagate)."""
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if 421 in codes:
            raise ServerFailure(_describe(error)) from error
        if codes and all(code >= 500 for code in codes):
            raise PermanentRefusal(str(error.recipients)) from error
        raise
    except smtplib.SMTPSenderRefused as error:
        if error.smtp_code == 552:  # the size smtplib declares with MAIL FROM: this message's
            raise Undeliverable(f"{error.smtp_code} {error.smtp_error!r}") from error
        # Any other answer to MAIL FROM is the same for every message: the server's fault, or
        # our setup's (a sender it refuses), never this message's.
        raise ServerFailure(_describe(error)) from error
    except smtplib.SMTPHeloError as error:
        raise ServerFailure(_describe(error)) from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code == 421:
            raise ServerFailure(_describe(error)) from error
        if error.smtp_code >= 500:
            raise Undeliverable(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise
    except (smtplib.SMTPServerDisconnected, TimeoutError, ConnectionError) as error:
        # smtplib cannot say at which step a connection dropped or went silent; a server doing
        # that is failing, and `deliver_by` bounds the wait should one message be the cause.
        raise ServerFailure(_describe(error)) from error


# `server_failures` stops here (the column's limit): a long outage with a short backoff counts on.
MAX_COUNT = 32767


def _server_failed(reminder_id: int, error: Exception) -> None:
    """Put a reminder back in the queue after a server failure: attempt given back, backoff
    growing with the failures in a row."""
    failures = min(Reminder.objects.get(pk=reminder_id).server_failures + 1, MAX_COUNT)
    cap = settings.REMINDER_SERVER_RETRY_MAX_SECONDS
    retry_at = timezone.now() + timedelta(seconds=_backoff_seconds(failures, cap=cap))
    _finish(
        reminder_id,
        ReminderStatus.QUEUED,
        attempts=F("attempts") - 1,
        server_failures=failures,
        next_attempt_at=retry_at,
        last_error=_describe(error),
    )


def _hold_back(reminder_ids: list[int], *, like: int) -> int:
    """Make queued reminders wait as long as `like`, which the server just failed."""
    failed = Reminder.objects.get(pk=like)
    return Reminder.objects.filter(pk__in=reminder_ids, status=ReminderStatus.QUEUED).update(
        next_attempt_at=failed.next_attempt_at,
        server_failures=Least(F("server_failures") + 1, MAX_COUNT),
        last_error=failed.last_error,
    )


def _fail(reminder_id: int, error: str) -> None:
    """Give a reminder up; what it covered goes to the next digest instead of being lost."""
    _finish(reminder_id, ReminderStatus.FAILED, last_error=error[:2000], server_failures=0)
    release_safely([reminder_id], now=timezone.now())


def _retry_later(reminder_id: int, error: Exception) -> str:
    reminder = Reminder.objects.get(pk=reminder_id)
    if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        _fail(reminder_id, _describe(error))
        return "failed"
    retry_at = timezone.now() + timedelta(seconds=_backoff_seconds(reminder.attempts))
    _finish(
        reminder_id,
        ReminderStatus.QUEUED,
        next_attempt_at=retry_at,
        last_error=_describe(error),
        server_failures=0,
    )
    return "retry"


def deliver_batch(reminder_ids: list[int]) -> dict[str, int]:
    """Deliver several reminders over one SMTP connection (opened only if something is sent).

    When the server fails, the rest of the batch is not tried: it waits with the reminder that
    met the failure ("held back"), spending no attempts.
    """
    outcomes: dict[str, int] = defaultdict(int)
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        for index, reminder_id in enumerate(reminder_ids):
            outcome = deliver(reminder_id, connection=connection)
            outcomes[outcome] += 1
            if outcome == "server failed":
                held = _hold_back(reminder_ids[index + 1 :], like=reminder_id)
                if held:
                    outcomes["held back"] = held
                break
            if outcome == "retry":
                # The connection may be broken; the next message opens a fresh one.
                _close_quietly(connection)
    finally:
        _close_quietly(connection)
    return dict(outcomes)


def _close_quietly(connection) -> None:
    # Closing a connection the server already dropped raises; there is nothing left to do then.
    with contextlib.suppress(Exception):
        connection.close()
