from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from followup.core.access import OwnedQuerySet
from followup.core.jobs import percent


class Kind(models.TextChoices):
    APPLICATIONS = "applications", "Applications"
    CONTACTS = "contacts", "Contacts"


class JobStatus(models.TextChoices):
    NEW = "new", "Waiting for the columns"
    CHECKING = "checking", "Checking"
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Nothing imported"
    EXPIRED = "expired", "Expired"


FINISHED = (JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED)


class ImportJob(models.Model):
    """One uploaded spreadsheet, from the column mapping to its import (or its refusal)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.NEW)
    # Stored through the storage API under a random name; emptied once the job is finished, or
    # a day after the upload (tasks.delete_stale_uploads).
    file = models.FileField(upload_to="imports/", max_length=300, blank=True)
    file_name = models.CharField("file name", max_length=255)
    # Spreadsheet column index (as a string, JSON's keys) -> field name, as the person chose.
    mapping = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)  # data rows in the file
    done = models.PositiveIntegerField(default=0)  # rows written so far
    created = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # already imported
    # [{"row": 500, "column": "Status", "message": "..."}]: what a dry run found, or what kept
    # the file out.
    errors = models.JSONField(default=list, blank=True)
    # Rows the last dry run found ready to import; None until a dry run has finished.
    checked_ready = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"Import of {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def is_working(self) -> bool:
        return self.status in (JobStatus.CHECKING, JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return percent(self.done, self.total)


class ImportedRow(models.Model):
    """A spreadsheet row already imported, by the hash of its mapped values: a second import of
    the same row finds it and creates nothing. Deleting what it created deletes it too, so the
    row can be imported again."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=64)
    job = models.ForeignKey(
        ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="rows"
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "key"], name="imported_row_once_per_owner"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=Kind.APPLICATIONS, application__isnull=False)
                | models.Q(kind=Kind.CONTACTS, contact__isnull=False),
                name="imported_row_names_what_it_created",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} row {self.key[:12]}"
