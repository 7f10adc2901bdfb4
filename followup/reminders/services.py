"""The reminder pipeline: the sweep claims what is due, workers deliver it, once.

Claim, then send. The sweep marks due follow-ups as covered by a Reminder row (the delivery
record) inside a transaction, using SKIP LOCKED so concurrent sweeps take disjoint rows, and
enqueues delivery only after commit. A worker takes a Reminder with a conditional UPDATE and a
lease; only the worker that took it sends. Nothing about the future lives in the broker: if the
broker loses messages, the sweep enqueues the queued rows again.

Two kinds of reminder share all of this: the job seeker's digest (claimed from due follow-ups)
and the coach's digest (claimed from coaches whose `coach_digest_at` has come). They differ only
in what is claimed and in what the email says (`CONTENT`); taking, sending, retrying, suppressing
and unsubscribing are the same code.
"""

import contextlib
import logging
import random
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from followup.accounts.models import CoachDigestFrequency, User
from followup.applications.models import OPEN_STATUSES, FollowUp, FollowUpStatus
from followup.coaching.models import Coaching

from . import digest as digests
from . import schedule
from .models import (
    Reminder,
    ReminderKind,
    ReminderSlot,
    ReminderStatus,
    SuppressedAddress,
    SweepRun,
)

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    claimed_follow_ups: int = 0
    claimed_coach_digests: int = 0
    new_reminders: int = 0
    enqueued: int = 0
    expired_leases: int = 0
    errors: int = 0


def _slot_for(local_now: datetime) -> str:
    if local_now.hour >= settings.REMINDER_EVENING_HOUR:
        return ReminderSlot.EVENING
    return ReminderSlot.MORNING


def _message_id(user_id: int, kind: str, local_date, slot: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
    return f"<{kind}.{user_id}.{local_date:%Y%m%d}.{slot}@{domain}>"


# A coach digest has one slot a day, whatever the hour: at most one per coach and local date, even
# if the digest hour moves to the evening after today's has gone.
COACH_DIGEST_SLOT = ReminderSlot.MORNING


def _reminder_for(
    user, *, kind: str, now: datetime, slot: str | None = None
) -> tuple[Reminder, bool]:
    """The user's reminder for the current slot, made once whatever races for it."""
    local_now = timezone.localtime(now, user.zone)
    local_date, slot = local_now.date(), slot or _slot_for(local_now)
    key = {"recipient": user, "kind": kind, "local_date": local_date, "slot": slot}
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                **key,
                next_attempt_at=now,
                message_id=_message_id(user.pk, kind, local_date, slot),
            )
        return reminder, True
    except IntegrityError:
        return Reminder.objects.get(**key), False


def claim_due_follow_ups(*, now: datetime, batch: int) -> tuple[int, int, int]:
    """Attach due follow-ups to their owner's reminder for this slot.

    Returns how many rows were claimed, how many reminders are new, and how many owners failed.

    A follow-up whose slot already had its email (sent before it became due) waits for the next
    slot: it is never dropped, and never makes a second email in the same slot.
    """
    with transaction.atomic():
        rows = list(
            FollowUp.objects.filter(
                status=FollowUpStatus.PENDING, reminder__isnull=True, remind_at__lte=now
            )
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("application__owner")
            .order_by("remind_at")[:batch]
        )
        by_owner = defaultdict(list)
        for follow_up in rows:
            by_owner[follow_up.application.owner].append(follow_up.pk)
        new_reminders = errors = 0
        for owner, ids in by_owner.items():
            try:
                with transaction.atomic():
                    new_reminders += _attach(owner, ids, now=now)
            except Exception:
                # One bad row (a broken time zone, say) is recorded and skipped, and waits an hour
                # so that it does not block every sweep; the others go on.
                log.exception("claiming follow-ups %s of user %s failed", ids, owner.pk)
                errors += 1
                FollowUp.objects.filter(pk__in=ids).update(remind_at=now + timedelta(hours=1))
        return len(rows), new_reminders, errors


def _attach(owner, follow_up_ids: list[int], *, now: datetime) -> int:
    """Attach follow-ups to the owner's reminder for this slot; return 1 if it is a new one."""
    reminder, created = _reminder_for(owner, kind=ReminderKind.DIGEST, now=now)
    if reminder.status == ReminderStatus.QUEUED:
        FollowUp.objects.filter(pk__in=follow_up_ids).update(reminder=reminder)
    else:
        # This slot's email has gone; the next slot will carry these.
        schedule.refresh(
            FollowUp.objects.filter(pk__in=follow_up_ids), now=now + timedelta(hours=1)
        )
    return int(created)


