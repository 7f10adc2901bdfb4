"""Requesting a full export: one job at a time per person, built by a worker after commit."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from followup.accounts.models import User

from .models import ExportJob, ExportStatus
from .tasks import build_export


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
