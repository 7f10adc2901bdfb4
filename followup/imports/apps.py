from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """The top floor: spreadsheets read into the domain apps' rows (nothing imports this one)."""

    name = "followup.imports"
    label = "imports"
    verbose_name = "Spreadsheet imports"

    def ready(self):
        from . import signals  # noqa: F401
