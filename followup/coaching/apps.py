from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "followup.coaching"
    label = "coaching"

    def ready(self):
        # The access rule lives in core, which imports no app: coaching tells it who consents.
        from followup.core.access import register_consent

        from . import consent_source

        register_consent(consent_source)
