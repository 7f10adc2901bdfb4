"""How do the main pages hold up under concurrent clients, next to a bare page of the same server?

Seeds a realistic population in a throwaway PostgreSQL database (job seekers with applications,
interviews, panels, letters, gifts, follow-ups and reminders; coaches with consenting clients;
extra people whose follow-ups are due for the reminder sweep), starts the production settings
(plus the bench's bare page, bench/settings.py) under gunicorn on loopback, pinned to one core,
logs real sessions in through the login form, and drives each page with wrk pinned to the other
core (one page at a time, closed loop) at each concurrency. Then the same pages again while
`reminders_sweep()` runs back to back in another process (tasks only enqueued to a bench-only
Redis queue, never delivered), and with --login-storm the dashboard with and without 20
wrong-password logins a second.

    .venv/bin/python bench/load.py [--quick] [--no-with-sweep] [--login-storm] [--keep] ...

Needs wrk (/usr/bin/wrk) and taskset. Progress goes to stderr, figures to stdout. Exit status 1
when a target is missed. See bench/README.md.
"""

import argparse
import contextlib
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":
    # Run as a file, Python puts bench/ on the path, not the tree that holds the bench package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, create_database, drop_database, log
from bench.cpu import CpuSampler
from bench.driver import run_page
from bench.report import TARGET_CLIENTS, print_matrix, print_storm, print_sweep
from bench.seeding import MAIN_PAGES, PAGES, populate, session_pages
from bench.server import (
    Server,
    collectstatic,
    log_in_everyone,
    redis_flush,
    server_env,
    use_server_settings,
    use_tree,
)
from bench.storm import hashes_per_failed_login, run_storm
from bench.sweep_loop import SweepLoop

