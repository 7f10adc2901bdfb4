"""Coaching's periodic work, run by beat (config/settings/base.py CELERY_BEAT_SCHEDULE).

Apart from `tasks.py` because it calls the services, which send `tasks.py`'s emails; imported by
the app's `ready()` so workers know it.
"""

from celery import shared_task

from .services import consent


@shared_task(name="followup.coaching.periodic.lapse_coachings", ignore_result=True)
def lapse_coachings() -> int:
    """End the consents whose end date has passed."""
    return consent.coachings_lapse()
