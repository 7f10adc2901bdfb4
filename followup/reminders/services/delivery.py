"""Delivery: a worker takes a claimed reminder, re-reads what it covers, and sends it once.

A worker takes a Reminder with a conditional UPDATE and a lease; only the worker that took it
sends. Both kinds of reminder (the job seeker's digest and the coach's digest) differ only in
what the email says (`CONTENT`); taking, sending, retrying, suppressing and unsubscribing are
the same code. What a reminder covered and will not be sent goes back to be claimed again
(`release`).
"""

import contextlib
import functools
import logging
import operator
import random
import smtplib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from functools import reduce

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from followup.applications.models import FollowUp, FollowUpStatus
from followup.coaching.models import Coaching
from followup.core.prebuilt import Prebuilt

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


class Batch:
    """The reminders of one send batch this worker took, under one lease.

    One UPDATE takes them all (queued -> sending, an attempt each, `claimed_until` the lease);
    a message is only sent while at least half the lease is left, renewed for the rest of the
    batch (one UPDATE) when less is. A reminder whose lease ran out meanwhile belongs to the
    sweep again and is left out.
    """

    def __init__(self, reminder_ids: list[int], *, now: datetime):
        self.lease_seconds = settings.REMINDER_LEASE_SECONDS
        self.lease = now + timedelta(seconds=self.lease_seconds)
        Reminder.objects.filter(pk__in=reminder_ids, status=ReminderStatus.QUEUED).update(
            status=ReminderStatus.SENDING, claimed_until=self.lease, attempts=F("attempts") + 1
        )
        rows = self._held(reminder_ids).select_related("recipient").in_bulk()
        # In the order given, as one at a time would have sent them.
        self.reminders = [rows[pk] for pk in dict.fromkeys(reminder_ids) if pk in rows]

    def keep(self, remaining: list[Reminder]) -> list[Reminder]:
        """Those of `remaining` still held, renewing the lease if half of it is gone."""
        now = timezone.now()
        if self.lease - now >= timedelta(seconds=self.lease_seconds / 2):
            return remaining
        lease = now + timedelta(seconds=self.lease_seconds)
        ids = [reminder.pk for reminder in remaining]
        renewed = self._held(ids).update(claimed_until=lease)
        self.lease = lease
        if renewed == len(ids):
            return remaining
        kept = set(self._held(ids).values_list("pk", flat=True))
        return [reminder for reminder in remaining if reminder.pk in kept]

    def _held(self, reminder_ids: list[int]):
        """Those of `reminder_ids` this batch holds: its lease is their owner's mark."""
        return Reminder.objects.filter(
            pk__in=reminder_ids, status=ReminderStatus.SENDING, claimed_until=self.lease
        )

    def give_back(self, reminder_ids: list[int], **fields) -> int:
        """Put reminders taken and not tried back in the queue, their attempt given back."""
        return self._held(reminder_ids).update(
            status=ReminderStatus.QUEUED,
            claimed_until=None,
            attempts=F("attempts") - 1,
            **({"next_attempt_at": timezone.now()} | fields),
        )


class Prepared:
    """What the emails of a batch say, read for all of it at once before the first is sent.

    Read without locks, as `digest_for` is: each message then locks what it lists in its own
    transaction (`_digest_content`) and is read again alone if that changed meanwhile.
    """

    def __init__(self, reminders: list[Reminder], *, now: datetime):
        users = {r.recipient_id: r.recipient for r in reminders}
        seekers = {r.recipient_id: r.recipient for r in reminders if r.kind == ReminderKind.DIGEST}
        coaches = [r.recipient for r in reminders if r.kind == ReminderKind.COACH_DIGEST]
        # As `email__iexact` matches one address (served by the index on UPPER(email)).
        matches = [Q(email__iexact=user.email) for user in users.values()]
        self.suppressed = (
            {
                email.upper()
                for email in SuppressedAddress.objects.filter(
                    reduce(operator.or_, matches)
                ).values_list("email", flat=True)
            }
            if matches
            else set()
        )
        self.digests = digests.digests_for(
            [(user, timezone.localtime(now, user.zone).date()) for user in seekers.values()]
        )
        self.coach_sections = digests.read_sections(digests.COACH_DIGEST_SECTIONS, coaches)

    @classmethod
    def nothing(cls) -> "Prepared":
        """Nothing read ahead: each message reads its own (after the batch's reading failed)."""
        prepared = cls.__new__(cls)
        prepared.suppressed = None
        prepared.digests = {}
        prepared.coach_sections = {}
        return prepared

    def is_suppressed(self, email: str) -> bool:
        if self.suppressed is None:
            return SuppressedAddress.objects.filter(email__iexact=email).exists()
        return email.upper() in self.suppressed

    def suppress(self, email: str) -> None:
        if self.suppressed is not None:
            self.suppressed.add(email.upper())


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


