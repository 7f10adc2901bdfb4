"""Run a real Celery worker (optionally with embedded beat) as a subprocess for one test."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "test-logs"


class CeleryWorker:
    """A worker on its own queue, against the test database, Redis and (optionally) an SMTP server.

    Tests enqueue onto `self.queue` (the fixture also makes it the default queue in this process),
    so two workers in one run never take each other's tasks.
    """

    def __init__(
        self,
        *,
        database_name: str,
        email_url: str | None,
        beat: bool,
        env: dict,
        queue: str | None = None,
    ):
        self.queue = queue or f"test-{uuid.uuid4().hex[:10]}"
        self.name = f"{self.queue}-{uuid.uuid4().hex[:4]}"
        self.database_name = database_name
        self.email_url = email_url
        self.beat = beat
        self.extra_env = env
        self.process: subprocess.Popen | None = None
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{self.name}.log"
        self.schedule_path = LOG_DIR / f"{self.name}-beat-schedule"

    def environment(self) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.database_name}",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CELERY_TASK_ALWAYS_EAGER": "0",
        }
        db_url = os.environ.get("DATABASE_URL")
        if db_url:
            env["DATABASE_URL"] = db_url.rsplit("/", 1)[0] + "/" + self.database_name
        if self.email_url:
            env["EMAIL_URL"] = self.email_url
        return env | self.extra_env

    def start(self, timeout: float = 30):
        command = [
            sys.executable, "-m", "celery", "-A", "config.celery_app", "worker",
            "--queues", self.queue, "--hostname", f"{self.name}@%h",
            "--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        if self.beat:
            command += ["--beat", "--schedule", str(self.schedule_path)]
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        # Its own process group, so kill() reaches the pool's children too.
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.output()}")
            replies = celery_app.control.ping(destination=[self.hostname()], timeout=0.5)
            if replies:
                return
        raise RuntimeError(f"worker not ready in {timeout}s:\n{self.output()}")

    def hostname(self) -> str:
        return f"{self.name}@{os.uname().nodename}"

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def kill(self):
        """SIGKILL the worker and its pool at once, as a crash or an OOM kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            # The test is over: a cold shutdown (SIGQUIT) skips the warm one's waiting.
            os.killpg(self.process.pid, signal.SIGQUIT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        # Whatever a test left on its private queue must not linger in Redis.
        with celery_app.connection_for_write() as connection:
            connection.default_channel.queue_delete(self.queue)
