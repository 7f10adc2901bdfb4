"""Uploading a spreadsheet, and importing it all or nothing.

Rows are created through the domain's own paths (`applications.services.application_create`,
the contact form's save), so an imported application has its "recorded" event and looks like
any other. Small files are imported in the request; larger ones by a worker (`tasks.run_import`)
while the job page shows the progress.
"""

from functools import partial
from pathlib import PurePath

from django.db import transaction

from followup.accounts.models import User
from followup.core.jobs import keep_upload

from .checking import Check, check_sheet
from .models import ImportJob, JobStatus
from .reading import Sheet
from .running import import_job_run, sheet_of
from .tasks import run_check, run_import

# Above this many rows an import goes to a worker, and the page follows its progress.
IN_REQUEST_ROWS = 200


def import_job_create(*, owner: User, kind: str, upload, sheet: Sheet) -> ImportJob:
    """Keep the uploaded file (already read into `sheet`) for the mapping step and the import."""
    suffix = ".xlsx" if PurePath(upload.name).suffix.lower() == ".xlsx" else ".csv"
    job = ImportJob(owner=owner, kind=kind, file_name=upload.name[:255], total=len(sheet))
    keep_upload(job.file, upload, suffix=suffix)
    job.save()
    return job


def import_job_check(*, job: ImportJob, mapping: dict[int, str]) -> Check | None:
    """The dry run: what importing with `mapping` would do, writing no row of the owner's.

    A small file is checked now; a larger one by a worker, which keeps what it found on the job.
    """
    if job.total <= IN_REQUEST_ROWS:
        return check_sheet(owner=job.owner, kind=job.kind, sheet=sheet_of(job), mapping=mapping)
    job.mapping = {str(index): target for index, target in mapping.items()}
    job.status = JobStatus.CHECKING
    job.checked_ready = None
    job.save(update_fields=["mapping", "status", "checked_ready"])
    transaction.on_commit(partial(run_check.delay, job.pk))
    return None


def import_job_start(*, job: ImportJob, mapping: dict[int, str]) -> Check | None:
    """Import now if the file is small (returning what was found), else queue it for a worker."""
    job.mapping = {str(index): target for index, target in mapping.items()}
    if job.total > IN_REQUEST_ROWS:
        job.status = JobStatus.QUEUED
        job.save(update_fields=["mapping", "status"])
        transaction.on_commit(partial(run_import.delay, job.pk))
        return None
    job.save(update_fields=["mapping"])
    return import_job_run(job_id=job.pk)
