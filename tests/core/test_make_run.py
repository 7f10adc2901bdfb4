"""`make run` starts the web app and the worker with beat, and stops cleanly when told to."""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
# What the suite or a parent `make` sets; `make run` must find the embedded defaults instead.
NOT_INHERITED = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_URL",
    "CACHE_URL",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own http URL)
            return response.status == 200
    except OSError:
        return False


class Output:
    """Everything a process prints, collected by a thread so the pipe never fills up."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
# Both runs use the checkout's var/ (its SQLite database, broker folder and beat schedule): they
# must stay in one file, which pytest-xdist runs in one process (`make test` uses --dist loadfile).
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["term", "ctrl-c"])
def test_make_run_stops_within_seconds_when_its_process_group_is_signalled(stop):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    # A process manager, `timeout` or a container stopping sends TERM to the whole group; Ctrl-C
    # in a terminal sends INT to it.
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = Output(process.stdout)
    try:
        deadline = time.monotonic() + 120
        while not (answers(f"http://127.0.0.1:{port}/health/") and " ready." in output.text):
            assert process.poll() is None, output.text
            assert time.monotonic() < deadline, "make run did not start:\n" + output.text
            time.sleep(0.5)

        stopped_at = time.monotonic()
        os.killpg(process.pid, stop)
        process.wait(timeout=30)
        took = time.monotonic() - stopped_at
        output.thread.join(timeout=5)
    finally:
        if process.poll() is None or not group_is_gone(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    assert took < 15, output.text
    assert "Traceback" not in output.text, output.text
    assert "RecursionError" not in output.text, output.text
    # One warm shutdown of the worker, not one per re-entered trap.
    assert output.text.count("Warm shutdown") <= 1, output.text
    deadline = time.monotonic() + 10
    while not group_is_gone(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert group_is_gone(process.pid), "a process of make run outlived the stop"
