from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "followup.letters"
    label = "letters"

    def ready(self):
        from . import signals  # noqa: F401
