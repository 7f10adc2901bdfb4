"""What the workers run: the delivery task, and `enqueue_delivery`, which hands it batches.

The sweep enqueues and the beat task in `tasks` runs the sweep: kept apart from `tasks`, this
module lets the sweep reach the workers without importing the module that calls it.
"""

from celery import shared_task

from .services.delivery import deliver_batch


# Named as it was when it lived in tasks.py: messages already in the broker carry this name.
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
