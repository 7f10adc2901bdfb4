from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "followup.core"
    label = "core"
    verbose_name = "Core pages"
