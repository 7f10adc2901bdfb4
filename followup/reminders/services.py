"""The reminder pipeline: the sweep claims what is due, workers deliver it, once.

Claim, then send. The sweep marks due follow-ups as covered by a Reminder row (the delivery
record) inside a transaction, using SKIP LOCKED so concurrent sweeps take disjoint rows, and
enqueues delivery only after commit. A worker takes a Reminder with a conditional UPDATE and a
lease; only the worker that took it sends. Nothing about the future lives in the broker: if the
broker loses messages, the sweep enqueues the queued rows again.
"""

import contextlib
import logging
import random
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from followup.applications.models import OPEN_STATUSES, FollowUp, FollowUpStatus

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


def _reminder_for(user, *, kind: str, now: datetime) -> tuple[Reminder, bool]:
    """The user's reminder for the current slot, made once whatever races for it."""
    local_now = timezone.localtime(now, user.zone)
    local_date, slot = local_now.date(), _slot_for(local_now)
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


def reminders_sweep(*, now: datetime | None = None) -> SweepResult:
    """One pass: free dead leases, claim what is due, enqueue what is ready; record the run."""
    now = now or timezone.now()
    run = SweepRun.objects.create(started_at=now)
    result = SweepResult(expired_leases=release_expired_leases(now=now))
    while True:
        try:
            claimed, new, errors = claim_due_follow_ups(
                now=now, batch=settings.REMINDER_CLAIM_BATCH
            )
        except Exception:
            log.exception("claiming due follow-ups failed")
            result.errors += 1
            break
        result.claimed_follow_ups += claimed
        result.new_reminders += new
        result.errors += errors
        if claimed < settings.REMINDER_CLAIM_BATCH:
            break
    result.enqueued = enqueue_ready(now=now)
    SweepRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(),
        claimed_follow_ups=result.claimed_follow_ups,
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
    return base * random.uniform(0.5, 1.5)  # noqa: S311 - jitter, not security


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


def deliver(reminder_id: int, *, connection) -> str:
    """Send one reminder if this worker can take it; return what happened."""
    now = timezone.now()
    if not _take(reminder_id, now=now):
        return "not taken"
    try:
        with transaction.atomic():
            reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
            user = reminder.recipient
            # Lock what the email covers: closing an application waits for this send to finish,
            # and a close committed before this point means no email.
            covered = list(
                reminder.follow_ups.select_for_update(of=("self",)).filter(
                    status=FollowUpStatus.PENDING,
                    application__status__in=OPEN_STATUSES,
                    application__reminders_muted=False,
                )
            )
            reason = _still_wanted(reminder, user)
            if reason is None and not covered:
                reason = "nothing left due"
            if reason is not None:
                _finish(reminder_id, ReminderStatus.SUPPRESSED, last_error=reason)
                return "suppressed"
            today = timezone.localtime(now, user.zone).date()
            message = digests.digest_email(
                reminder=reminder, digest=digests.digest_for(user, today=today)
            )
            message.connection = connection
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
