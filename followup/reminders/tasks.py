from celery import shared_task

from .services.sweep import reminders_sweep
from .workers import deliver_reminders

# Celery finds tasks in the apps' `tasks` modules; the delivery task lives with the queue the
# sweep fills (workers.py) and is listed here so that a reader finds it too.
__all__ = ["deliver_reminders", "sweep"]


@shared_task(name="followup.reminders.tasks.sweep", ignore_result=True)
def sweep() -> None:
    reminders_sweep()
