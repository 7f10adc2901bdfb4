from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top floor: pages and commands that gather every app (nothing imports this one)."""

    name = "followup.home"
    label = "home"
    verbose_name = "Home pages"
