"""What does each main page cost the server, next to a bare signed-in page of the same process?

Seeds the load bench's population (bench/seeding.py) in a throwaway PostgreSQL database, sets
Django up in this process with the production settings plus the bench's reference pages
(bench/settings.py: `/bench/bare/`, a login_required view answering "ok", and `/bench/layout/`,
the base layout alone), signs people in, and serves every page through Django's WSGI handler, one
request at a time, the pages taking turns, `--reps` times each. Per page: the median CPU time of
this process per request, its ratio to the bare page's, the PostgreSQL backend's CPU per request,
the median wall time, the SQL statements and the bytes of HTML.

    .venv/bin/python bench/pages.py [--reps 100] [--pages ...] [--profile PAGE,...|all] [--keep]

Progress goes to stderr, the table to stdout; exit status 1 when a main page costs more than
RATIO_TARGET times the bare page. See bench/README.md.
"""

import argparse
import contextlib
import io
import os
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":
    # Run as a file, Python puts bench/ on the path, not the tree that holds the bench package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, create_database, drop_database, log, process_cpu
from bench.seeding import MAIN_PAGES, PAGES

RATIO_TARGET = 4.0


@dataclass
class PageFigures:
    """One page's samples, one per request."""

    page: str
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    database_cpu: float = 0.0  # seconds, over every request
    queries: int = 0
    bytes: int = 0

    @property
    def cpu_ms(self) -> float:
        return 1000 * statistics.median(self.cpu)

    @property
    def wall_ms(self) -> float:
        return 1000 * statistics.median(self.wall)

    @property
    def database_ms(self) -> float:
        return 1000 * self.database_cpu / len(self.cpu)


# --- The report (no Django: tests/bench exercises it) --------------------------------------------


def ratios(figures: list[PageFigures]) -> dict[str, float]:
    bare = next(f for f in figures if f.page == "bare").cpu_ms
    return {f.page: f.cpu_ms / bare for f in figures}


def misses(figures: list[PageFigures], target: float = RATIO_TARGET) -> list[str]:
    """The main pages over `target` times the bare page's CPU, as lines for the report."""
    ratio = ratios(figures)
    return [
        f"{f.page}: {ratio[f.page]:.1f}x the bare page's CPU (target at most {target:g}x)"
        for f in figures
        if f.page in MAIN_PAGES and ratio[f.page] > target
    ]


def table(figures: list[PageFigures], target: float = RATIO_TARGET) -> str:
    ratio = ratios(figures)
    lines = [
        f"{'page':<18} {'CPU ms':>7} {'ratio':>6} {'db ms':>6} {'wall ms':>8}"
        f" {'queries':>7} {'bytes':>8}  target"
    ]
    for f in figures:
        verdict = ""
        if f.page in MAIN_PAGES:
            verdict = f"<= {target:g}x " + ("ok" if ratio[f.page] <= target else "MISSED")
        lines.append(
            f"{f.page:<18} {f.cpu_ms:7.2f} {ratio[f.page]:6.2f} {f.database_ms:6.2f}"
            f" {f.wall_ms:8.2f} {f.queries:>7} {f.bytes:>8,}  {verdict}".rstrip()
        )
    return "\n".join(lines)


# --- Serving a page in this process --------------------------------------------------------------


def wsgi_environ(path: str, cookie: str) -> dict:
    """A GET as gunicorn hands it to Django, behind the TLS proxy (X-Forwarded-Proto)."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_USER_AGENT": "followup-pages-bench",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


class Site:
    """The WSGI application, asked for pages by signed-in people."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application

        self.application = get_wsgi_application()

    def get(self, path: str, cookie: str) -> tuple[str, bytes]:
        status = []
        response = self.application(
            wsgi_environ(path, cookie), lambda s, headers, exc_info=None: status.append(s)
        )
        try:
            body = b"".join(response)
        finally:
            response.close()  # request_finished: what gunicorn does after each request
        return status[0], body


def sign_in(email: str) -> str:
    """A session for this person, as the Cookie header a browser would send (with a CSRF cookie)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}=" + (
        _get_new_csrf_string()
    )


def measure(
    site: Site, people: list, pages: list[str], reps: int, html_dir: Path | None = None
) -> list[PageFigures]:
    """Serve the pages in turn, `reps` rounds; each request's CPU and wall time. With `html_dir`,
    each page's HTML is written there (to compare a page's markup before and after a change)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    asks = {}
    for page in pages:
        person = next((p for p in people if p["pages"].get(page)), None)
        if person is None:
            raise SystemExit(f"no one signed in asks for the {page} page")
        asks[page] = (person["cookie"], person["pages"][page])
    figures = {page: PageFigures(page) for page in pages}
    for page, (cookie, paths) in asks.items():
        for path in paths:  # warm: templates compiled, connection open, caches filled
            status, body = site.get(path, cookie)
            if not status.startswith("200"):
                raise SystemExit(f"{page} {path}: {status}")
        with CaptureQueriesContext(connection) as captured:
            _, body = site.get(paths[0], cookie)
        figures[page].queries = len(captured)
        figures[page].bytes = len(body)
        if html_dir is not None:
            html_dir.mkdir(parents=True, exist_ok=True)
            (html_dir / f"{page.replace(' ', '_')}.html").write_bytes(body)
    for i in range(reps):
        for page, (cookie, paths) in asks.items():
            path = paths[i % len(paths)]
            database_before = backend_cpu()
            wall, cpu = time.perf_counter(), time.process_time()
            site.get(path, cookie)
            figures[page].cpu.append(time.process_time() - cpu)
            figures[page].wall.append(time.perf_counter() - wall)
            database_after = backend_cpu()
            if database_before[0] == database_after[0]:  # else: reconnected, not counted
                figures[page].database_cpu += database_after[1] - database_before[1]
        if (i + 1) % 20 == 0:
            log(f"  {i + 1}/{reps} rounds")
    return list(figures.values())