def schedule_new_coaches(*, now: datetime, batch: int) -> tuple[int, int]:
    """Give a first `coach_digest_at` to coaches who have none yet; return (scheduled, errors).

    A person becomes a coach by accepting an invitation (followup.coaching), which does not know
    about reminders; rather than hook every such path, the sweep picks them up here. The query
    matches the partial index `user_coach_digest_unset_idx`, which holds only coaches waiting for
    this step, so it costs next to nothing when there are none. Once scheduled, a coach leaves
    that index for good (off, stopped and inactive people are not in it), whether or not they
    have clients yet: the claim below skips a coach with no active client without making a row.
    """
    with transaction.atomic():
        coaches = list(
            User.objects.filter(
                is_coach=True,
                is_active=True,
                reminders_stopped=False,
                coach_digest_at__isnull=True,
            )
            .exclude(coach_digest_frequency=CoachDigestFrequency.OFF)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")[:batch]
        )
        errors = 0
        for coach in coaches:
            try:
                with transaction.atomic():
                    schedule.refresh_coach_digest(coach, now=now)
            except Exception:
                log.exception("scheduling the coach digest of user %s failed", coach.pk)
                errors += 1
                _hold_coach_digest(coach, now=now)
        return len(coaches), errors


def claim_due_coach_digests(*, now: datetime, batch: int) -> tuple[int, int, int]:
    """Make the Reminder of each coach whose digest is due, and move their next time on.

    Returns how many coaches were claimed, how many reminders are new, and how many failed.
    The row lock (SKIP LOCKED) and the advance of `coach_digest_at` in the same transaction keep
    two sweeps from claiming one coach twice; the Reminder's unique key is the backstop. What
    the email lists is decided when it is sent, not here.
    """
    with transaction.atomic():
        coaches = list(
            User.objects.filter(coach_digest_at__lte=now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("coach_digest_at")[:batch]
        )
        new_reminders = errors = 0
        for coach in coaches:
            try:
                with transaction.atomic():
                    new_reminders += _claim_coach_digest(coach, now=now)
            except Exception:
                # As for follow-ups: one bad row is recorded, waits an hour, and the rest go on.
                log.exception("claiming the coach digest of user %s failed", coach.pk)
                errors += 1
                _hold_coach_digest(coach, now=now)
        return len(coaches), new_reminders, errors


def _claim_coach_digest(coach, *, now: datetime) -> int:
    today = timezone.localtime(now, coach.zone).date()
    paused = coach.reminders_paused_until and today <= coach.reminders_paused_until
    created = False
    if (
        schedule.coach_digest_wanted(coach)
        and not paused
        # No client, no email: the row is not even made. Whether a client has anything to
        # report is read when it is sent.
        and Coaching.objects.active().filter(coach=coach, client__isnull=False).exists()
    ):
        _, created = _reminder_for(
            coach, kind=ReminderKind.COACH_DIGEST, now=now, slot=COACH_DIGEST_SLOT
        )
    # After downtime the missed digests make one, now; the next is on a later day.
    next_at = schedule.next_coach_digest_at(coach, now=now, on_or_after=today + timedelta(days=1))
    User.objects.filter(pk=coach.pk).update(coach_digest_at=next_at)
    return int(created)


def _hold_coach_digest(coach, *, now: datetime) -> None:
    User.objects.filter(pk=coach.pk).update(coach_digest_at=now + timedelta(hours=1))


def release_expired_leases(*, now: datetime) -> int:
    """Hand reminders whose worker died (lease over, never marked sent) back to the queue."""
    return Reminder.objects.filter(status=ReminderStatus.SENDING, claimed_until__lt=now).update(
        status=ReminderStatus.QUEUED, next_attempt_at=now, claimed_until=None
    )


def enqueue_ready(*, now: datetime) -> int:
    """Enqueue delivery of queued reminders whose time has come, in batches, after commit."""
    from .tasks import enqueue_delivery

    requeue_at = now + timedelta(seconds=settings.REMINDER_REQUEUE_SECONDS)
    with transaction.atomic():
        ids = list(
            Reminder.objects.filter(status=ReminderStatus.QUEUED, next_attempt_at__lte=now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:10_000]
        )
        # If the broker loses these messages, the rows come due again and are enqueued again.
        Reminder.objects.filter(pk__in=ids).update(next_attempt_at=requeue_at)
        size = settings.REMINDER_SEND_BATCH
        batches = [ids[i : i + size] for i in range(0, len(ids), size)]
        transaction.on_commit(lambda: enqueue_delivery(batches))
    return len(ids)


def _claim_all(claim, *, now: datetime, result: SweepResult) -> tuple[int, int]:
    """Run one claim step batch after batch until a batch comes back short.

    Returns the rows claimed and the reminders made; errors are added to `result`. A step that
    fails outright is logged and left for the next sweep, which never blocks the other steps.
    """
    claimed_total = new_total = 0
    batch = settings.REMINDER_CLAIM_BATCH
    while True:
        try:
            claimed, new, errors = claim(now=now, batch=batch)
        except Exception:
            log.exception("%s failed", claim.__name__)
            result.errors += 1
            break
        claimed_total += claimed
        new_total += new
        result.errors += errors
        if claimed < batch:
            break
    return claimed_total, new_total


def reminders_sweep(*, now: datetime | None = None) -> SweepResult:
    """One pass: free dead leases, claim what is due, enqueue what is ready; record the run."""
    now = now or timezone.now()
    run = SweepRun.objects.create(started_at=now)
    result = SweepResult(expired_leases=release_expired_leases(now=now))
    claimed, new = _claim_all(claim_due_follow_ups, now=now, result=result)
    result.claimed_follow_ups, result.new_reminders = claimed, new
    try:
        # One batch a sweep: new coaches are few, and the next sweep takes any rest.
        _, errors = schedule_new_coaches(now=now, batch=settings.REMINDER_CLAIM_BATCH)
        result.errors += errors
    except Exception:
        log.exception("scheduling new coaches failed")
        result.errors += 1
    claimed, new = _claim_all(claim_due_coach_digests, now=now, result=result)
    result.claimed_coach_digests, result.new_reminders = claimed, result.new_reminders + new
    result.enqueued = enqueue_ready(now=now)
    SweepRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        claimed_follow_ups=result.claimed_follow_ups,
        claimed_coach_digests=result.claimed_coach_digests,
        new_reminders=result.new_reminders,
        enqueued=result.enqueued,
        expired_leases=result.expired_leases,
        errors=result.errors,
    )
    return result


