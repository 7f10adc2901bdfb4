"""Requesting a full export, and restoring one: one job of each at a time per person, run by a
worker after commit."""

from datetime import timedelta
from functools import partial
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from followup.accounts.models import User
from followup.core.jobs import keep_upload

from .models import ExportJob, ExportStatus, RestoreJob, RestoreStatus
from .restore import NOT_EMPTY, RestoreRefused, account_is_empty
from .tasks import build_export, run_restore


def export_request(*, owner: User) -> ExportJob:
    """Start an export for `owner`, or return the one already being prepared."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=owner.pk).first()
        pending = ExportJob.objects.owned_by(owner).filter(status=ExportStatus.PENDING)
        # One the broker lost would block every later request: after this long it has failed.
        stale = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
        pending.filter(created_at__lt=stale).update(
            status=ExportStatus.FAILED, error="not built in time", finished_at=timezone.now()
        )
        pending = pending.first()
        if pending is not None:
            return pending
        job = ExportJob.objects.create(owner=owner)
        transaction.on_commit(lambda: build_export.delay(job.pk))
    return job


def restore_under_way(owner: User) -> RestoreJob | None:
    """The owner's restore that a worker has still to finish, if any."""
    return RestoreJob.objects.owned_by(owner).under_way().first()


def restore_job_start(*, owner: User, upload) -> RestoreJob:
    """Keep the upload and queue its restore; or return the restore already under way.

    RestoreRefused if the account is not empty: the worker checks again, in its transaction.
    """
    with transaction.atomic():
        # Two tabs uploading at once: the second waits here, then finds the first's job.
        User.objects.select_for_update().filter(pk=owner.pk).first()
        mine = RestoreJob.objects.owned_by(owner)
        mine.lost().update(
            status=RestoreStatus.FAILED,
            errors=["This restore was not run in time; nothing was restored."],
            finished_at=timezone.now(),
        )
        under_way = mine.under_way().first()
        if under_way is not None:
            return under_way
        if not account_is_empty(owner):
            raise RestoreRefused([NOT_EMPTY])
        job = RestoreJob(owner=owner, file_name=upload.name[:255])
        suffix = PurePath(upload.name).suffix.lower()
        keep_upload(job.file, upload, suffix=suffix if suffix in (".zip", ".json") else ".upload")
        job.save()
        transaction.on_commit(partial(run_restore.delay, job.pk))
    return job
