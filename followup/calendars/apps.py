from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "followup.calendars"
    label = "calendars"
