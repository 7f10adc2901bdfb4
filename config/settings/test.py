"""Settings for the test suite: PostgreSQL and Redis on loopback unless the environment says so."""

import os
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import MEDIA_ROOT, env

# Set by pytest-xdist in each of its processes (gw0, gw1...) and inherited by the worker
# subprocesses a test starts, so they land on the same resources as the process that started them.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "y" * 40
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/followup"),
}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
if XDIST_WORKER.startswith("gw") and CELERY_BROKER_URL.startswith("redis://"):
    # A Redis database per process, counting down from the one named (gw0 keeps it, gw1 takes the
    # one below...): a test that empties its database, as a Redis that lost its data would be,
    # must not take another process's queued tasks with it.
    _broker = urlsplit(CELERY_BROKER_URL)
    _db = (int(_broker.path.strip("/") or 0) - int(XDIST_WORKER[2:])) % 16
    CELERY_BROKER_URL = _broker._replace(path=f"/{_db}").geturl()
if XDIST_WORKER and "MEDIA_ROOT" not in env:
    # Uploads a test leaves in the default folder stay apart too.
    MEDIA_ROOT = MEDIA_ROOT / XDIST_WORKER
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
