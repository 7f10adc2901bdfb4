"""Fixtures shared by the whole suite: people, a real SMTP server, a real worker, a real browser."""

import os
import re
import sys
import uuid
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory
from tests.service_probes import CHROMIUM, need
from tests.smtp import SMTPServer
from tests.worker import CeleryWorker

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# A full-page screenshot is a record, not a check: on a busy machine it may take longer than the
# 10 s a page's action gets, and that must not fail the test it records.
SCREENSHOT_TIMEOUT_MS = 60_000


def pytest_collection_modifyitems(config, items):
    """Say up front which tests need which real service, so a missing one skips or fails them."""
    for item in items:
        needs = []
        if item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
            item.fixturenames
        ):
            needs.append("postgres")
        if item.get_closest_marker("worker"):
            needs.append("redis")
        if item.get_closest_marker("browser") or "page" in item.fixturenames:
            needs.append("chromium")
        item.user_properties.append(("needs", tuple(needs)))


@pytest.fixture(autouse=True)
def _require_services(request):
    needs = dict(request.node.user_properties).get("needs", ())
    need(*needs)


# --- People ---------------------------------------------------------------------------------


@pytest.fixture
def password():
    return PASSWORD


def make_owner():
    return UserFactory(email="owner@example.com", name="Olivia Owner")


def make_stranger():
    return UserFactory(email="stranger@example.com", name="Sam Stranger")


@pytest.fixture
def owner(db):
    """A job seeker whose data the test is about."""
    return make_owner()


@pytest.fixture
def stranger(db):
    """Another job seeker, who must never see the owner's data."""
    return make_stranger()


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


# --- Rows built once for a module ------------------------------------------------------------


def built_once(build, django_db_blocker, media_root):
    """For a module-scoped fixture (`yield from`): `build()`'s rows, made once for a module whose
    many tests all start from the same rows, instead of once for each test.

    The rows are made in a transaction that stays open while the module runs and is rolled back
    after it. Each test runs in a savepoint inside it (pytest-django's `db`), so whatever it
    changes is undone before the next test. Files written while building go to `media_root`;
    the app deletes stored files only on commit, which never comes.
    """
    with override_settings(MEDIA_ROOT=media_root):
        # The database is open to this fixture only while it builds and rolls back; between
        # the two, each test asks for it as usual.
        with django_db_blocker.unblock():
            module_transaction = transaction.atomic()
            module_transaction.__enter__()
            try:
                built = build()
            except BaseException:
                module_transaction.__exit__(*sys.exc_info())
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                module_transaction.__exit__(None, None, None)


# --- Email ----------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; this process's mail is sent to it too."""
    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


# --- Celery ---------------------------------------------------------------------------------


@pytest.fixture
def make_worker(request, transactional_db):
    """Start real worker subprocesses on one private queue; all are stopped after the test.

    Workers see the rows the test has committed (transactional_db), mail the test SMTP server
    when the test uses one, and take extra settings from `env` (e.g. short leases).
    """
    from django.db import connection

    from config.celery_app import app as celery_app

    need("redis")
    smtp = request.getfixturevalue("smtp_server") if "smtp_server" in request.fixturenames else None
    started = []
    # From here on, tasks this process enqueues go to Redis on the private queue, even before a
    # worker is started (a test may queue work first and start the worker later).
    queue = f"test-{uuid.uuid4().hex[:10]}"
    previous = celery_app.conf.task_default_queue, celery_app.conf.task_always_eager
    celery_app.conf.task_default_queue, celery_app.conf.task_always_eager = queue, False

    def start(*, beat: bool = False, env: dict | None = None) -> CeleryWorker:
        worker = CeleryWorker(
            database_name=connection.settings_dict["NAME"],
            email_url=smtp.url if smtp else None,
            beat=beat,
            env=env or {},
            queue=queue,
        )
        started.append(worker)
        return worker.start()

    start.queue = queue
    yield start
    celery_app.conf.task_default_queue, celery_app.conf.task_always_eager = previous
    for worker in started:
        worker.stop()


@pytest.fixture
def celery_worker(make_worker):
    """A real worker subprocess on a private queue; it sees rows the test has committed."""
    return make_worker()


@pytest.fixture
def celery_worker_with_beat(make_worker):
    """A real worker with embedded beat, the heartbeat shortened to one second."""
    return make_worker(beat=True, env={"CELERY_HEARTBEAT_SECONDS": "1"})


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


# Assertions wait as long as actions do (watch() below): a debounced save and its request, or a
# page that deletes a whole account, can take more than Playwright's 5 s on a busy machine.
expect.set_options(timeout=10_000)


@pytest.fixture
def page(page, request):
    """Playwright's page, watched: no browser test may end with a Content-Security-Policy
    violation, and its final state is kept as a screenshot.

    `page.problems` collects console errors and uncaught exceptions, for tests that want none.
    """
    watch(page)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    page.screenshot(
        path=str(ARTIFACTS / f"{name}.png"), full_page=True, timeout=SCREENSHOT_TIMEOUT_MS
    )
    violations = [p for p in page.problems if "Content Security Policy" in p]
    assert violations == [], violations


def watch(page):
    """Collect the page's console errors and uncaught exceptions in `page.problems`."""
    page.set_default_timeout(10_000)
    page.problems = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.problems.append(message.text),
    )
    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
    # BROWSER_CPU_SLOWDOWN=6 runs the page's CPU six times slower, as on a busy CI machine: a
    # test that reads a page before it is ready fails here rather than once in a while there.
    slowdown = float(os.environ.get("BROWSER_CPU_SLOWDOWN") or 1)
    if slowdown > 1:
        session = page.context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    return page


def screenshot(page, name: str) -> None:
    """Keep a named screenshot of the current page, beside the final-page ones."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"{name}.png"), full_page=True, timeout=SCREENSHOT_TIMEOUT_MS
    )


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def each_width(page):
    """Lay the page out at desktop width, then at a phone's, naming each ("desktop", "phone");
    the page is left at desktop width."""
    for width, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        yield width
    page.set_viewport_size(DESKTOP)


def both_widths(page, name: str) -> None:
    """Keep screenshots `<name>-desktop` and `<name>-phone` of the current page."""
    for width in each_width(page):
        screenshot(page, f"{name}-{width}")


@pytest.fixture
def log_in(live_server, page, client):
    """Sign a user in to the browser without going through the form (the form has its own test)."""
    from django.conf import settings

    def _log_in(user):
        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": session_cookie.key, "value": session_cookie.value, "url": live_server.url}]
        )
        return page

    return _log_in


def label(text: str) -> re.Pattern:
    """Match a form label exactly, whether or not it carries crispy-forms' required asterisk."""
    return re.compile(r"^\s*" + re.escape(text).replace("\\ ", " ") + r"\s*\*?\s*$")
