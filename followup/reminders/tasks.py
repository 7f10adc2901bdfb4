from celery import shared_task

from .services.delivery import deliver_batch
from .services.sweep import reminders_sweep


@shared_task(name="followup.reminders.tasks.sweep", ignore_result=True)
def sweep() -> None:
    reminders_sweep()


@shared_task(name="followup.reminders.tasks.deliver_reminders", ignore_result=True)
def deliver_reminders(reminder_ids: list[int]) -> None:
    deliver_batch(reminder_ids)


def enqueue_delivery(batches: list[list[int]]) -> None:
    """Publish each batch of reminder ids over one broker connection."""
    if not batches:
        return
    with deliver_reminders.app.producer_or_acquire() as producer:
        for batch in batches:
            deliver_reminders.apply_async((batch,), producer=producer)
