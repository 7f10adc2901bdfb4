from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "followup.coaching"
    label = "coaching"
