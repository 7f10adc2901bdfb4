"""The import itself: every row checked again, then written in one transaction, or none.

It runs in the request for a small file and in a worker for a larger one (`tasks.run_import`);
either way the job row ends `done` (with what was created and what was already there) or
`failed` (with each row's errors), and the uploaded file is deleted.
"""

import logging

from django.db import transaction
from django.utils import timezone

from followup.accounts.models import User
from followup.applications import services as application_services
from followup.contacts.models import Contact
from followup.core.jobs import Progress
from followup.letters.uploads import delete_stored_file_on_commit

from .checking import Check, Row, RowError, check_sheet
from .models import FINISHED, ImportedRow, ImportJob, JobStatus, Kind
from .reading import Sheet, SheetError, read_sheet

logger = logging.getLogger(__name__)
UNEXPECTED = "Something went wrong while importing, and nothing was imported. Try again later."


def sheet_of(job: ImportJob) -> Sheet:
    with job.file.open("rb") as stored:
        return read_sheet(stored, job.file.name)


def mapping_of(job: ImportJob) -> dict[int, str]:
    return {int(index): target for index, target in job.mapping.items()}


def import_job_dry_run(*, job_id: int) -> None:
    """Check a large file for a worker, keeping what was found on the job for the page."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.status != JobStatus.CHECKING:
        return
    progress = Progress(job)
    try:
        check = check_sheet(
            owner=job.owner,
            kind=job.kind,
            sheet=sheet_of(job),
            mapping=mapping_of(job),
            on_progress=progress,
        )
        errors = check.errors
    except (SheetError, OSError, ValueError):
        check, errors = Check(), [RowError(0, "", "The file could not be read.")]
    finally:
        progress.close()
    ImportJob.objects.filter(pk=job.pk, status=JobStatus.CHECKING).update(
        status=JobStatus.NEW,
        done=0,
        errors=[error.as_dict() for error in errors],
        skipped=len(check.already_imported),
        checked_ready=len(check.ready),
    )


def import_job_run(*, job_id: int) -> Check | None:
    """Import the job's file with its mapping; None if another run has finished it already."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        return None
    # Run in the request, a file with errors stays on the mapping step, to be tried again.
    in_request = job.status == JobStatus.NEW
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=0)
    try:
        sheet = sheet_of(job)
    except (SheetError, OSError, ValueError):
        _finish(job, JobStatus.FAILED, errors=[RowError(0, "", "The file could not be read.")])
        return None
    progress = Progress(job)
    try:
        return _import(job, sheet, progress, in_request=in_request)
    except Exception:
        # Rolled back: nothing was imported, and the page must say so rather than wait forever.
        logger.exception("Import %s failed", job.pk)
        _finish(job, JobStatus.FAILED, errors=[RowError(0, "", UNEXPECTED)])
        return None
    finally:
        progress.close()


def _import(job: ImportJob, sheet: Sheet, progress: Progress, *, in_request: bool) -> Check:
    with transaction.atomic():
        # One import at a time per person: a second run of the same file (a double click, a
        # task given again) waits, then finds the rows already there.
        User.objects.select_for_update(no_key=True).filter(pk=job.owner_id).first()
        if ImportJob.objects.filter(pk=job.pk, status__in=FINISHED).exists():
            return Check()
        check = check_sheet(owner=job.owner, kind=job.kind, sheet=sheet, mapping=mapping_of(job))
        if not check.ok:
            transaction.set_rollback(True)
        else:
            create = _create_application if job.kind == Kind.APPLICATIONS else _create_contact
            imported = []
            for done, row in enumerate(check.ready, start=1):
                imported.append(create(job, row))
                progress(done)
            ImportedRow.objects.bulk_create(imported, batch_size=1000)
            _finish(job, JobStatus.DONE, check=check)
    if not check.ok and in_request:
        job.errors = [error.as_dict() for error in check.errors]
        job.skipped = len(check.already_imported)
        job.checked_ready = len(check.ready)
        job.status = JobStatus.NEW
        job.save(update_fields=["errors", "skipped", "checked_ready", "status"])
    elif not check.ok:
        _finish(job, JobStatus.FAILED, check=check)
    return check


def _create_application(job: ImportJob, row: Row) -> ImportedRow:
    application = application_services.application_create(
        owner=job.owner, status=row.status, **row.fields
    )
    return ImportedRow(
        owner=job.owner, kind=job.kind, key=row.key, job=job, application=application
    )


def _create_contact(job: ImportJob, row: Row) -> ImportedRow:
    # The contact form's own save, as on the new-contact page (there is no contact service).
    contact = Contact.objects.create(owner=job.owner, **row.fields)
    return ImportedRow(owner=job.owner, kind=job.kind, key=row.key, job=job, contact=contact)


def _finish(
    job: ImportJob, status: str, *, check: Check | None = None, errors: list | None = None
) -> None:
    """Record the outcome and delete the uploaded file once that is committed."""
    errors = errors if errors is not None else (check.errors if check else [])
    with transaction.atomic():
        fields = {
            "status": status,
            "finished_at": timezone.now(),
            "errors": [error.as_dict() for error in errors],
            "file": "",
        }
        if check is not None:
            fields |= {
                "created": len(check.ready) if status == JobStatus.DONE else 0,
                "skipped": len(check.already_imported),
                "done": len(check.ready) if status == JobStatus.DONE else 0,
            }
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        delete_stored_file_on_commit(job.file.storage, job.file.name)
        for name, value in fields.items():
            setattr(job, name, value)
