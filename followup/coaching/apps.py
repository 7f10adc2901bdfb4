from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "followup.coaching"
    label = "coaching"

    def ready(self):
        # The access rule lives in core, which imports no app: coaching tells it who consents.
        from followup.core.access import register_consent

        from . import consent_source, periodic  # noqa: F401 (periodic: its beat task)

        register_consent(consent_source)
