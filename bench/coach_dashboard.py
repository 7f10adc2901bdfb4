"""What the coach dashboard costs one request, in this process, next to a bare signed-in view.

Seeds one coach with `--clients` consenting clients (levels view, comment and edit in turn),
each with three applications, two follow-ups due (one overdue, one today), an interview coming
up, a timeline event and a letter waiting for the coach's review, in a throwaway PostgreSQL
database. Then serves, with Django's test Client and no HTTP, `--reps` times each:

* a bare view: `login_required`, answering a few bytes (session, user, nothing else);
* an empty page: the same, rendering `base.html` with no content (the menu, the banner);
* the coach dashboard, `/coaching/clients/`.

It prints, for each, the median CPU time of this process per request (`time.process_time`:
unlike wall time, it does not count waiting for a core another process holds), the median wall
time, the CPU its PostgreSQL backend used per request (mean, from /proc), and the SQL queries
of one request; then the dashboard's CPU as a multiple of the bare view's. With `--profile`, a
pyinstrument profile of the dashboard.

    .venv/bin/python bench/coach_dashboard.py [--clients 50] [--reps 100] [--profile] [--keep]

Exit status 1 when the dashboard costs more than TARGET times the bare view.
"""

import argparse
import statistics
import sys
import time
import types
from datetime import timedelta
from pathlib import Path

if __name__ == "__main__":
    # Run as a file, Python puts bench/ on the path, not the tree that holds the bench package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import create_database, drop_database, fetch_one, log, process_cpu, setup_django

TARGET = 4.0
BARE = "/bench/bare/"
BASE_PAGE = "/bench/base/"
DASHBOARD = "/coaching/clients/"


def seed(clients: int) -> str:
    """One coach and `clients` clients with work in progress; the coach's email."""
    from django.utils import timezone

    from followup.accounts.models import User
    from followup.applications.models import Application, ApplicationEvent, FollowUp
    from followup.coaching.models import Coaching, CoachingStatus, InvitedBy, Level
    from followup.contacts.models import Contact
    from followup.interviews.models import Interview
    from followup.letters.models import Letter

    now = timezone.now()
    coach = User.objects.create_user("coach@example.com", "bench-password", is_coach=True)
    coach.name = "Casey Coach"
    coach.save()
    levels = [Level.VIEW, Level.COMMENT, Level.EDIT]
    zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "Pacific/Auckland"]
    for n in range(clients):
        person = User.objects.create_user(
            f"client{n}@example.com", None, name=f"Client {n:03d}", time_zone=zones[n % 5]
        )
        Coaching.objects.create(
            client=person,
            coach=coach,
            invited_by=InvitedBy.CLIENT,
            invited_email=coach.email,
            level=levels[n % 3],
            status=CoachingStatus.ACTIVE,
            accepted_at=now,
        )
        contact = Contact.objects.create(owner=person, name=f"Interviewer {n}")
        today = person.today()
        for a in range(3):
            application = Application.objects.create(
                owner=person,
                position=f"Engineer {a}",
                organisation=f"Org {n}-{a}",
                status="interviewing",
            )
            ApplicationEvent.objects.create(application=application, kind="created")
        FollowUp.objects.create(
            application=application, contact=contact, kind="follow_up", due_on=today - timedelta(3)
        )
        FollowUp.objects.create(
            application=application, contact=contact, kind="follow_up", due_on=today
        )
        Interview.objects.create(application=application, scheduled_at=now + timedelta(days=2))
        Letter.objects.create(
            application=application,
            contact=contact,
            kind="thank_you",
            subject="Thank you",
            review_requested_at=now - timedelta(days=n % 7, hours=n),
        )
    for n in range(2):
        Coaching.objects.create(
            coach=coach, invited_by=InvitedBy.COACH, invited_email=f"prospect{n}@example.org"
        )
    return coach.email


def with_bare_view() -> None:
    """Serve the product's URLs and, beside them, a view that only needs a signed-in person."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.urls import clear_url_caches, include, path

    def bare(request):
        return HttpResponse("ok")

    def base_page(request):
        return render(request, "base.html")

    urls = types.ModuleType("bench_coach_dashboard_urls")
    urls.urlpatterns = [
        path(BARE.strip("/") + "/", login_required(bare)),
        path(BASE_PAGE.strip("/") + "/", login_required(base_page)),
        path("", include(settings.ROOT_URLCONF)),
    ]
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    clear_url_caches()


def measure(client, path: str, reps: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):
        assert client.get(path).status_code == 200, path
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)  # now: the next request empties the connection's log
    backend = fetch_one("SELECT pg_backend_pid()")[0]
    backend_before = process_cpu(backend)[1]
    cpu, wall = [], []
    for _ in range(reps):
        started_cpu, started = time.process_time(), time.perf_counter()
        client.get(path)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return {
        "cpu_ms": 1000 * statistics.median(cpu),
        "wall_ms": 1000 * statistics.median(wall),
        "backend_ms": 1000 * (process_cpu(backend)[1] - backend_before) / reps,
        "queries": queries,
    }


def profile(client, path: str, reps: int, *, show_all: bool = False) -> str:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(reps):
        client.get(path)
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=show_all)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--all-frames", action="store_true", help="the profile hides no frame")
    parser.add_argument("--db", default="followup_bench_coach")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    create_database(args.db)
    try:
        setup_django(args.db, "bench.coach_dashboard")
        from django.contrib.auth import get_user_model
        from django.test import Client

        log(f"seeding a coach with {args.clients} clients")
        email = seed(args.clients)
        with_bare_view()
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.force_login(get_user_model().objects.get(email=email))
        figures = {name: measure(client, path, args.reps) for name, path in
                   [("bare view", BARE), ("empty page", BASE_PAGE),
                    ("coach dashboard", DASHBOARD)]}  # fmt: skip
        print(f"{'page':<16} {'CPU ms':>7} {'wall ms':>8} {'DB CPU ms':>10} {'queries':>8}")
        for name, row in figures.items():
            print(
                f"{name:<16} {row['cpu_ms']:>7.2f} {row['wall_ms']:>8.2f}"
                f" {row['backend_ms']:>10.2f} {row['queries']:>8}"
            )
        ratio = figures["coach dashboard"]["cpu_ms"] / figures["bare view"]["cpu_ms"]
        print(f"coach dashboard / bare view, CPU: {ratio:.1f}x (target: at most {TARGET:g}x)")
        if args.profile:
            print(profile(client, DASHBOARD, args.reps, show_all=args.all_frames))
        return 0 if ratio <= TARGET else 1
    finally:
        if not args.keep:
            drop_database(args.db)


if __name__ == "__main__":
    sys.exit(main())
