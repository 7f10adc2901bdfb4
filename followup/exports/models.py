import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from followup.core.access import OwnedQuerySet


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
