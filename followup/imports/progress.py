"""The count of rows written, told to the progress page while the import's transaction is open.

The import writes every row in one transaction, which no other connection can see into until it
commits; so the count goes through a connection of its own, committing each update at once.
SQLite lets one writer at a time, the import itself: there the count is only written at the end.
"""

import time

from django.db import DEFAULT_DB_ALIAS, connections

from .models import ImportJob

UPDATE_DONE = "UPDATE imports_importjob SET done = %s WHERE id = %s"


class Progress:
    """Write `ImportJob.done` at most every `interval` seconds, outside the caller's transaction."""

    def __init__(self, job: ImportJob, *, interval: float = 0.5):
        self.job_id = job.pk
        self.interval = interval
        self.started = time.monotonic()
        self.last = self.started
        self.connection = None
        self.enabled = connections[DEFAULT_DB_ALIAS].vendor == "postgresql"

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < self.interval:
            return
        self.last = now
        if self.connection is None:
            # Opened only once the import has lasted a moment: a small one never needs it.
            main = connections[DEFAULT_DB_ALIAS]
            self.connection = type(main)(main.settings_dict, DEFAULT_DB_ALIAS)
        with self.connection.cursor() as cursor:
            cursor.execute(UPDATE_DONE, [done, self.job_id])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
