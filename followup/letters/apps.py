from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "followup.letters"
    label = "letters"