# --- Delivery ------------------------------------------------------------------------------


class PermanentRefusal(Exception):
    """The server refused the recipient for good (5xx at RCPT): suppress the address."""


class Undeliverable(Exception):
    """The server refused this message for good, not the address: record it and move on."""


def _take(reminder_id: int, *, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    return bool(
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.QUEUED).update(
            status=ReminderStatus.SENDING, claimed_until=lease, attempts=F("attempts") + 1
        )
    )


def _finish(reminder_id: int, status: str, **fields) -> None:
    Reminder.objects.filter(pk=reminder_id).update(status=status, claimed_until=None, **fields)


def _backoff_seconds(attempts: int) -> float:
    base = settings.REMINDER_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return base * random.uniform(0.5, 1.5)  # jitter, not security


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
    covered = list(
        reminder.follow_ups.select_for_update(of=("self",)).filter(
            status=FollowUpStatus.PENDING,
            application__status__in=OPEN_STATUSES,
            application__reminders_muted=False,
        )
    )
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
    if not report.clients:
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
    """Send one reminder if this worker can take it; return what happened."""
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
                return "suppressed"
            message.connection = connection
            # send_messages() closes a connection it had to open itself; opened here, it stays
            # open for the whole batch (deliver_batch closes it, and reopens after a failure).
            if connection is not None:
                connection.open()
            _send(message)
            _finish(reminder_id, ReminderStatus.SENT, sent_at=timezone.now(), last_error="")
            return "sent"
    except PermanentRefusal as error:
        SuppressedAddress.objects.get_or_create(
            email=Reminder.objects.get(pk=reminder_id).recipient.email,
            defaults={"reason": str(error)[:2000]},
        )
        _finish(reminder_id, ReminderStatus.SUPPRESSED, last_error=str(error)[:2000])
        return "refused"
    except (smtplib.SMTPException, OSError) as error:
        # 4xx replies, refused connections, timeouts, dropped connections: try again later.
        return _retry_later(reminder_id, error)
    except Undeliverable as error:
        _finish(reminder_id, ReminderStatus.FAILED, last_error=str(error)[:2000])
        return "failed"
    except Exception as error:
        # A broken row (bad template data, a malformed address) is recorded and skipped.
        log.exception("reminder %s failed", reminder_id)
        _finish(reminder_id, ReminderStatus.FAILED, last_error=repr(error)[:2000])
        return "failed"


def _send(message) -> None:
    """Send, telling permanent refusals apart from temporary failures (which propagate)."""
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            raise PermanentRefusal(str(error.recipients)) from error
        raise
    except smtplib.SMTPResponseException as error:
        if error.smtp_code >= 500:
            raise Undeliverable(f"{error.smtp_code} {error.smtp_error!r}") from error
        raise


def _retry_later(reminder_id: int, error: Exception) -> str:
    reminder = Reminder.objects.get(pk=reminder_id)
    text = f"{type(error).__name__}: {error}"[:2000]
    if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        _finish(reminder_id, ReminderStatus.FAILED, last_error=text)
        return "failed"
    retry_at = timezone.now() + timedelta(seconds=_backoff_seconds(reminder.attempts))
    _finish(reminder_id, ReminderStatus.QUEUED, next_attempt_at=retry_at, last_error=text)
    return "retry"


def deliver_batch(reminder_ids: list[int]) -> dict[str, int]:
    """Deliver several reminders over one SMTP connection (opened only if something is sent)."""
    outcomes: dict[str, int] = defaultdict(int)
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        for reminder_id in reminder_ids:
            outcome = deliver(reminder_id, connection=connection)
            outcomes[outcome] += 1
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
