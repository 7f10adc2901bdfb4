"""A restore job in a worker: the stored upload read, checked and written in one transaction (or
refused with what is wrong, nothing written), while the job row tells the page how far it got.

Either way the job ends `done` (with what was restored) or `failed` (with the problems), and the
uploaded file is deleted.
"""

import logging

from django.db import transaction
from django.utils import timezone

from followup.accounts.models import User
from followup.core.jobs import Progress
from followup.letters.uploads import delete_stored_file_on_commit

from .models import RESTORE_WORKING, RestoreJob, RestoreStatus
from .restore import RestoreRefused, RestoreResult, read_upload, restore_into

logger = logging.getLogger(__name__)
UNEXPECTED = "Something went wrong while restoring, and nothing was restored. Try again later."


def restore_job_run(*, job_id: int) -> None:
    """Restore the job's upload into its owner's account, unless another run has finished it."""
    job = RestoreJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return  # the account is gone, or a second delivery of the task
    RestoreJob.objects.filter(pk=job.pk).update(status=RestoreStatus.CHECKING, done=0)
    progress = Progress(job)
    step = RestoreStatus.CHECKING

    def on_progress(now: str, done: int) -> None:
        nonlocal step
        if now == step:
            progress(done)
        else:
            step = now
            progress.write(status=now, done=done)

    try:
        with job.file.open("rb") as stored:
            upload = read_upload(stored)
            RestoreJob.objects.filter(pk=job.pk).update(total=upload.rows)
            _restore(job, upload, on_progress)
    except RestoreRefused as refusal:
        _finish(job, RestoreStatus.FAILED, errors=refusal.messages)
    except Exception:
        # Rolled back: nothing was restored, and the page must say so rather than wait forever.
        logger.exception("Restore %s failed", job.pk)
        _finish(job, RestoreStatus.FAILED, errors=[UNEXPECTED])
    finally:
        progress.close()


def _restore(job: RestoreJob, upload, on_progress) -> None:
    with transaction.atomic():
        # One run at a time per account: a second delivery of the task waits here, then finds
        # the job finished; another job's restore finds the account no longer empty.
        User.objects.select_for_update().filter(pk=job.owner_id).first()
        if not RestoreJob.objects.filter(pk=job.pk, status__in=RESTORE_WORKING).exists():
            return
        result = restore_into(owner=job.owner, upload=upload, on_progress=on_progress)
        # In the same transaction: the rows and the word that they are there commit together.
        _finish(job, RestoreStatus.DONE, result=result)


def _finish(
    job: RestoreJob,
    status: str,
    *,
    result: RestoreResult | None = None,
    errors: list[str] | None = None,
) -> None:
    """Record the outcome, unless another run did, and delete the upload once that commits."""
    fields = {"status": status, "finished_at": timezone.now(), "errors": errors or [], "file": ""}
    if result is not None:
        fields |= {
            "counts": result.counts,
            "files_restored": result.files_restored,
            "files_missing": result.files_missing,
            "done": sum(result.counts.values()),
        }
    with transaction.atomic():
        updated = RestoreJob.objects.filter(pk=job.pk, status__in=RESTORE_WORKING).update(**fields)
        if updated:
            delete_stored_file_on_commit(job.file.storage, job.file.name)
