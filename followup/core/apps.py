from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: what every app builds on (the access rule's base, emails, one-line
    text, middleware, the heartbeat); it imports no app of the project."""

    name = "followup.core"
    label = "core"
    verbose_name = "Core"
