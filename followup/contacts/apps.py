from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "followup.contacts"
    label = "contacts"
