"""The settings modules start (or refuse to) the way the README says."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "p3-" + "k9Zr!x7Qm#vL2@wT8&" * 4,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/followup",
    "DJANGO_ALLOWED_HOSTS": "followup.example.com",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "SITE_URL": "https://followup.example.com",
}
ENV_NAMES = {
    *PRODUCTION_ENV,
    "EMAIL_URL",
    "CACHE_URL",
    "DJANGO_DEBUG",
    # Set by the suite for Playwright; a deployment must not have it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_passes_the_deployment_checklist_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_deployment_checklist_warns_about_a_cache_private_to_each_process():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CACHE_URL"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "followup.W001" in result.stderr + result.stdout


def test_local_settings_use_embedded_sqlite_and_filesystem_broker():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], str(s.DATABASES['default']['NAME']),"
        " s.CELERY_BROKER_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS, s.EMAIL_BACKEND]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ENV_NAMES | {"CELERY_BROKER_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    engine, name, broker, options, email_backend = json.loads(result.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "var" / "db.sqlite3")
    assert broker == "filesystem://"
    assert options["data_folder_in"] == options["data_folder_out"]
    assert Path(options["data_folder_in"]).is_dir()
    # kombu's exchange table: under var/ with the queue, never a folder in the checkout.
    assert Path(options["control_folder"]).is_relative_to(ROOT / "var")
    assert Path(options["control_folder"]).is_dir()
    assert email_backend == "django.core.mail.backends.filebased.EmailBackend"


def test_env_example_documents_every_variable_the_settings_read():
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    }
    settings_source = "\n".join(p.read_text() for p in (ROOT / "config" / "settings").glob("*.py"))
    import re

    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    assert read - documented == set()


def test_compose_file_is_valid():
    if shutil.which("docker") is None:
        pytest.skip("the docker client is not installed")
    # Without the compose plugin the client answers "unknown command" (or "is not a docker
    # command"); Debian does not package the plugin.
    version = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, timeout=60
    )
    if version.returncode != 0:
        pytest.skip("the docker compose v2 plugin is not installed (Debian does not package it)")
    result = subprocess.run(
        ["docker", "compose", "config", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("value", "expected"), [(None, 0), ("1", 1)])
def test_the_trusted_proxy_count_comes_from_the_environment(value, expected):
    """DJANGO_TRUSTED_PROXY_COUNT feeds allauth's client address (its per-IP rate limits)."""
    env = {**PRODUCTION_ENV, **({"DJANGO_TRUSTED_PROXY_COUNT": value} if value else {})}
    code = (
        "import django; django.setup(); from allauth import app_settings; "
        "print(app_settings.TRUSTED_PROXY_COUNT)"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in ENV_NAMES | {"DJANGO_TRUSTED_PROXY_COUNT"}
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)
