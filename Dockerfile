# syntax=docker/dockerfile:1
#
# One image for every process of followup: the web server (default CMD), the Celery worker,
# celery beat and the one-shot migrate job (see docker-compose.yml, which overrides the command).
#
#   docker build -t followup .
#   docker run --rm -p 8000:8000 -e DJANGO_SECRET_KEY=... -e DATABASE_URL=... \
#       -e DJANGO_ALLOWED_HOSTS=... followup

# ---------------------------------------------------------------------------------------------
# Stage 1: build a virtualenv with the project and its runtime dependencies (no test extras).
# Every dependency ships a manylinux wheel (psycopg2-binary included), so no compiler is needed;
# the stage keeps pip's build scratch out of the final image.
# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /src
# The locked dependencies first (exact versions, checked against their hashes), in a layer that
# only a change of the lock rebuilds; then only what `pip install .` reads, so template/static
# edits do not reinstall anything. README* is a glob because pyproject names README.md as the
# readme: copied when present.
COPY requirements/base.lock ./requirements/
RUN pip install --upgrade pip \
    && pip install -r requirements/base.lock
COPY pyproject.toml README* ./
COPY config ./config
COPY followup ./followup
RUN pip install --no-deps .

# ---------------------------------------------------------------------------------------------
# Stage 2: the runtime image.
# ---------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

# PYTHONPATH=/app: the settings locate templates/, static/ and staticfiles/ relative to the
# `config` package (BASE_DIR = three levels up from config/settings/base.py), so the code must be
# imported from the source tree in /app, not from the copy `pip install .` put in site-packages.
# PYTHONPATH comes before site-packages on sys.path, for gunicorn, celery and manage.py alike.
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/media

# Unprivileged user the processes run as (uid/gid 1000, no login shell, no home of its own).
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# The application source stays owned by root and read-only for the app user.
COPY . .

# Collect static files at build time. Production settings refuse to load without these three
# variables, so give throw-away values that exist only for this RUN step (nothing connects to
# the database or the broker here). EMAIL_URL/CELERY_BROKER_URL keep base settings from creating
# directories under var/ for their local-development defaults.
RUN DJANGO_SECRET_KEY=collectstatic-build-only-not-a-secret \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    DJANGO_ALLOWED_HOSTS=localhost \
    EMAIL_URL=consolemail:// \
    CELERY_BROKER_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && python -m compileall -q config followup

# Writable places for the app user: uploads (a volume shared by web and worker in compose; a new
# named volume starts with this ownership) and var/ for the local-development fallbacks.
RUN mkdir -p /app/media /app/var \
    && chown app:app /app/media /app/var

USER app

EXPOSE 8000

# Extra gunicorn flags can be passed without rebuilding through GUNICORN_CMD_ARGS.
CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--logger-class", "config.gunicorn_logging.AccessLogger", \
     "--error-logfile", "-"]
