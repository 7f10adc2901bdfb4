"""Settings for the test suite: PostgreSQL and Redis on loopback unless the environment says so."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "y" * 40
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/followup"),
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
# Fast hashing: the suite creates many users; production keeps the default PBKDF2 cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-process tests read django.core.mail.outbox; worker subprocesses get EMAIL_URL pointing at
# the test SMTP server instead.
if "EMAIL_URL" not in env:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate limits would trip over the suite's repeated sign-ins; the throttling tests turn them back on.
ACCOUNT_RATE_LIMITS = False
WHITENOISE_AUTOREFRESH = True
# Tasks run in-process unless a test starts a real worker (its fixture turns this off).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
