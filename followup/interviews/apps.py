from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "followup.interviews"
    label = "interviews"
