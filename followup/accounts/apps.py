from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "followup.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import checks, signals  # noqa: F401