def _still_wanted(user, prepared: Prepared) -> str | None:
    """Why this reminder must not go out now, or None (from the user as the batch read it)."""
    if not user.is_active or user.reminders_stopped:
        return "reminders stopped"
    today = timezone.localtime(timezone.now(), user.zone).date()
    if user.reminders_paused_until and today <= user.reminders_paused_until:
        return "reminders paused"
    if prepared.is_suppressed(user.email):
        return "address suppressed"
    return None


def _digest_content(
    reminder: Reminder, user, now: datetime, prepared: Prepared
) -> tuple[EmailMessage | None, str]:
    """The job seeker's digest of what is due."""
    today = timezone.localtime(now, user.zone).date()
    digest = prepared.digests.get(user.pk)
    listed = (
        [item.pk for item in digest.thank_yous + digest.due_today + digest.overdue]
        if digest is not None
        else []
    )
    # Lock what the email covers and lists: closing an application waits for this send to
    # finish, and a close committed before this point means no email (or, if the email still
    # goes, one read again without it).
    locked = _lock_listed(reminder.pk, listed)
    covered = {pk for pk, reminder_id in locked if reminder_id == reminder.pk}
    if not covered:
        return None, "nothing left due"
    if digest is None or not _unchanged(digest, reminder, locked, listed):
        digest = digests.digest_for(user, today=today)
    return digests.digest_email(reminder=reminder, digest=digest), ""


@functools.lru_cache(maxsize=64)
def _lock_statement(count: int) -> Prebuilt:
    """SELECT ... FOR UPDATE of a reminder's remindable follow-ups and of `count` others (those
    its digest lists), from `remindable()`, the one definition of what a digest lists."""
    sentinels = [-1, *range(-2, -2 - count, -1)]
    query = (
        FollowUp.objects.remindable()
        .filter(Q(reminder_id=sentinels[0]) | Q(pk__in=sentinels[1:]))
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "reminder_id")
        .query
    )
    return Prebuilt(query, sentinels)


@functools.cache
def _sent_mark() -> Prebuilt:
    """`_finish(reminder_id, SENT, sent_at=..., last_error="", server_failures=0)`."""
    sentinels = [-1, datetime(1900, 1, 1, tzinfo=UTC)]
    query = Reminder.objects.filter(pk=sentinels[0]).query.chain(UpdateQuery)
    query.add_update_values(
        {
            "status": ReminderStatus.SENT,
            "claimed_until": None,
            "sent_at": sentinels[1],
            "last_error": "",
            "server_failures": 0,
        }
    )
    return Prebuilt(query, sentinels)


def _lock_listed(reminder_id: int, listed: list[int]) -> list[tuple[int, int]]:
    """(id, reminder id) of the follow-ups locked, in id order; inside a transaction only."""
    if transaction.get_autocommit(using=FollowUp.objects.db):
        raise transaction.TransactionManagementError("the lock is held for the send only")
    listed = sorted(set(listed))
    return _lock_statement(len(listed)).run([reminder_id, *listed])


def _unchanged(digest, reminder: Reminder, locked: list[tuple[int, int]], listed: list[int]):
    """Whether what the batch read of this digest still holds under the lock."""
    items = digest.thank_yous + digest.due_today + digest.overdue
    read_covered = {item.pk for item in items if item.reminder_id == reminder.pk}
    still_covered = {pk for pk, reminder_id in locked if reminder_id == reminder.pk}
    still_listed = {pk for pk, _ in locked}
    return read_covered == still_covered and still_listed.issuperset(listed)


