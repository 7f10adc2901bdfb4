"""Probe the real services the suite relies on, and decide between skipping and failing.

On a developer's laptop a missing service skips the tests that need it, with a one-line reason.
With REQUIRE_SERVICES=1 (CI) a missing service is a failure instead: nothing is skipped silently.
"""

import os
import shutil
import socket
from functools import cache
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@cache
def missing(service: str) -> str | None:
    """Return why `service` cannot be used, or None when it can."""
    if service == "postgres":
        url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/followup")
        return None if _reachable(url, 5432) else f"PostgreSQL not reachable at {url}"
    if service == "redis":
        url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
        return None if _reachable(url, 6379) else f"Redis not reachable at {url}"
    if service == "chromium":
        found = os.path.exists(CHROMIUM) or shutil.which("chromium")
        return None if found else f"Chromium not found at {CHROMIUM}"
    raise ValueError(service)


def need(*services: str) -> None:
    """Skip (or, under REQUIRE_SERVICES=1, fail) the current test when a service is missing."""
    for service in services:
        reason = missing(service)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
        pytest.skip(reason)
