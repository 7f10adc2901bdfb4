import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from followup.core.access import OwnedQuerySet
from followup.core.jobs import percent


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


# Where export archives are stored; only exports:download serves them, to their owner.
EXPORT_UPLOAD_DIR = "exports"


def export_upload_path(job, filename: str) -> str:
    # A random name: an archive's address in storage says nothing about whose it is.
    return f"{EXPORT_UPLOAD_DIR}/{uuid.uuid4().hex}.zip"


class ExportJobQuerySet(OwnedQuerySet):
    def past_expiry(self, now: datetime):
        """Archives whose link has expired and whose file may still be in storage."""
        return self.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED)


class ExportJob(models.Model):
    """One request for a full export: built by a worker, downloadable by its owner until it
    expires, then its file is deleted."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    file = models.FileField(upload_to=export_upload_path, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"Export of {self.created_at:%Y-%m-%d %H:%M} ({self.status})"

    def get_absolute_url(self):
        return reverse("exports:download", args=[self.pk])

    def is_expired(self, now: datetime | None = None) -> bool:
        if self.status == ExportStatus.EXPIRED:
            return True
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_downloadable(self) -> bool:
        return self.status == ExportStatus.READY and bool(self.file) and not self.is_expired()

    @property
    def download_name(self) -> str:
        return f"followup-export-{self.created_at:%Y-%m-%d}.zip"


class RestoreStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    CHECKING = "checking", "Checking the file"
    WRITING = "writing", "Restoring"
    DONE = "done", "Restored"
    FAILED = "failed", "Nothing restored"


RESTORE_WORKING = (RestoreStatus.QUEUED, RestoreStatus.CHECKING, RestoreStatus.WRITING)


# A restore not finished after this long (a lost task) no longer blocks uploading the file again;
# the task's own time limit is half an hour.
RESTORE_STALE_AFTER = timedelta(hours=1)


class RestoreJobQuerySet(OwnedQuerySet):
    def working(self):
        """Restores not finished: queued, or in a worker's hands."""
        return self.filter(status__in=RESTORE_WORKING)

    def under_way(self):
        """Restores not finished and not lost: a new upload waits for these."""
        return self.working().filter(created_at__gte=timezone.now() - RESTORE_STALE_AFTER)

    def lost(self):
        return self.working().filter(created_at__lt=timezone.now() - RESTORE_STALE_AFTER)


class RestoreJob(models.Model):
    """One uploaded export, restored into its owner's empty account by a worker (or refused
    with what is wrong with it, nothing written)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restore_jobs"
    )
    status = models.CharField(
        max_length=10, choices=RestoreStatus.choices, default=RestoreStatus.QUEUED
    )
    # Stored through the storage API under a random name; emptied once the job is finished, or
    # a day after the upload (tasks.delete_stale_restore_uploads).
    file = models.FileField(upload_to="restores/", max_length=300, blank=True)
    file_name = models.CharField("file name", max_length=255)
    total = models.PositiveIntegerField(default=0)  # rows in the file, once it has been read
    done = models.PositiveIntegerField(default=0)  # rows checked, then rows written
    # Rows restored per kind ({"applications": 500, ...}); gift files brought back, and those
    # the upload did not carry (a JSON without its zip).
    counts = models.JSONField(default=dict, blank=True)
    files_restored = models.PositiveIntegerField(default=0)
    files_missing = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # what kept the file out, for the person
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RestoreJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"Restore of {self.file_name}"

    def get_absolute_url(self):
        return reverse("exports:restore_detail", args=[self.pk])

    @property
    def is_working(self) -> bool:
        return self.status in RESTORE_WORKING

    @property
    def is_finished(self) -> bool:
        return not self.is_working

    @property
    def percent(self) -> int:
        """Checking is the first half of the bar, writing the second."""
        if self.status == RestoreStatus.DONE:
            return 100
        written = self.status == RestoreStatus.WRITING
        return percent(self.done + (self.total if written else 0), 2 * self.total)
