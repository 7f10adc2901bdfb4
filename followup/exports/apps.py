from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "followup.exports"
    label = "exports"

    def ready(self):
        from . import signals  # noqa: F401
