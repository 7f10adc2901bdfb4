from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def job_poll_every() -> str:
    """The htmx trigger with which a job's page asks how far it has got: every
    JOB_POLL_SECONDS."""
    return f"every {settings.JOB_POLL_SECONDS:g}s"
