"""What the long jobs that work from an upload share (a spreadsheet import, a restore of an
export): the upload kept through the storage API under a random name, the count of rows done
told to the job's page while the job's own transaction is still open, and the deletion of
uploads a day old.

The count goes through a connection of its own, committing each update at once: the job writes
every row in one transaction, which no other connection can see into until it commits. SQLite
lets one writer at a time, the job itself: there the count is only written at the end.
"""

import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

# An upload not taken by its job by then is deleted (`delete_stale_uploads`, hourly).
UPLOAD_KEPT_FOR = timedelta(days=1)


def keep_upload(field_file: FieldFile, upload, *, suffix: str) -> None:
    """Store `upload` in `field_file` (unsaved) for a worker to read."""
    upload.seek(0)
    # A random name: the person's file name says nothing to whoever lists the storage.
    field_file.save(f"{uuid.uuid4().hex}{suffix}", File(upload), save=False)


def percent(done: int, total: int) -> int:
    return min(100, done * 100 // total) if total else 0


class Progress:
    """Write a job's `done` (and, through `write`, any of its columns) outside the caller's
    transaction; `done` at most every `interval` seconds (JOB_PROGRESS_SECONDS by default)."""

    def __init__(self, job: models.Model, *, interval: float | None = None):
        self.model = type(job)
        self.job_id = job.pk
        self.interval = settings.JOB_PROGRESS_SECONDS if interval is None else interval
        self.last = time.monotonic()
        self.connection = None
        self.enabled = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        self.write(done=done)

    def write(self, **values) -> None:
        """Set these columns of the job now, whatever the caller's transaction does later."""
        if not self.enabled:
            return
        if self.connection is None:
            # Opened only once the job has lasted a moment: a small one never needs it.
            main = connections[DEFAULT_DB_ALIAS]
            self.connection = type(main)(main.settings_dict, DEFAULT_DB_ALIAS)
        meta = self.model._meta
        quote = self.connection.ops.quote_name
        columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
        # Only the model's own names go into the statement, quoted; the values are parameters.
        sql = f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*values.values(), self.job_id])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def delete_stale_uploads(jobs: models.QuerySet, *, unfinished: models.Q, expired: dict) -> int:
    """Delete the uploads of `jobs` older than a day; those still `unfinished` get `expired`'s
    values (a status saying so). How many uploads were deleted."""
    stale = jobs.filter(created_at__lt=timezone.now() - UPLOAD_KEPT_FOR).exclude(file="")
    count = 0
    for job in stale:
        job.file.storage.delete(job.file.name)
        jobs.filter(pk=job.pk).update(file="")
        jobs.filter(unfinished, pk=job.pk).update(**expired)
        count += 1
    return count