def _coach_digest_content(
    reminder: Reminder, user, now: datetime, prepared: Prepared
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
    report = digests.coach_digest_for(
        user,
        clients=[c.client for c in coachings],
        now=now,
        sections=prepared.coach_sections.get(user.pk),
    )
    if report.is_empty:
        return None, "nothing to report"
    return digests.coach_digest_email(reminder=reminder, report=report), ""


CONTENT = {
    ReminderKind.DIGEST: _digest_content,
    ReminderKind.COACH_DIGEST: _coach_digest_content,
}


def _content_for(
    reminder: Reminder, user, now: datetime, prepared: Prepared
) -> tuple[EmailMessage | None, str]:
    """The email this reminder should send now, or None and why not. Made inside the send
    transaction, after locking what it lists, so that what it says is what holds when it goes."""
    reason = _still_wanted(user, prepared)
    if reason is not None:
        return None, reason
    return CONTENT[reminder.kind](reminder, user, now, prepared)


def deliver(reminder_id: int, *, connection) -> str:
    """Send one reminder if this worker can take it; return what happened (see `deliver_batch`).

    `connection` None: Django's default, opened and closed for this message.
    """
    [outcome] = _deliver_all([reminder_id], connection=connection)
    return outcome


def _send_taken(reminder: Reminder, *, now: datetime, prepared: Prepared, connection) -> str:
    """Send one reminder of the batch, in its own transaction; return what happened.

    The transaction commits the "sent" mark right after the server accepted the message: only
    a worker dying between the two sends it again (at least once, never lost).

    "server failed" means the mail server failed before it could judge this message: the
    reminder is back in the queue with the server backoff and its attempt given back.
    """
    reminder_id = reminder.pk
    user = reminder.recipient
    try:
        with transaction.atomic():
            message, reason = _content_for(reminder, user, now, prepared)
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
            _sent_mark().run([reminder_id, timezone.now()])
            return "sent"
    except ServerFailure as error:
        _server_failed(reminder_id, error)
        return "server failed"
    except PermanentRefusal as error:
        SuppressedAddress.objects.get_or_create(
            email=Reminder.objects.get(pk=reminder_id).recipient.email,
            defaults={"reason": str(error)[:2000]},
        )
        prepared.suppress(user.email)
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

    The batch is taken with one statement and what its emails say is read for all of it at
    once (`Prepared`; sections plug in as batch providers, see `followup.reminders.digest`);
    then each message is locked, rendered, sent and marked sent in its own transaction: two
    statements a message, whatever the batch's size.

    When the server fails, the rest of the batch is not tried: it waits with the reminder that
    met the failure ("held back"), spending no attempts.
    """
    outcomes: dict[str, int] = defaultdict(int)
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        for outcome in _deliver_all(reminder_ids, connection=connection):
            outcomes[outcome] += 1
    finally:
        _close_quietly(connection)
    return dict(outcomes)


def _deliver_all(reminder_ids: list[int], *, connection) -> list[str]:
    """The outcome of each reminder tried, "held back" for those the server's failure stopped."""
    now = timezone.now()
    batch = Batch(reminder_ids, now=now)
    outcomes = ["not taken"] * (len(reminder_ids) - len(batch.reminders))
    try:
        prepared = Prepared(batch.reminders, now=now)
    except Exception:
        # Someone's data breaks the batch's reading: each message reads its own, so that only
        # that person's reminder fails.
        log.exception("reading the batch of reminders %s failed", [r.pk for r in batch.reminders])
        prepared = Prepared.nothing()
    remaining = batch.reminders
    try:
        while remaining:
            still_held = batch.keep(remaining)
            outcomes += ["not taken"] * (len(remaining) - len(still_held))
            if not still_held:
                break
            reminder, *remaining = still_held
            outcome = _send_taken(reminder, now=now, prepared=prepared, connection=connection)
            outcomes.append(outcome)
            if outcome == "server failed":
                failed = Reminder.objects.get(pk=reminder.pk)
                held = batch.give_back(
                    [r.pk for r in remaining],
                    next_attempt_at=failed.next_attempt_at,
                    server_failures=Least(F("server_failures") + 1, MAX_COUNT),
                    last_error=failed.last_error,
                )
                outcomes += ["held back"] * held
                remaining = []
            elif outcome == "retry" and connection is not None:
                # The connection may be broken; the next message opens a fresh one.
                _close_quietly(connection)
    finally:
        if remaining:
            # Left by an error of this worker's own (the database gone, say): back in the queue
            # now rather than at the lease's end, without the attempt nothing spent.
            with contextlib.suppress(Exception):
                batch.give_back([r.pk for r in remaining])
    return outcomes


def _close_quietly(connection) -> None:
    # Closing a connection the server already dropped raises; there is nothing left to do then.
    with contextlib.suppress(Exception):
        connection.close()
