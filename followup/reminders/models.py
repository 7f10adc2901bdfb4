from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone


class ReminderKind(models.TextChoices):
    DIGEST = "digest", "Job seeker's digest"
    COACH_DIGEST = "coach_digest", "Coach's digest"


class ReminderSlot(models.TextChoices):
    MORNING = "morning", "Daily digest"
    EVENING = "evening", "Evening nudge"


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"
    EXPIRED = "expired", "Expired"


PENDING_STATUSES = (ReminderStatus.QUEUED, ReminderStatus.SENDING)


class ReminderQuerySet(models.QuerySet):
    def pending(self):
        """Not yet sent nor given up: waiting in the queue, or taken by a worker."""
        return self.filter(status__in=PENDING_STATUSES)

    def overdue(self, *, since: datetime):
        """Pending since before `since`, and not merely waiting on a retry of its own.

        A reminder whose last try failed for that message alone (a 4xx for its recipient) is
        on its own backoff; anything else this old is held back by the mail server, or was
        never taken by a worker.
        """
        return (
            self.pending().filter(created_at__lt=since).exclude(attempts__gt=0, server_failures=0)
        )


class Reminder(models.Model):
    """The delivery record of one reminder email; the database, not the broker, owns its state.

    Unique on (recipient, kind, local date, slot): a second sweep, a second beat, a redelivered
    task or a retry finds the existing row instead of making a second email.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(
        max_length=20, choices=ReminderKind.choices, default=ReminderKind.DIGEST
    )
    local_date = models.DateField(help_text="The recipient's date when it was claimed.")
    slot = models.CharField(max_length=10, choices=ReminderSlot.choices)
    status = models.CharField(
        max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.QUEUED
    )
    # Tries that reached this message's own part of the conversation (RCPT, DATA): only these
    # count towards REMINDER_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Times in a row the mail server itself failed (down, silent, 421, refusing our greeting,
    # sender or login) before it could judge this message: they set the backoff, never `failed`.
    server_failures = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    # When the sweep should (re)enqueue it; pushed forward each time it is enqueued.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker that took it owns it until then; after that the sweep gives it to another.
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Past this the digest is not worth sending: the sweep marks it expired and what it covered
    # goes to the next one. Null only on rows made before deadlines existed.
    deliver_by = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "local_date", "slot"], name="one_reminder_per_slot"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="reminder_pending_idx",
                condition=models.Q(status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} for {self.recipient} on {self.local_date} ({self.status})"
        )


class SuppressedAddress(models.Model):
    """An address the mail server refused permanently: no reminder is sent to it again."""

    email = models.EmailField(unique=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "suppressed addresses"
        # The send path looks addresses up without regard to case, once per message.
        indexes = [models.Index(Upper("email"), name="suppressed_email_upper_idx")]

    def __str__(self):
        return self.email


class SweepRun(models.Model):
    """One pass of the reminder sweep, for /health/ and the admin."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    claimed_follow_ups = models.PositiveIntegerField(default=0)
    claimed_coach_digests = models.PositiveIntegerField(default=0)
    new_reminders = models.PositiveIntegerField(default=0)
    enqueued = models.PositiveIntegerField(default=0)
    expired_leases = models.PositiveIntegerField(default=0)
    expired_reminders = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Sweep at {self.started_at:%Y-%m-%d %H:%M:%S}"
