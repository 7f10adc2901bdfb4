from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "followup.applications"
    label = "applications"
