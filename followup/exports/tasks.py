from celery import shared_task
from django.db.models import Q

from followup.core import jobs

from .building import export_build, exports_expire
from .models import RESTORE_WORKING, RestoreJob, RestoreStatus
from .restoring import restore_job_run

EXPIRED = "This upload was not restored within a day and has been deleted: upload it again."


@shared_task(name="followup.exports.tasks.build_export", ignore_result=True)
def build_export(job_id: int) -> None:
    export_build(job_id=job_id)


@shared_task(name="followup.exports.tasks.expire_exports", ignore_result=True)
def expire_exports() -> None:
    exports_expire()


# 10,000 applications take about 100 s here; a slow database gets much more time.
@shared_task(
    name="followup.exports.tasks.run_restore",
    ignore_result=True,
    time_limit=1800,
    soft_time_limit=1740,
)
def run_restore(job_id: int) -> None:
    restore_job_run(job_id=job_id)


@shared_task(name="followup.exports.tasks.delete_stale_restore_uploads", ignore_result=True)
def delete_stale_restore_uploads() -> None:
    """Delete uploads older than a day; a restore still waiting for a worker fails with it."""
    jobs.delete_stale_uploads(
        RestoreJob.objects.all(),
        unfinished=Q(status__in=RESTORE_WORKING),
        expired={"status": RestoreStatus.FAILED, "errors": [EXPIRED]},
    )
