"""Building an export job's archive (in a worker), telling its owner, and clearing expired ones."""

import logging
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from followup.core.emails import build_email

from .archive import write_archive
from .models import ExportJob, ExportStatus

log = logging.getLogger(__name__)


def export_build(*, job_id: int) -> ExportJob | None:
    """Write the archive of a pending job to storage, mark it ready and email its link."""
    job = (
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING)
        .select_related("owner")
        .first()
    )
    if job is None:
        return None  # built already, or the account is gone
    try:
        with tempfile.TemporaryFile() as buffer:
            write_archive(job.owner, buffer, storage=job.file.storage)
            job.size = buffer.tell()
            buffer.seek(0)
            job.file.save(job.download_name, File(buffer), save=False)
    except Exception as error:
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportStatus.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        return None
    now = timezone.now()
    job.status, job.finished_at = ExportStatus.READY, now
    job.expires_at = now + timedelta(days=settings.EXPORT_LINK_DAYS)
    with transaction.atomic():
        still_there = ExportJob.objects.filter(pk=job_id, status=ExportStatus.PENDING).update(
            status=job.status,
            file=job.file.name,
            size=job.size,
            finished_at=job.finished_at,
            expires_at=job.expires_at,
        )
        if not still_there:
            # The account was deleted while the archive was written: it must not outlive it.
            transaction.on_commit(lambda: job.file.storage.delete(job.file.name))
            return None
        transaction.on_commit(lambda: export_ready_email(job).send())
    return job


def export_ready_email(job: ExportJob):
    owner = job.owner
    context = {
        "user": owner,
        "job": job,
        "url": settings.SITE_URL + reverse("exports:download", args=[job.pk]),
        "page_url": settings.SITE_URL + reverse("exports:index"),
        "expires_on": timezone.localtime(job.expires_at, owner.zone),
    }
    return build_email("export-ready", context, to=[owner.email])


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry (through storage); return how many."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.past_expiry(now).order_by("pk").iterator():
        if job.file:
            job.file.storage.delete(job.file.name)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED, file="")
        count += 1
    return count