# --- Main ----------------------------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="job seekers")
    parser.add_argument("--apps", type=int, default=50, help="applications per job seeker")
    parser.add_argument("--coaches", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20, help="clients per coach")
    parser.add_argument("--sweep-users", type=int, default=5000, help="people with due follow-ups")
    parser.add_argument("--concurrency", default="8,32", help="simulated clients, comma-separated")
    parser.add_argument("--duration", type=float, default=15, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before")
    parser.add_argument(
        "--pages",
        default=",".join(("bare", *MAIN_PAGES)),
        help=f"comma-separated, of: {', '.join(PAGES)}",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help=">1: gthread worker class")
    parser.add_argument(
        "--with-sweep",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the pages again at 8 clients with the reminder sweep running back to back",
    )
    parser.add_argument("--login-storm", action="store_true", help="add the login-storm runs")
    parser.add_argument("--storm-rate", type=float, default=20.0, help="wrong passwords a second")
    parser.add_argument("--storm-seconds", type=float, default=60.0)
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=15.0,
        help="before each run, wait until other work on the machine uses under this %% of it",
    )
    parser.add_argument(
        "--quiet-wait", type=float, default=15.0, help="...for at most this many seconds"
    )
    parser.add_argument("--quick", action="store_true", help="small population, short runs")
    parser.add_argument("--db", default="followup_load", help="throwaway database name")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--reuse", action="store_true", help="use the database a --keep run left, as it is"
    )
    parser.add_argument(
        "--app-dir", type=Path, default=ROOT, help="the tree to serve (a scratch copy)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        quick = {
            "users": 40,
            "apps": 20,
            "coaches": 4,
            "clients": 10,
            "sweep_users": 1000,
            "duration": 6,
            "warmup": 2,
            "storm_seconds": 20,
        }
        for name, value in quick.items():
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)
    args.concurrency = sorted(int(c) for c in args.concurrency.split(","))
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages {sorted(unknown)}; known: {', '.join(PAGES)}")
    if "bare" not in args.pages:
        args.pages.insert(0, "bare")
    args.app_dir = args.app_dir.resolve()
    args.secret_key = secrets.token_urlsafe(64)
    return args


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    use_tree(args.app_dir)
    queue = f"bench.load.{os.getpid()}"
    env = server_env(args, queue)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="followup-load-"))
    log(f"working files in {workdir}")
    redis_flush()
    if not args.reuse:
        create_database(args.db)
    server = None
    sampler = None
    sweep = None
    try:
        use_server_settings(env)
        from django.conf import settings

        assert settings.DATABASES["default"]["NAME"] == args.db
        counts = populate(
            args,
            f"{args.users} job seekers x {args.apps} applications, {args.coaches}"
            f" coaches x {args.clients} clients, {args.sweep_users:,} people due for the sweep",
        )
        people = session_pages(args)
        collectstatic(env, args.app_dir)
        server = Server(args, env, workdir).start()
        sampler = CpuSampler(server.process.pid, args.db)
        log_in_everyone(server.port, people, args.workers)

        results = []
        log(f"load: {args.pages} at {args.concurrency} clients, {args.duration:.0f}s each")
        for page in args.pages:
            for clients in args.concurrency:
                results.append(
                    run_page(args, server.port, people, page, clients, workdir, sampler=sampler)
                )

        with_sweep, idle, loaded = [], [], []
        if args.with_sweep:
            log("one sweep pass with the server idle")
            idle = SweepLoop(env, args, workdir, "idle", passes=1).stop()
            log(f"  {idle[0]['sweep_seconds']:.2f}s, claimed {idle[0]['claimed']:,} follow-ups")
            log("the same pages with the sweep running back to back")
            sweep = SweepLoop(env, args, workdir, "loaded")
            for page in args.pages:
                with_sweep.append(
                    run_page(
                        args,
                        server.port,
                        people,
                        page,
                        TARGET_CLIENTS,
                        workdir,
                        " + sweep",
                        sampler=sampler,
                    )
                )
            loaded = sweep.stop()
            sweep = None

        storms, quiet, cost = [], None, (0, 0.0)
        if args.login_storm:
            cost = hashes_per_failed_login(args)
            log("login storm: the dashboard without, then with wrong-password POSTs")
            saved = args.duration
            args.duration = args.storm_seconds
            try:
                quiet = run_page(
                    args,
                    server.port,
                    people,
                    "dashboard",
                    TARGET_CLIENTS,
                    workdir,
                    " quiet",
                    sampler=sampler,
                )
            finally:
                args.duration = saved
            redis_flush()  # no rate-limit history from the logins above
            for mode in ("one-address", "many-addresses"):
                storms.append(
                    run_storm(
                        args,
                        env,
                        server.port,
                        people,
                        workdir,
                        mode,
                        args.storm_seconds,
                        sampler,
                        clients=TARGET_CLIENTS,
                    )
                )

    finally:
        if sweep is not None:
            with contextlib.suppress(Exception):
                sweep.stop()
        if sampler is not None:
            sampler.stop()
        if server is not None:
            server.stop()
        with contextlib.suppress(Exception):
            redis_flush()
        if args.keep or args.reuse:
            log(f"kept database {args.db}")
        else:
            drop_database(args.db)

    print(
        f"followup load benchmark: {server.description}, production settings (DEBUG off),"
        f" PostgreSQL {args.db}, Redis cache; wrk (1 thread, closed loop, no think time) on the"
        f" same {os.cpu_count()}-core machine; {args.warmup:.0f}s warm-up then"
        f" {args.duration:.0f}s measured per run; bare = a login_required view answering"
        ' "ok" (bench/urls.py)'
    )
    print(
        "population: "
        + ", ".join(f"{table.split('_', 1)[1]} {count:,}" for table, count in counts.items())
    )
    print(
        f"load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f};"
        f" wall time {time.perf_counter() - started:.0f}s\n"
    )
    misses = print_matrix(results)
    if with_sweep:
        misses += print_sweep(results, with_sweep, idle, loaded)
    if storms:
        print_storm(quiet, storms, cost)
    print()
    if misses:
        print("MISSED: " + "; ".join(misses))
    else:
        print("all targets met")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
