"""Settings shared by every environment; each value comes from the environment."""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from config.storage import file_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Local state (SQLite database, filesystem broker, mail, uploads) lives here, git-ignored.
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Absolute base for links in emails, which have no request to build them from.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's widget templates, for FORM_RENDERER below.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "followup.accounts",
    "followup.core",
    "followup.contacts",
    "followup.applications",
    "followup.interviews",
    "followup.letters",
    "followup.reminders",
    "followup.coaching",
    "followup.exports",
    "followup.calendars",
    "followup.insights",
    "followup.search",
    # The top floor: imports the apps above, and none of them imports it.
    "followup.imports",
    "followup.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "followup.core.middleware.PrivatePagesMiddleware",
    "followup.accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "followup.accounts.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # {% url %} remembers each link it reversed (followup/core/reversing.py): list pages
            # reverse a few links per row, and reverse() was a fifth of the dashboard's time.
            "builtins": ["followup.core.templatetags.remembered_urls"],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`'s web app and worker threads write to one file: a transaction that reads
    # first and then writes cannot wait for the lock, and failed at once with "database is
    # locked"; taking the write lock at BEGIN lets it wait its turn (up to `timeout` seconds).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Accounts
AUTH_USER_MODEL = "accounts.User"
# allauth's backend is itself a ModelBackend (permissions, the admin's login): with Django's
# beside it, every wrong password was hashed twice, doubling what a login storm costs.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[followup] "
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "followup.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "followup.accounts.forms.SignupForm"
# Two-factor authentication: optional for everyone (an authenticator app, plus recovery codes),
# required for staff before they reach the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "followup"
# Staff without an authenticator may set one up only within this many seconds of confirming a
# code emailed to their address (followup/accounts/middleware.py): the password alone must not
# be enough to enrol a second factor on an account that can use the admin.
STAFF_MFA_EMAIL_CONFIRMATION_SECONDS = env.int("STAFF_MFA_EMAIL_CONFIRMATION_SECONDS", default=600)
# Sessions: two weeks unless the person says otherwise at login; the cookie is never readable
# by scripts and is not sent on cross-site requests other than top-level navigation.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The per-address limits below read the visitor's address: behind a proxy REMOTE_ADDR is the
# proxy's, and every visitor would share one bucket. DJANGO_TRUSTED_PROXY_COUNT is how many proxies
# of ours append to X-Forwarded-For (1: nginx or a load balancer in front of gunicorn); allauth then
# takes the address that many entries from the end, so what a client forges in front does not
# count. 0 (the default) ignores the header: right when the app is reached directly, and the only
# safe value when it can be (a forged header would otherwise choose the bucket).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# allauth counts failures in the cache: per IP and per account, so rotating usernames does not help.
# "login_failed" counts failures only (a success takes back what it consumed). "login" counts every
# POST of the login form, right password or not, and "try again in a few seconds" too: allauth's
# default, 30 a minute per address, locked out an office behind one NAT address logging in at
# nine (40 people clicking again every few seconds while the password checks queue post about
# 200 times in the 15 s they take). It only spares the form's work; the failure limits stop
# guessing and the password-check slots bound the hashing.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# How many password checks may run at once across all web processes; more attempts wait in a
# short queue, then are refused (followup/accounts/password_checks.py). About
# half the cores leaves the rest to pages during a login storm from many addresses. The default
# counts the cores this process may run on; with several web hosts, or a container whose CPU
# quota is below what it sees, set it: the slots are shared by every process on the cache.
# (sched_getaffinity is Linux only; elsewhere, every core of the machine.)
_USABLE_CORES = (
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2
)
PASSWORD_CHECK_SLOTS = env.int("PASSWORD_CHECK_SLOTS", default=max(1, _USABLE_CORES // 2))
# When every slot is taken, a login waits up to this many seconds for one (a few hashes' time),
# and at most PASSWORD_CHECK_QUEUE logins wait at once across all web processes; beyond them, or
# once the wait has run out, "try again in a few seconds". A waiting login holds a web worker:
# keep slots + queue below the web workers (gunicorn workers x threads, all hosts), so that a
# storm leaves pages at least one.
PASSWORD_CHECK_WAIT_SECONDS = env.float("PASSWORD_CHECK_WAIT_SECONDS", default=3.0)
PASSWORD_CHECK_QUEUE = env.int("PASSWORD_CHECK_QUEUE", default=PASSWORD_CHECK_SLOTS)

# --- Internationalisation: stored in UTC, shown in each user's own zone.
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploads on the local disk (MEDIA_ROOT), or in an S3-compatible bucket shared by every host:
# see config/storage.py and .env.example (GIFT_STORAGE, AWS_STORAGE_BUCKET_NAME...).
STORAGES = {
    "default": file_storage(env),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content-Security-Policy: only this site's own files run or style a page. No inline script or
# style is allowed, so an injected <script> cannot run even if escaping ever failed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws some icons (select arrows, the menu button) as data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Widgets render through the project's template engine (cached loader), so templates/django/forms/
# can replace one of Django's widget templates (the select: one include per option was slow).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# --- Email: locally written as files under var/mail/ so a person can open them.
MAIL_DIR = VAR_DIR / "mail"
vars().update(env.email("EMAIL_URL", default=f"filemail://{MAIL_DIR}"))
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":  # noqa: F821
    EMAIL_FILE_PATH = str(MAIL_DIR)
    MAIL_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="followup <reminders@followup.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Django waits forever on a silent mail server by default; a stuck send must fail and be retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Celery: Redis when CELERY_BROKER_URL is set, else kombu's filesystem transport under var/.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_QUEUE_DIR = VAR_DIR / "celery" / "queue"
    # kombu keeps its exchange table in `control_folder`, relative to the working directory
    # unless told otherwise: it belongs with the rest of the broker's state, not in the checkout.
    CELERY_CONTROL_DIR = VAR_DIR / "celery" / "control"
    for folder in (CELERY_QUEUE_DIR, CELERY_CONTROL_DIR):
        folder.mkdir(parents=True, exist_ok=True)
    # One folder for both directions: producers and consumers must meet in the same place.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "control_folder": str(CELERY_CONTROL_DIR),
    }
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Acknowledge after the task ran, and give the task back if the worker dies, so work is not lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Periodic work is declared here and run by the built-in beat scheduler (one beat process).
CELERY_BEAT_SCHEDULE: dict = {
    # Lets /health/ tell whether beat and a worker are alive.
    "heartbeat": {
        "task": "followup.core.tasks.record_heartbeat",
        "schedule": env.float("CELERY_HEARTBEAT_SECONDS", default=60.0),
    },
}


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Keys carried in addresses (calendar feeds, unsubscribe links) never reach a log line.
    "filters": {"secret_paths": {"()": "config.log_secrets.RedactSecretPaths"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # runserver's request lines, through the same filter.
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Gift files: article uploads larger than this are refused.
GIFT_MAX_UPLOAD_BYTES = env.int("GIFT_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)

# --- Reminders (see docs/architecture.md: the path of a reminder from beat to inbox)
REMINDER_SWEEP_SECONDS = env.float("REMINDER_SWEEP_SECONDS", default=60.0)
# Hour (local) of the evening nudge for a thank-you letter after a late interview.
REMINDER_EVENING_HOUR = env.int("REMINDER_EVENING_HOUR", default=18)
# A worker owns a reminder it took for this long; then the sweep hands it to another.
REMINDER_LEASE_SECONDS = env.float("REMINDER_LEASE_SECONDS", default=120.0)
# A queued reminder not taken by a worker after this long is enqueued again (a lost broker message).
REMINDER_REQUEUE_SECONDS = env.float("REMINDER_REQUEUE_SECONDS", default=300.0)
# A temporary failure of one message (a 4xx at RCPT or DATA): retried with exponential backoff
# and jitter, up to this many attempts, then `failed`.
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=6)
REMINDER_RETRY_BASE_SECONDS = env.float("REMINDER_RETRY_BASE_SECONDS", default=60.0)
# A failure of the mail server itself (refused, silent, 421, EHLO/MAIL FROM/login refused) spends
# no attempt: the batch waits, the same backoff growing up to this, until the server answers.
REMINDER_SERVER_RETRY_MAX_SECONDS = env.float("REMINDER_SERVER_RETRY_MAX_SECONDS", default=600.0)
# A digest not delivered by the end of the recipient's day this many days after its own is
# dropped (`expired`); what it covered goes to the next digest.
REMINDER_EXPIRE_AFTER_DAYS = env.int("REMINDER_EXPIRE_AFTER_DAYS", default=1)
# Follow-ups claimed per transaction, and reminders sent per task over one SMTP connection.
REMINDER_CLAIM_BATCH = env.int("REMINDER_CLAIM_BATCH", default=1000)
REMINDER_SEND_BATCH = env.int("REMINDER_SEND_BATCH", default=50)
# An email's unsubscribe link keeps stopping emails forever (RFC 8058); pausing from it, which
# anyone holding an old forwarded email could do, works only this many days after it was sent.
REMINDER_LINK_MAX_AGE_DAYS = env.int("REMINDER_LINK_MAX_AGE_DAYS", default=60)
# /health/ answers 503 when the last sweep is older than this,
HEALTH_SWEEP_STALE_SECONDS = env.int("HEALTH_SWEEP_STALE_SECONDS", default=300)
# or when a reminder has waited this long, held back by the mail server or taken by no worker.
HEALTH_REMINDER_OVERDUE_SECONDS = env.float("HEALTH_REMINDER_OVERDUE_SECONDS", default=900.0)
# Anyone sees /health/'s status; its details need a staff login or this token, sent as
# "Authorization: Bearer <token>" or ?token=<token>. Empty: staff only.
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")

CELERY_BEAT_SCHEDULE["reminder-sweep"] = {
    "task": "followup.reminders.tasks.sweep",
    "schedule": REMINDER_SWEEP_SECONDS,
    # A sweep that could not start within its own interval is superseded by the next one.
    "options": {"expires": REMINDER_SWEEP_SECONDS},
}

# --- Exports: a download link works this many days, then its file is deleted (hourly sweep).
EXPORT_LINK_DAYS = env.int("EXPORT_LINK_DAYS", default=7)
# An export not built after this long (a lost task) no longer blocks asking for a new one.
EXPORT_STALE_SECONDS = env.int("EXPORT_STALE_SECONDS", default=3600)
# The largest export file a restore accepts (the zip, or the JSON inside it).
EXPORT_RESTORE_MAX_BYTES = env.int("EXPORT_RESTORE_MAX_BYTES", default=200 * 1024 * 1024)
CELERY_BEAT_SCHEDULE["export-expiry"] = {
    "task": "followup.exports.tasks.expire_exports",
    "schedule": env.float("EXPORT_EXPIRY_SWEEP_SECONDS", default=3600.0),
}
# Restore uploads not restored within a day are deleted (followup/exports/tasks.py).
CELERY_BEAT_SCHEDULE["restore-upload-cleanup"] = {
    "task": "followup.exports.tasks.delete_stale_restore_uploads",
    "schedule": 3600.0,
}

# --- Jobs a page follows (an import, a restore): how often, at most, a worker writes how far
# it has got; each write is an UPDATE through a second connection.
JOB_PROGRESS_SECONDS = env.float("JOB_PROGRESS_SECONDS", default=0.5)
# How often a job's page asks how far it has got.
JOB_POLL_SECONDS = env.float("JOB_POLL_SECONDS", default=1.0)

# --- Imports: uploads not imported within a day are deleted (followup/imports/tasks.py).
CELERY_BEAT_SCHEDULE["import-upload-cleanup"] = {
    "task": "followup.imports.tasks.delete_stale_uploads",
    "schedule": 3600.0,
}

# --- Coaching: a consent past the end date its job seeker set ends, and its coach is told.
CELERY_BEAT_SCHEDULE["coaching-lapse"] = {
    "task": "followup.coaching.periodic.lapse_coachings",
    "schedule": 3600.0,
}
# How long an invitation link stays valid, in seconds.
COACHING_INVITATION_MAX_AGE = env.int("COACHING_INVITATION_MAX_AGE", default=14 * 24 * 3600)
