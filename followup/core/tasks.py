from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


@shared_task(name="followup.core.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat() -> None:
    Heartbeat.objects.update_or_create(name="beat", defaults={"last_seen": timezone.now()})