def backend_cpu() -> tuple[int | None, float]:
    """(pid, CPU seconds so far) of this process's PostgreSQL backend, without a query."""
    from django.db import connection

    if connection.connection is None:
        return None, 0.0
    pid = connection.connection.get_backend_pid()
    return pid, process_cpu(pid)[1]


def profile(site: Site, people: list, page: str, reps: int) -> str:
    from pyinstrument import Profiler

    person = next(p for p in people if p["pages"].get(page))
    paths = person["pages"][page]
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for i in range(reps):
        site.get(paths[i % len(paths)], person["cookie"])
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=False)


# --- Main ----------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=100, help="requests per page")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset")
    parser.add_argument("--profile", default="", help="pages to profile (pyinstrument), or all")
    parser.add_argument("--users", type=int, default=40, help="job seekers")
    parser.add_argument("--apps", type=int, default=50, help="applications per job seeker")
    parser.add_argument("--coaches", type=int, default=2)
    parser.add_argument("--clients", type=int, default=20, help="clients per coach")
    parser.add_argument("--db", default="followup_bench_pages", help="throwaway database name")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--reuse", action="store_true", help="use the database --keep left")
    parser.add_argument("--html", type=Path, help="write each page's HTML into this directory")
    args = parser.parse_args(argv)
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages {sorted(unknown)}; known: {', '.join(PAGES)}")
    if "bare" not in args.pages:
        args.pages.insert(0, "bare")
    args.profile = (
        set(args.pages) if args.profile == "all" else set(filter(None, args.profile.split(",")))
    )
    # What bench/seeding.py reads: one person signed in of each kind is enough here.
    args.sweep_users = 0
    args.concurrency = [1]
    args.secret_key = secrets.token_urlsafe(64)
    args.app_dir = ROOT
    return args


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from bench.seeding import populate, session_pages
    from bench.server import collectstatic, server_env, use_server_settings

    env = server_env(args, queue="bench.pages")
    # Pages do not use the cache; keep this run off the load bench's Redis database.
    env["CACHE_URL"] = "locmemcache://"
    # One PostgreSQL backend for the whole run, whose CPU time is read from /proc.
    env["CONN_MAX_AGE"] = "3600"
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    if not args.reuse:
        create_database(args.db)
    try:
        use_server_settings(env)
        from django.conf import settings

        assert settings.DATABASES["default"]["NAME"] == args.db
        assert not settings.DEBUG
        counts = populate(
            args,
            f"{args.users} job seekers x {args.apps} applications,"
            f" {args.coaches} coaches x {args.clients} clients",
        )
        people = session_pages(args)
        for person in people:
            person["cookie"] = sign_in(person["email"])
        collectstatic(env, ROOT)  # the production settings' manifest storage needs it
        site = Site()
        log(f"serving {len(args.pages)} pages in turn, {args.reps} rounds")
        figures = measure(site, people, args.pages, args.reps, args.html)
        profiles = {
            page: profile(site, people, page, args.reps)
            for page in args.pages
            if page in args.profile
        }
    finally:
        if args.keep or args.reuse:
            log(f"kept database {args.db}")
        else:
            with contextlib.suppress(Exception):
                drop_database(args.db)

    print(
        f"followup pages, in-process: production settings (DEBUG off, bench/settings.py),"
        f" PostgreSQL {args.db}, one request at a time, pages in turn, median of {args.reps};"
        f" CPU = this process's CPU time per request (time.process_time), db ms = its PostgreSQL"
        f" backend's CPU per request (mean, from /proc)"
    )
    print(
        "population: "
        + ", ".join(f"{table.split('_', 1)[1]} {count:,}" for table, count in counts.items())
    )
    print(
        f"load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f};"
        f" wall time {time.perf_counter() - started:.0f}s\n"
    )
    print(table(figures))
    for page, text in profiles.items():
        print(f"\nprofile of {page} ({args.reps} requests):\n{text}")
    missed = misses(figures)
    print("\nMISSED: " + "; ".join(missed) if missed else "\nall targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
