"""The server under test, gunicorn with the production settings, and a browser that logs in to it.

The environment built here is also what bench/load.py's helpers run with (the sweep loop, the
login storm), so they see the server's database, cache and queue.
"""

import contextlib
import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

import redis

from bench.common import PG, ROOT, free_port, log
from bench.driver import cores, pinned
from bench.seeding import PASSWORD

# Bench-only Redis database: the server's cache (allauth's rate limits, shared by the workers)
# and the queue the sweep publishes to. It is flushed at the start and the end of a run.
REDIS_DB = 13
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
# What the login form says when it refused to check a password (not hashed).
THROTTLED_FORM = "Too many failed login attempts"
# followup.accounts.password_checks.BUSY_MESSAGE: every password-check slot taken and the queue
# full (or the wait ran out), not hashed.
BUSY_FORM = "Too many sign-ins are being checked right now"


# --- Environment ---------------------------------------------------------------------------------


def server_env(args, queue: str) -> dict:
    """The production settings on the bench database, as gunicorn and every helper gets them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "CELERY_", "EMAIL_"))
    }
    env.update(
        # The production settings plus the bench's reference pages (bench/settings.py).
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=args.secret_key,
        DATABASE_URL=f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{args.db}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        CACHE_URL=REDIS_URL,
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="false",
        # Nothing is delivered: no email leaves, none is written under var/.
        EMAIL_URL="dummymail://",
        # django.request logs every 429 of the login storm as a warning.
        LOG_LEVEL="ERROR",
        # The product from the tree served; the bench package (its settings) from this one.
        PYTHONPATH=os.pathsep.join(dict.fromkeys([str(args.app_dir), str(ROOT)])),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def use_tree(app_dir: Path) -> None:
    """Import the product from `app_dir` (a scratch copy, say); bench/ helpers from this tree."""
    sys.path.insert(0, str(app_dir))
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))


def use_server_settings(env: dict) -> None:
    """Set Django up in this process with the server's settings (server_env)."""
    os.environ.update(env)
    import django

    django.setup()


def redis_flush() -> None:
    redis.Redis.from_url(REDIS_URL).flushdb()


# --- Static files and the server -----------------------------------------------------------------


def collectstatic(env: dict, app_dir: Path) -> None:
    # Production stores static files with the manifest storage; STATIC_ROOT is <app>/staticfiles
    # (git-ignored, not configurable from the environment).
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=app_dir,
        env=env,
        check=True,
    )
    log(f"collectstatic into {app_dir / 'staticfiles'} ({time.perf_counter() - started:.1f}s)")


class Server:
    """gunicorn with the production settings on a loopback port."""

    def __init__(self, args, env: dict, workdir: Path):
        self.args, self.env, self.workdir = args, env, workdir
        self.port = free_port()
        self.process = None

    @property
    def description(self) -> str:
        a = self.args
        if a.threads > 1:
            text = f"gunicorn {a.workers} workers x {a.threads} threads (gthread)"
        else:
            text = f"gunicorn {a.workers} sync workers"
        client_core, server_cores = cores()
        if server_cores:
            text += f" pinned to core(s) {server_cores}, wrk to core {client_core}"
        return text

    def start(self) -> "Server":
        a = self.args
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(a.workers),
            "--worker-tmp-dir",
            "/dev/shm",  # noqa: S108 - as the Dockerfile runs it
            "--access-logfile",
            str(self.workdir / "access.log"),
            "--error-logfile",
            str(self.workdir / "gunicorn.log"),
        ]
        if a.threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(a.threads)]
        # Django logs each 429 of a login storm to stderr: the server's output goes to a file.
        self.output = open(self.workdir / "server.log", "w")  # noqa: SIM115 - closed in stop()
        # The server keeps its own core(s); wrk runs on the other (bench/driver.py). PostgreSQL
        # is not pinned: its backends run wherever the kernel puts them.
        self.process = subprocess.Popen(
            pinned(command, cores()[1]),
            cwd=a.app_dir,
            env=self.env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}; see its log")
            with contextlib.suppress(OSError):
                status, _, _ = request(self.port, "GET", "/accounts/login/", timeout=5)
                if status == 200:
                    log(f"{self.description} on 127.0.0.1:{self.port} (pid {self.process.pid})")
                    return self
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.output.close()


# --- A browser's requests ------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: str | None = None,
    cookies: dict | None = None,
    source: str | None = None,
    timeout: float = 120,
) -> tuple[int, dict, str]:
    """One HTTP request as a browser behind the TLS proxy would send it; (status, cookies, body)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0) if source else None
    )
    headers = {"X-Forwarded-Proto": "https", "User-Agent": "followup-load-bench"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        # Django checks the origin of a POST over https.
        headers["Origin"] = f"https://127.0.0.1:{port}"
        headers["Referer"] = f"https://127.0.0.1:{port}{path}"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return response.status, {k: v.value for k, v in jar.items()}, text
    finally:
        connection.close()


def try_login(
    port: int,
    email: str,
    *,
    source: str,
    pause: tuple[float, float] = (0.5, 1.5),
    give_up_after: float = 120,
) -> dict:
    """Log in through the form with the right password, trying again after each refusal.

    allauth answers 429 also when it waited over a second for its rate-limit lock in the cache,
    which a busy machine can cause; the server bounds concurrent password checks and refuses
    beyond its queue with a form error: try again `pause` seconds later (a random point of the
    range), as a person would. Returns whether it got in, the last answer, the cookies, the
    tries and the seconds from the first POST to the last answer.
    """
    status, cookies, _ = request(port, "GET", "/accounts/login/", source=source)
    if status != 200 or "csrftoken" not in cookies:
        raise SystemExit(f"login page: HTTP {status}, cookies {sorted(cookies)}")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": cookies["csrftoken"], "login": email, "password": PASSWORD}
    )
    began = time.monotonic()
    tries = 0
    while True:
        tries += 1
        status, new, text = request(
            port, "POST", "/accounts/login/", body=body, cookies=cookies, source=source
        )
        retry = status == 429 or THROTTLED_FORM in text or BUSY_FORM in text
        if not retry or time.monotonic() - began > give_up_after:
            break
        low, high = pause
        time.sleep(low + secrets.randbelow(int((high - low) * 1000) + 1) / 1000)
    return {
        "in": status == 302 and "sessionid" in new,
        "status": status,
        "text": text,
        "cookies": {**cookies, **new},
        "tries": tries,
        "seconds": time.monotonic() - began,
    }


def login(port: int, email: str, *, source: str) -> dict:
    """Log in through the form, as a browser: the session and CSRF cookies it ends up with."""
    outcome = try_login(port, email, source=source)
    if not outcome["in"]:
        raise SystemExit(f"login of {email}: HTTP {outcome['status']}; {outcome['text'][:300]}")
    return outcome["cookies"]


def log_in_everyone(port: int, people: list, workers: int) -> None:
    started = time.perf_counter()

    def one(index_person):
        index, person = index_person
        # allauth allows 30 login POSTs a minute per address: each person their own address.
        person["cookies"] = login(
            port, person["email"], source=f"127.0.{1 + index // 250}.{1 + index % 250}"
        )
        status, _, text = request(port, "GET", "/", cookies=person["cookies"])
        if status != 200 or "Log out" not in text:
            raise SystemExit(f"{person['email']}'s session does not work: HTTP {status}")

    with ThreadPoolExecutor(max(workers, 1)) as pool:
        list(pool.map(one, enumerate(people)))
    log(f"logged in {len(people)} sessions ({time.perf_counter() - started:.1f}s)")
