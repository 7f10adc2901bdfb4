from celery import shared_task

from .building import export_build, exports_expire


@shared_task(name="followup.exports.tasks.build_export", ignore_result=True)
def build_export(job_id: int) -> None:
    export_build(job_id=job_id)


@shared_task(name="followup.exports.tasks.expire_exports", ignore_result=True)
def expire_exports() -> None:
    exports_expire()
