from celery import shared_task
from django.db.models import Q

from followup.core import jobs

from .models import FINISHED, ImportJob, JobStatus
from .running import import_job_dry_run, import_job_run


# Ten thousand rows take well under the default limit here; a slow database gets more time.
@shared_task(
    name="followup.imports.tasks.run_import",
    ignore_result=True,
    time_limit=1800,
    soft_time_limit=1740,
)
def run_import(job_id: int) -> None:
    import_job_run(job_id=job_id)


@shared_task(name="followup.imports.tasks.run_check", ignore_result=True)
def run_check(job_id: int) -> None:
    import_job_dry_run(job_id=job_id)


@shared_task(name="followup.imports.tasks.delete_stale_uploads", ignore_result=True)
def delete_stale_uploads() -> None:
    """Delete uploads older than a day; a job still waiting for its columns expires with it."""
    jobs.delete_stale_uploads(
        ImportJob.objects.all(),
        unfinished=~Q(status__in=FINISHED),
        expired={"status": JobStatus.EXPIRED},
    )
