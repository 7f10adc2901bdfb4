"""Checks of what the account protections rely on."""

from django.conf import settings
from django.core.checks import Error, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(deploy=True)
def shared_cache(app_configs, **kwargs):
    """Login rate limits and password-check slots live in the cache: it must be shared."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend}) is private to each process: every web process would "
            "count failed logins and password checks on its own.",
            hint="Set CACHE_URL to a cache all web processes share, e.g. redis://host:6379/1.",
            id="followup.W001",
        )
    ]


@register()
def password_check_slots(app_configs, **kwargs):
    """No slot would refuse every login: the setting cannot turn the bound off."""
    if settings.PASSWORD_CHECK_SLOTS >= 1:
        return []
    return [
        Error(
            f"PASSWORD_CHECK_SLOTS is {settings.PASSWORD_CHECK_SLOTS}: no password could be "
            "checked, so nobody could log in.",
            hint="Set it to 1 or more (about half the cores of the web servers).",
            id="followup.E001",
        )
    ]
