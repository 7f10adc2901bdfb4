"""How do the main pages hold up under concurrent clients, next to a minimal page of the server?

Seeds a realistic population in a throwaway PostgreSQL database (job seekers with applications,
interviews, panels, letters, gifts, follow-ups and reminders; coaches with consenting clients;
extra people whose follow-ups are due for the reminder sweep), starts the production settings
under gunicorn on loopback, logs real sessions in through the login form, and drives each page
with Locust (headless, one page at a time, closed loop) at each concurrency. Then the same pages
again while `reminders_sweep()` runs back to back in another process (tasks only enqueued to a
bench-only Redis queue, never delivered), and with --login-storm the dashboard with and without
20 wrong-password logins a second.

    .venv/bin/python bench/load.py [--quick] [--login-storm] [--workers N] [--keep] ...

Needs the `bench` extra (pip install -e '.[bench]': Locust). Progress goes to stderr, figures to
stdout. Exit status 1 when a target is missed. See bench/README.md.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
# Bench-only Redis database: the server's cache (allauth's rate limits, shared by the workers)
# and the queue the sweep publishes to. It is flushed at the start and the end of a run.
REDIS_DB = 13
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
PASSWORD = "load-bench-password-1"  # noqa: S105 - the seeded accounts' password
ZONES = ("Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC")
OPEN = "('applied', 'interviewing', 'offer')"
CONTACTS_PER_SEEKER = 40
PATHS_PER_SESSION = 5

# Targets (see the issue): at 8 clients these pages' p95 under 200 ms; no errors at the highest
# concurrency; every page's requests/s at least half the baseline's.
P95_TARGET_MS = 200.0
P95_TARGET_PAGES = ("dashboard", "coach dashboard")
TARGET_CLIENTS = 8
RATIO_TARGET = 0.5

BASELINES = {"reminders": "/reminders/settings/", "settings": "/settings/"}
PAGES = ("baseline", "dashboard", "applications", "timeline", "composer", "coach dashboard")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Environment ---------------------------------------------------------------------------------


def server_env(args, queue: str) -> dict:
    """The production settings on the bench database, as gunicorn and every helper gets them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "CELERY_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
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
        PYTHONPATH=str(args.app_dir),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def use_tree(app_dir: Path) -> None:
    """Import the product from `app_dir` (a scratch copy, say); bench/ helpers from this tree."""
    sys.path.insert(0, str(app_dir))
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def execute(sql: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch_all(sql: str, params=None) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- Seeding -------------------------------------------------------------------------------------
# INSERT ... SELECT over generate_series, with bench/sweep.py's insert_select: the columns named
# here get SQL expressions, every other column its model default, so a column added to a model
# later does not break the bench. Ids: job seekers 1..N, coaches N+1..N+C, the sweep's people
# after them; a seeker's applications (u-1)*A+1..u*A and contacts (u-1)*K+1..u*K; the sweep's
# applications after all the seekers'. Child rows take the next value of their table's sequence.

ORGS = [
    "Acme Analytics", "Northwind Health", "Globex Logistics", "Initech Finance", "Umbrella Bio",
    "Stark Energy", "Wayne Mobility", "Hooli Cloud", "Vandelay Imports", "Soylent Foods",
    "Tyrell Robotics", "Cyberdyne Systems", "Aperture Labs", "Massive Dynamic", "Oscorp Materials",
    "Wonka Confections", "Gringotts Payments", "Monarch Media", "Pied Piper", "Blue Sun Retail",
]  # fmt: skip
POSITIONS = [
    "Data Engineer", "Backend Developer", "Platform Engineer", "Product Analyst",
    "Site Reliability Engineer", "Machine Learning Engineer", "Engineering Manager",
    "Frontend Developer", "Security Engineer", "Solutions Architect", "QA Engineer",
    "Data Scientist",
]  # fmt: skip
FIRST = ["Alex", "Sam", "Maria", "Chen", "Priya", "Jonas", "Fatima", "Luca", "Aiko", "Omar",
         "Grace", "Mateo", "Ines", "Tom", "Zara", "Nikolai", "Amara", "Hugo", "Leila",
         "Ben"]  # fmt: skip
LAST = ["Martin", "Nguyen", "Kowalski", "Okafor", "Schmidt", "Rossi", "Tanaka", "Haddad",
        "Dubois", "Silva", "Novak", "Jensen", "Moreau", "Patel", "Garcia", "Berg", "Costa",
        "Fischer", "Ali", "Keller"]  # fmt: skip
ROLES = ["Engineering Manager", "Recruiter", "Staff Engineer", "Head of Data", "CTO",
         "Product Manager", "Team Lead", "HR Business Partner"]  # fmt: skip
CARES = [
    "Hiring two more engineers for the data team this quarter",
    "Their migration to a new stream processing framework",
    "Runs marathons; training for Berlin",
    "Customer churn in the mid-market segment",
    "A podcast on distributed systems they recommended",
    "Good coffee places near the office",
    "Speaking at a community meetup next month",
    "Growing the platform team and its on-call load",
]
NOTES = (
    "Found through a former colleague. The team works on the ingestion pipeline and wants "
    "someone who has run batch and streaming side by side. Salary band discussed on the first "
    "call; remote two days a week. Follow up with the hiring manager after each round."
)
PARTS = {
    "appreciation": "Thank you for taking the time to talk with me about the role and the team.",
    "still_interested": "Our conversation made me even more interested in joining you.",
    "great_fit": "My work on streaming pipelines matches what you described for next year.",
    "availability": "I am available for another conversation any day next week.",
}
BODY = "\n\n".join(["Dear {name},", *PARTS.values(), "Best regards,\nA. Candidate"]) + (
    "\n\nP.S. " + NOTES
)


def _insert(model, columns: dict, source: str, params: dict) -> int:
    from bench.sweep import insert_select

    sql, defaults = insert_select(model, columns, source)
    return execute(sql, {**params, **defaults})


def _next_id(model) -> str:
    return f"nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id'))"


def _series(lo: str, hi: str, extra: str = "") -> str:
    return f"(SELECT g{extra} FROM generate_series(({lo})::bigint, ({hi})::bigint) AS g) AS s"  # noqa: S608


def seed(args, password_hash: str) -> None:
    """Fill the database."""
    from allauth.account.models import EmailAddress

    from followup.accounts.models import User
    from followup.applications.models import (
        Application,
        ApplicationEvent,
        FollowUp,
    )
    from followup.coaching.models import Coaching
    from followup.contacts.models import Contact
    from followup.interviews.models import Interview, Interviewer
    from followup.letters.models import Gift, Letter
    from followup.reminders.models import Reminder

    n, a, c, k = args.users, args.apps, args.coaches, CONTACTS_PER_SEEKER
    params = {
        "n": n,
        "apps": a,
        "coaches": c,
        "clients": args.clients,
        "k": k,
        "sweep": args.sweep_users,
        "first_sweep": n + c + 1,
        "hash": password_hash,
        "zones": list(ZONES),
        "nzones": len(ZONES),
        "orgs": ORGS,
        "positions": POSITIONS,
        "first": FIRST,
        "last": LAST,
        "roles": ROLES,
        "cares": CARES,
        "notes": NOTES,
        "body": BODY,
        **PARTS,
    }
    started = time.perf_counter()
    steps = []

    def step(label: str, model, columns: dict, source: str) -> None:
        rows = _insert(model, columns, source, params)
        steps.append((label, rows))
        log(f"  {label:<44} {rows:>8,} rows  ({time.perf_counter() - started:5.1f}s)")

    name = "(%(first)s::text[])[1 + g %% 20] || ' ' || (%(last)s::text[])[1 + (g * 7) %% 20]"
    person = {
        "id": "g",
        "name": name,
        "time_zone": "(%(zones)s::text[])[1 + g %% %(nzones)s]",
        "date_joined": "now() - interval '200 days'",
    }
    step(
        "job seekers (real PBKDF2 password)",
        User,
        {**person, "email": "'seeker' || g || '@example.com'", "password": "%(hash)s"},
        _series("1", "%(n)s"),
    )
    step(
        "coaches (real PBKDF2 password)",
        User,
        {
            **person,
            "email": "'coach' || (g - %(n)s) || '@example.com'",
            "password": "%(hash)s",
            "is_coach": "true",
        },
        _series("%(n)s + 1", "%(n)s + %(coaches)s"),
    )
    step(
        "people with due follow-ups (for the sweep)",
        User,
        {**person, "email": "'due' || g || '@example.com'", "password": "'!'"},
        _series("%(first_sweep)s", "%(first_sweep)s + %(sweep)s - 1"),
    )
    step(
        "verified email addresses (seekers, coaches)",
        EmailAddress,
        {
            "id": "u.id",
            "user_id": "u.id",
            "email": "u.email",
            "verified": "true",
            "primary": "true",
        },
        "accounts_user u WHERE u.id < %(first_sweep)s",
    )
    step(
        "contacts",
        Contact,
        {
            "id": "g",
            "owner_id": "(g - 1) / %(k)s + 1",
            "name": name,
            "role": "(%(roles)s::text[])[1 + g %% 8]",
            "organisation": "(%(orgs)s::text[])[1 + (g / 3) %% 20]",
            "email": "'contact' || g || '@example.org'",
            "profile_url": "'https://profiles.example.org/' || g",
            "created_at": "now() - interval '150 days'",
            "updated_at": "now() - interval '150 days'",
        },
        _series("1", "%(n)s * %(k)s"),
    )
    # A seeker's applications spread over 150 days; by their place b (0..49) in that list:
    # 40% applied, 20% interviewing, 6% offer, 4% hired, 20% eliminated, 10% withdrawn.
    step(
        "applications",
        Application,
        {
            "id": "g",
            "owner_id": "(g - 1) / %(apps)s + 1",
            "organisation": "(%(orgs)s::text[])[1 + g %% 20] || ' ' || (g %% 89)",
            "position": "(%(positions)s::text[])[1 + (g * 7) %% 12]",
            "posting_url": "'https://jobs.example.com/postings/' || g",
            "found_via": "(ARRAY['LinkedIn', 'Referral', 'Company site', 'Job board'])[1 + g %% 4]",
            "status": """CASE WHEN b < 20 THEN 'applied' WHEN b < 30 THEN 'interviewing'
                WHEN b < 33 THEN 'offer' WHEN b < 35 THEN 'hired' WHEN b < 45 THEN 'eliminated'
                ELSE 'withdrawn' END""",
            "decision_date": "CASE WHEN g %% 4 = 0 THEN current_date + (g %% 40)::int - 10 END",
            "notes": "%(notes)s",
            "created_at": "now() - (i * 3 + 2) * interval '1 day'",
            "updated_at": "now() - (i * 2) * interval '1 day' - (g %% 24) * interval '1 hour'",
        },
        _series(
            "1",
            "%(n)s * %(apps)s",
            ", (g - 1) %% %(apps)s AS i, ((g - 1) %% %(apps)s) * 50 / %(apps)s AS b",
        ),
    )
    step(
        "applications of the sweep's people",
        Application,
        {
            "id": "g",
            "owner_id": "%(first_sweep)s + g - %(n)s * %(apps)s - 1",
            "organisation": "(%(orgs)s::text[])[1 + g %% 20]",
            "position": "(%(positions)s::text[])[1 + g %% 12]",
            "created_at": "now() - interval '20 days'",
            "updated_at": "now() - interval '20 days'",
        },
        _series("%(n)s * %(apps)s + 1", "%(n)s * %(apps)s + %(sweep)s"),
    )
    seekers_apps = "applications_application a WHERE a.owner_id <= %(n)s"
    step(
        "timeline: application recorded",
        ApplicationEvent,
        {
            "id": _next_id(ApplicationEvent),
            "application_id": "a.id",
            "kind": "'created'",
            "to_status": "'applied'",
            "occurred_at": "a.created_at",
        },
        seekers_apps,
    )
    step(
        "timeline: status changes",
        ApplicationEvent,
        {
            "id": _next_id(ApplicationEvent),
            "application_id": "a.id",
            "kind": "'status'",
            "from_status": "'applied'",
            "to_status": "a.status",
            "text": "'Moved on after the recruiter call.'",
            "occurred_at": "a.created_at + interval '20 days'",
        },
        seekers_apps + " AND a.status <> 'applied'",
    )
    step(
        "timeline: employer replies",
        ApplicationEvent,
        {
            "id": _next_id(ApplicationEvent),
            "application_id": "a.id",
            "kind": "'reply'",
            "text": "'Thanks for applying: the team will review your profile this week.'",
            "occurred_at": "LEAST(a.created_at + interval '10 days', now() - interval '1 hour')",
        },
        seekers_apps + " AND a.id %% 3 = 0",
    )
    # Rounds: interviewing 1-2 (a third of them with the last round in the next 9 days), offer
    # and hired 3, eliminated 1-2, withdrawn 1. Past rounds 3 to ~20 days ago.
    step(
        "interviews",
        Interview,
        {
            "id": _next_id(Interview),
            "application_id": "app",
            "scheduled_at": """CASE WHEN status = 'interviewing' AND r = rounds AND app %% 3 = 0
                THEN date_trunc('hour', now()) + ((app %% 9) + 1) * interval '1 day'
                ELSE date_trunc('hour', now()) - ((rounds - r) * 5 + 3 + app %% 4)
                    * interval '1 day' END""",
            "kind": "(ARRAY['phone', 'video', 'on_site', 'panel', 'technical'])"
            "[1 + (app + r) %% 5]",
            "round": "r",
            "location": "'https://meet.example.com/' || app || '-' || r",
            "notes": "'Asked about batch versus streaming and on-call. ' || %(notes)s",
            "created_at": "now() - interval '70 days'",
        },
        """(SELECT a.id AS app, a.status, rounds, r FROM applications_application a
            CROSS JOIN LATERAL (SELECT CASE a.status WHEN 'interviewing' THEN 1 + a.id %% 2
                WHEN 'offer' THEN 3 WHEN 'hired' THEN 3 WHEN 'eliminated' THEN 1 + a.id %% 2
                WHEN 'withdrawn' THEN 1 ELSE 0 END AS rounds) AS n
            CROSS JOIN LATERAL generate_series(1, n.rounds) AS r
            WHERE a.owner_id <= %(n)s) AS s""",
    )
    step(
        "interview panels (1-2 interviewers each)",
        Interviewer,
        {
            "id": _next_id(Interviewer),
            "interview_id": "interview",
            "contact_id": "(owner - 1) * %(k)s + 1 + (interview + seat) %% %(k)s",
            "cares_about": "(%(cares)s::text[])[1 + (interview + seat) %% 8]",
        },
        """(SELECT iv.id AS interview, a.owner_id AS owner, seat FROM applications_interview iv
            JOIN applications_application a ON a.id = iv.application_id
            CROSS JOIN LATERAL generate_series(1, 1 + iv.id %% 2) AS seat) AS s""",
    )

    def past_seats(extra_columns: str = "", extra_join: str = "") -> str:
        """Each interviewer of a past interview, with its application (and `extra_join`)."""
        return f"""(SELECT p.id AS seat, p.contact_id AS contact, iv.id AS interview,
                iv.scheduled_at AS at, a.id AS app, a.owner_id AS owner,
                a.status IN {OPEN} AS open{extra_columns}
            FROM applications_interviewer p
            JOIN applications_interview iv ON iv.id = p.interview_id
            JOIN applications_application a ON a.id = iv.application_id{extra_join}
            WHERE iv.scheduled_at < now()) AS s"""  # noqa: S608 - this file's constants

    letter = {
        "id": _next_id(Letter),
        "application_id": "app",
        "subject": "'Thank you for the interview'",
        "appreciation": "%(appreciation)s",
        "still_interested": "%(still_interested)s",
        "great_fit": "%(great_fit)s",
        "availability": "%(availability)s",
        "body": "%(body)s",
    }
    # A sixth of the thank-yous for last week's interviews are still drafts (follow-up pending).
    step(
        "thank-you letters (one per interviewer)",
        Letter,
        {
            **letter,
            "contact_id": "contact",
            "interview_id": "interview",
            "kind": "'thank_you'",
            "sent_on": """CASE WHEN open AND seat %% 6 = 0 AND at > now() - interval '7 days'
                THEN NULL ELSE (at + interval '1 day')::date END""",
            "created_at": "at + interval '3 hours'",
            "updated_at": "at + interval '1 day'",
        },
        past_seats(),
    )
    step(
        "follow-up letters",
        Letter,
        {
            **letter,
            "application_id": "a.id",
            "contact_id": "(a.owner_id - 1) * %(k)s + 1 + a.id %% %(k)s",
            "kind": "'follow_up'",
            "subject": "'Following up on my application'",
            "sent_on": "(now() - interval '30 days')::date",
            "created_at": "now() - interval '31 days'",
            "updated_at": "now() - interval '30 days'",
        },
        seekers_apps + f" AND a.status IN {OPEN} AND a.id %% 2 = 0"
        " AND a.created_at < now() - interval '40 days'",
    )
    step(
        "gifts (a third of the letters)",
        Gift,
        {
            "id": _next_id(Gift),
            "letter_id": "l.id",
            "kind": "'link'",
            "title": "'A talk on running streaming and batch together'",
            "url": "'https://talks.example.org/' || l.id",
            "inspiration": "'They said the team is moving to streaming.'",
            "created_at": "l.created_at",
        },
        "letters_letter l WHERE l.id %% 3 = 0",
    )
    # One digest already sent to each seeker: the follow-ups due so far were in it.
    step(
        "reminders already sent (one per seeker)",
        Reminder,
        {
            "id": "g",
            "recipient_id": "g",
            "kind": "'digest'",
            "local_date": "current_date - 1",
            "slot": "'morning'",
            "status": "'sent'",
            "attempts": "1",
            "message_id": "'<digest.' || g || '.bench@followup.localhost>'",
            "next_attempt_at": "now() - interval '1 day'",
            "created_at": "now() - interval '1 day'",
            "sent_at": "now() - interval '1 day'",
        },
        _series("1", "%(n)s"),
    )
    follow_up = {"id": _next_id(FollowUp), "created_at": "now() - interval '30 days'"}
    step(
        "follow-ups: thank-yous after past interviews",
        FollowUp,
        {
            **follow_up,
            "application_id": "app",
            "kind": "'thank_you'",
            "contact_id": "contact",
            "interview_id": "interview",
            "step": "0",
            "due_on": "(at + interval '1 day')::date",
            "status": """CASE WHEN sent_on IS NOT NULL THEN 'done' WHEN open THEN 'pending'
                ELSE 'cancelled' END""",
            "letter_id": "CASE WHEN sent_on IS NOT NULL THEN letter END",
            "completed_at": "sent_on + time '10:00'",
            "remind_at": "CASE WHEN sent_on IS NULL AND open THEN at + interval '18 hours' END",
            "reminder_id": "CASE WHEN sent_on IS NULL AND open THEN owner END",
        },
        past_seats(
            ", l.id AS letter, l.sent_on",
            """
            LEFT JOIN letters_letter l
                ON l.interview_id = iv.id AND l.contact_id = p.contact_id""",
        ),
    )
    step(
        "follow-ups: thank-yous for coming interviews",
        FollowUp,
        {
            **follow_up,
            "application_id": "iv.application_id",
            "kind": "'thank_you'",
            "contact_id": "p.contact_id",
            "interview_id": "iv.id",
            "step": "0",
            "due_on": "(iv.scheduled_at + interval '1 day')::date",
            "remind_at": "iv.scheduled_at + interval '6 hours'",
        },
        """applications_interviewer p JOIN applications_interview iv ON iv.id = p.interview_id
        WHERE iv.scheduled_at >= now()""",
    )
    step(
        "follow-ups: done cadence steps",
        FollowUp,
        {
            **follow_up,
            "application_id": "a.id",
            "kind": "'follow_up'",
            "step": "1",
            "due_on": "(now() - interval '30 days')::date",
            "status": "'done'",
            "completed_at": "now() - interval '30 days'",
        },
        seekers_apps + " AND a.created_at < now() - interval '40 days'",
    )
    # The plan: one pending cadence step per open application without a pending thank-you,
    # due from 4 days ago to 19 days ahead. What is due by today was in the sent digest.
    step(
        "follow-ups: the plan (pending, due -4..+19 days)",
        FollowUp,
        {
            **follow_up,
            "application_id": "app",
            "kind": "'follow_up'",
            "contact_id": "CASE WHEN app %% 2 = 0 THEN (owner - 1) * %(k)s + 1 + app %% %(k)s END",
            "step": "1 + app %% 3",
            "due_on": "due",
            "remind_at": """CASE WHEN due > current_date THEN due + time '08:00'
                ELSE now() - interval '20 hours' END""",
            "reminder_id": "CASE WHEN due <= current_date THEN owner END",
        },
        f"""(SELECT a.id AS app, a.owner_id AS owner,
                current_date + ((a.id * 7) %% 24 - 4)::int AS due
            FROM applications_application a WHERE a.owner_id <= %(n)s AND a.status IN {OPEN}
            AND NOT EXISTS (SELECT 1 FROM applications_followup f WHERE f.application_id = a.id
                AND f.status = 'pending')) AS s""",  # noqa: S608 - this file's constants
    )
    step(
        "follow-ups: cancelled when closed",
        FollowUp,
        {
            **follow_up,
            "application_id": "a.id",
            "kind": "'follow_up'",
            "step": "2",
            "due_on": "(now() - interval '5 days')::date",
            "status": "'cancelled'",
            "completed_at": "now() - interval '10 days'",
        },
        seekers_apps + f" AND a.status NOT IN {OPEN}",
    )
    step(
        "follow-ups due now (the sweep's people, 2 each)",
        FollowUp,
        {
            **follow_up,
            "application_id": "a.id",
            "kind": "'follow_up'",
            "step": "n",
            "due_on": "current_date - n",
            "remind_at": "now() - interval '1 minute' - (a.id %% 3600) * interval '1 second'",
        },
        "applications_application a CROSS JOIN generate_series(1, 2) AS n"
        " WHERE a.owner_id >= %(first_sweep)s",
    )
    step(
        "coachings (active, view level)",
        Coaching,
        {
            "id": "g",
            "coach_id": "%(n)s + (g - 1) / %(clients)s + 1",
            "client_id": "(g - 1) %% %(n)s + 1",
            "invited_by": "'client'",
            "invited_email": "'coach' || ((g - 1) / %(clients)s + 1) || '@example.com'",
            "level": "'view'",
            "status": "'active'",
            "created_at": "now() - interval '40 days'",
            "accepted_at": "now() - interval '39 days'",
        },
        _series("1", "%(coaches)s * %(clients)s"),
    )
    step(
        "coaching invitations waiting (2 per coach)",
        Coaching,
        {
            "id": "%(coaches)s * %(clients)s + g",
            "coach_id": "%(n)s + (g + 1) / 2",
            "invited_by": "'coach'",
            "invited_email": "'prospect' || g || '@example.org'",
            "status": "'invited'",
            "created_at": "now() - interval '2 days'",
        },
        _series("1", "2 * %(coaches)s"),
    )
    from django.db import connection

    for model in (User, EmailAddress, Contact, Application, Reminder, Coaching):
        table = model._meta.db_table
        execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - model names
            f"GREATEST((SELECT max(id) FROM {table}), 1))"
        )
    log("  vacuum analyze")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"  seeded in {time.perf_counter() - started:.1f}s")


def table_counts() -> dict:
    from followup.accounts.models import User
    from followup.applications.models import (
        Application,
        ApplicationEvent,
        FollowUp,
    )
    from followup.coaching.models import Coaching
    from followup.contacts.models import Contact
    from followup.interviews.models import Interview, Interviewer
    from followup.letters.models import Gift, Letter
    from followup.reminders.models import Reminder

    counts = {}
    for model in (
        User,
        Contact,
        Application,
        ApplicationEvent,
        Interview,
        Interviewer,
        Letter,
        Gift,
        FollowUp,
        Reminder,
        Coaching,
    ):
        counts[model._meta.db_table] = model.objects.count()
    return counts


def session_pages(args) -> dict:
    """For each seeker and coach who logs in: their email and the pages each of them asks for."""
    seekers = min(args.users, max(args.concurrency))
    coaches = args.coaches
    timeline = dict(
        fetch_all(
            """SELECT owner_id, array_agg(id ORDER BY n DESC, id) FROM (
                 SELECT a.owner_id, a.id, count(iv.id) AS n FROM applications_application a
                 JOIN applications_interview iv ON iv.application_id = a.id
                 WHERE a.owner_id <= %s GROUP BY a.owner_id, a.id) AS x GROUP BY owner_id""",
            [seekers],
        )
    )
    composer = dict(
        fetch_all(
            """SELECT owner_id, array_agg(id ORDER BY sent, id DESC) FROM (
                 SELECT a.owner_id, l.id, l.sent_on IS NOT NULL AS sent FROM letters_letter l
                 JOIN applications_application a ON a.id = l.application_id
                 WHERE a.owner_id <= %s AND l.kind = 'thank_you') AS x GROUP BY owner_id""",
            [seekers],
        )
    )
    baseline = BASELINES[args.baseline]
    people = []
    for u in range(1, seekers + 1):
        people.append(
            {
                "email": f"seeker{u}@example.com",
                "role": "seeker",
                "pages": {
                    "baseline": [baseline],
                    "dashboard": ["/"],
                    "applications": ["/applications/"],
                    "timeline": [
                        f"/applications/{pk}/" for pk in timeline.get(u, [])[:PATHS_PER_SESSION]
                    ],
                    "composer": [
                        f"/letters/{pk}/" for pk in composer.get(u, [])[:PATHS_PER_SESSION]
                    ],
                },
            }
        )
    for k in range(1, coaches + 1):
        people.append(
            {
                "email": f"coach{k}@example.com",
                "role": "coach",
                "pages": {"coach dashboard": ["/coaching/clients/"]},
            }
        )
    return people


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
            return f"gunicorn {a.workers} workers x {a.threads} threads (gthread)"
        return f"gunicorn {a.workers} sync workers"

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
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=a.app_dir, env=self.env, stdout=self.output, stderr=subprocess.STDOUT
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


# --- Where the CPU goes during a run --------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float, str]]:
    """Every process: pid -> (parent pid, CPU seconds used so far, command line)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        table[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, command)
    return table


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


class CpuSampler:
    """Samples, twice a second, the CPU used by the server, its database and everything else.

    The machine is shared: other work on it (a test suite, say) takes CPU from the server, and
    the figures mean little without saying how much.
    """

    def __init__(self, server_pid: int, db: str):
        self.server_pid, self.db = server_pid, db
        self.samples: list[tuple[float, dict]] = []
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self) -> dict:
        table = _processes()
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in table.items():
            children.setdefault(ppid, []).append(pid)

        def tree(root: int) -> set[int]:
            found, todo = set(), [root]
            while todo:
                pid = todo.pop()
                if pid in table and pid not in found:
                    found.add(pid)
                    todo += children.get(pid, [])
            return found

        server = tree(self.server_pid)
        bench = tree(os.getpid()) - server
        database = {pid for pid, (_, _, command) in table.items() if f" {self.db} " in command}
        busy, total = _machine()
        return {
            "server": {pid: table[pid][1] for pid in server},
            "database": {pid: table[pid][1] for pid in database},
            "bench": {pid: table[pid][1] for pid in bench},
            "busy": busy,
            "total": total,
        }

    def _run(self):
        while not self.stop_event.is_set():
            self.samples.append((time.time(), self._sample()))
            self.stop_event.wait(0.5)

    def stop(self):
        self.stop_event.set()
        self.thread.join()

    def wait_quiet(self, below: float, at_most: float) -> float:
        """Wait (at most `at_most` s) until other work used under `below` % for 2 s; how long."""
        started = time.time()
        while time.time() - started < at_most:
            now = time.time()
            if self.share(now - 2.2, now).get("other", 100.0) < below:
                break
            time.sleep(0.5)
        return time.time() - started

    def share(self, start: float, end: float) -> dict:
        """CPU use between two times, in % of the whole machine, by group."""
        inside = [sample for at, sample in self.samples if start <= at <= end]
        if len(inside) < 2:
            return {}
        first, last = inside[0], inside[-1]
        total = last["total"] - first["total"]
        if total <= 0:
            return {}
        # Per process: one that started in the window counts whole, one that ended is lost.
        share = {
            key: 100.0
            * sum(cpu - first[key].get(pid, 0.0) for pid, cpu in last[key].items())
            / total
            for key in ("server", "database", "bench")
        }
        share["busy"] = 100.0 * (last["busy"] - first["busy"]) / total
        # CPU seconds, for a cost per request that waiting for a core does not inflate.
        share["server_seconds"] = share["server"] * total / 100.0
        share["database_seconds"] = share["database"] * total / 100.0
        share["other"] = max(
            0.0, share["busy"] - share["server"] - share["database"] - share["bench"]
        )
        return share


# --- One measurement: a page at a concurrency, driven by Locust ----------------------------------


def cpu_text(result: dict) -> str:
    cpu = result["cpu"]
    if not cpu:
        return f"{result['machine_cpu']:.0f}% busy"
    return (
        f"{cpu['busy']:.0f}% busy: server {cpu['server']:.0f}, PostgreSQL {cpu['database']:.0f},"
        f" bench {cpu['bench']:.0f}, other work on the machine {cpu['other']:.0f}"
    )


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    rank = max(1, int(round(q / 100 * len(values) + 0.5 - 1e-9)))
    return values[min(rank, len(values)) - 1]


def run_page(args, port, people, page, clients, workdir, tag="", *, sampler=None) -> dict:
    sessions = [
        {
            "cookie": "; ".join(f"{k}={v}" for k, v in person["cookies"].items()),
            "paths": person["pages"][page],
        }
        for person in people
        if page in person["pages"] and person["pages"][page]
    ]
    if not sessions:
        raise SystemExit(f"no session has a {page} page to ask for")
    label = re.sub(r"\W+", "-", f"{page}-{clients}{tag}")
    spec = {
        "name": page,
        "sessions": sessions,
        "warmup": args.warmup,
        "duration": args.duration,
        "out": str(workdir / f"{label}.json"),
    }
    spec_path = workdir / f"{label}.spec.json"
    spec_path.write_text(json.dumps(spec))
    waited = 0.0
    if sampler and args.quiet_wait:
        waited = sampler.wait_quiet(args.quiet_below, args.quiet_wait)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(clients),
        "--spawn-rate",
        str(clients),
        "--run-time",
        f"{args.warmup + args.duration + 60:.0f}s",
        "--stop-timeout",
        "2",
        "--host",
        f"http://127.0.0.1:{port}",
        "--only-summary",
        "--loglevel",
        "ERROR",
    ]
    with open(workdir / f"{label}.locust.log", "w") as out:
        subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "LOAD_SPEC": str(spec_path)},
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=args.warmup + args.duration + 180,
        )
    data = json.loads(Path(spec["out"]).read_text())
    marks = data["marks"]
    start, end = marks["start"]["at"], marks["end"]["at"]
    window = sorted(rt for at, rt, ok in data["records"] if start <= at < end and ok)
    errors = sum(1 for at, _, ok in data["records"] if at < end and not ok)
    seconds = end - start
    busy = marks["end"]["machine"][0] - marks["start"]["machine"][0]
    total = marks["end"]["machine"][1] - marks["start"]["machine"][1]
    result = {
        "page": page,
        "clients": clients,
        "count": len(window),
        "rps": len(window) / seconds,
        "p50": percentile(window, 50),
        "p95": percentile(window, 95),
        "p99": percentile(window, 99),
        "errors": errors,
        "error_kinds": data["errors"],
        "machine_cpu": 100.0 * busy / total if total else float("nan"),
        "client_cpu": 100.0 * (marks["end"]["self_cpu"] - marks["start"]["self_cpu"]) / seconds,
        "cpu": sampler.share(start, end) if sampler else {},
        "waited": waited,
    }
    if result["cpu"] and window:
        result["server_ms"] = 1000.0 * result["cpu"]["server_seconds"] / len(window)
        result["database_ms"] = 1000.0 * result["cpu"]["database_seconds"] / len(window)
    log(
        f"  {page:<16} {clients:>3} clients{tag}: {result['rps']:7.1f} req/s,"
        f" p50 {result['p50']:6.1f} p95 {result['p95']:7.1f} p99 {result['p99']:7.1f} ms,"
        f" {errors} errors; CPU {cpu_text(result)}"
        + (f" (waited {waited:.0f}s for it)" if waited >= 1 else "")
    )
    return result


# --- The reminder sweep, back to back in its own process -----------------------------------------


def sweep_loop_main(argv) -> int:
    """Internal: run reminders_sweep() until told to stop; each pass's figures go to --out."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--first-user", type=int, required=True)
    parser.add_argument("--passes", type=int, default=0, help="0: until SIGTERM")
    options = parser.parse_args(argv)
    use_tree(Path.cwd())
    import django

    django.setup()
    from bench.sweep import purge_queue
    from followup.reminders.services.sweep import reminders_sweep

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    queue = os.environ["CELERY_TASK_DEFAULT_QUEUE"]
    passes = []
    Path(options.out + ".ready").touch()
    while not stop.is_set():
        begin = time.time()
        result = reminders_sweep()
        swept = time.time()
        published = purge_queue(queue)
        # Undo the pass for the sweep's people only, so the next pass has the same work.
        execute(
            """UPDATE applications_followup f SET reminder_id = NULL
               FROM applications_application a
               WHERE a.id = f.application_id AND a.owner_id >= %s AND f.reminder_id IS NOT NULL""",
            [options.first_user],
        )
        execute("DELETE FROM reminders_reminder WHERE recipient_id >= %s", [options.first_user])
        passes.append(
            {
                "begin": begin,
                "sweep_seconds": swept - begin,
                "total_seconds": time.time() - begin,
                "claimed": result.claimed_follow_ups,
                "reminders": result.new_reminders,
                "enqueued": result.enqueued,
                "published_tasks": published,
                "errors": result.errors,
            }
        )
        if options.passes and len(passes) >= options.passes:
            break
    Path(options.out).write_text(json.dumps(passes))
    return 0


class SweepLoop:
    def __init__(self, env: dict, args, workdir: Path, name: str, passes: int = 0):
        self.out = workdir / f"sweep-{name}.json"
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "_sweep-loop",
                "--out",
                str(self.out),
                "--first-user",
                str(args.users + args.coaches + 1),
                "--passes",
                str(passes),
            ],
            cwd=args.app_dir,
            env=env,
        )
        deadline = time.monotonic() + 60
        ready = Path(str(self.out) + ".ready")
        while not ready.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the sweep loop did not start")
            time.sleep(0.2)

    def stop(self) -> list:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(600)
        return json.loads(self.out.read_text())


# --- The login storm -----------------------------------------------------------------------------

THROTTLED_FORM = "Too many failed login attempts"
# followup.accounts.password_checks.BUSY_MESSAGE: every password-check slot taken and the queue
# full (or the wait ran out), not hashed.
BUSY_FORM = "Too many sign-ins are being checked right now"
WRONG = "are not correct"
# A person during the storm: one starts every PERSON_EVERY seconds, with the right password, from
# an address of their own; after a refusal ("try again in a few seconds", or the 429 page) they
# click again 2 to 4 seconds later, and give up after a minute.
PERSON_EVERY = 8.0
PERSON_PAUSE = (2.0, 4.0)
PERSON_GIVES_UP = 60.0


class PeopleDuringStorm:
    """People logging in with the right password while the storm runs: how long until each is in.

    They use the coaches' accounts, which the one-address storm does not guess at (its
    per-account limit would lock a guessed account, by design).
    """

    def __init__(self, port: int, emails: list[str]):
        self.port, self.emails = port, emails
        self.outcomes: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "PeopleDuringStorm":
        if self.emails:
            self._thread.start()
        return self

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(PERSON_EVERY if n else 1.0):
            outcome = try_login(
                self.port,
                self.emails[n % len(self.emails)],
                source=f"127.0.0.{200 + n % 40}",  # unused by the sessions and the storm
                pause=PERSON_PAUSE,
                give_up_after=PERSON_GIVES_UP,
            )
            self.outcomes.append({k: outcome[k] for k in ("in", "tries", "seconds")})
            n += 1

    def stop(self) -> dict:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(PERSON_GIVES_UP + 30)
        return summarise_people(self.outcomes)


def summarise_people(outcomes: list[dict]) -> dict:
    """Of the people who logged in during the storm: how many got in, and how long it took."""
    seconds = [o["seconds"] for o in outcomes if o["in"]]
    return {
        "people": len(outcomes),
        "in": len(seconds),
        "median_seconds": statistics.median(seconds) if seconds else None,
        "slowest_seconds": max(seconds) if seconds else None,
        "most_tries": max((o["tries"] for o in outcomes), default=0),
    }


def people_text(people: dict) -> str:
    if not people["people"]:
        return "  a person logging in during it: not measured (no coach account to log in with)"
    text = (
        f"  a person logging in during it (right password, again {PERSON_PAUSE[0]:.0f}"
        f"-{PERSON_PAUSE[1]:.0f} s after a refusal): {people['in']} of {people['people']} in"
    )
    if people["in"]:
        text += (
            f", each within {people['slowest_seconds']:.1f} s"
            f" (median {people['median_seconds']:.1f} s), at most {people['most_tries']} tries"
        )
    if people["in"] < people["people"]:
        text += f"; the others gave up after {PERSON_GIVES_UP:.0f} s"
    return text


def storm_main(argv) -> int:
    """Internal: POST wrong passwords to the login form at a steady rate; tally the answers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--mode", choices=("one-address", "many-addresses"), required=True)
    parser.add_argument("--accounts", type=int, required=True)
    parser.add_argument("--in-flight", type=int, default=20)
    parser.add_argument("--out", required=True)
    options = parser.parse_args(argv)
    port = options.port
    status, cookies, _ = request(port, "GET", "/accounts/login/")
    assert status == 200 and "csrftoken" in cookies, status
    token = cookies["csrftoken"]
    outcomes: Counter = Counter()
    latencies: dict[str, list[float]] = {}
    lock = threading.Lock()
    in_flight = threading.BoundedSemaphore(options.in_flight)
    dropped = 0
    salt = secrets.token_hex(3)

    def attempt(n: int) -> None:
        if options.mode == "one-address":
            # One attacker guessing the passwords of the seeded accounts in turn.
            source = "127.0.0.250"
            email = f"seeker{1 + n % options.accounts}@example.com"
        else:
            # Credential stuffing from a botnet: every attempt a new address and a new login.
            source = f"127.{100 + (n // 62500) % 100}.{(n // 250) % 250}.{1 + n % 250}"
            email = f"stuffed{salt}{n}@example.net"
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "login": email, "password": f"wrong-{n}"}
        )
        started = time.perf_counter()
        try:
            status, _, text = request(
                port, "POST", "/accounts/login/", body=body, cookies=cookies, source=source
            )
            if status == 429:
                kind = "throttled (429 page)"
            elif status == 200 and THROTTLED_FORM in text:
                kind = "throttled (form error, not hashed)"
            elif status == 200 and BUSY_FORM in text:
                kind = "refused, checks busy (not hashed)"
            elif status == 200 and WRONG in text:
                kind = "hashed (wrong password)"
            elif status == 302:
                kind = "logged in (!)"
            else:
                kind = f"other (HTTP {status})"
        except Exception as error:  # noqa: BLE001 - every failure is a figure here
            kind = f"error ({type(error).__name__})"
        seconds = time.perf_counter() - started
        with lock:
            outcomes[kind] += 1
            latencies.setdefault(kind, []).append(seconds)
        in_flight.release()

    threads = []
    begin = time.perf_counter()
    total = int(options.rate * options.seconds)
    for n in range(total):
        delay = begin + n / options.rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        if not in_flight.acquire(blocking=False):
            dropped += 1  # the server is not taking them as fast as they come
            continue
        thread = threading.Thread(target=attempt, args=(n,), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(180)
    Path(options.out).write_text(
        json.dumps(
            {
                "mode": options.mode,
                "rate": options.rate,
                "offered": total,
                "sent": total - dropped,
                "not_sent_in_flight_cap": dropped,
                "seconds": time.perf_counter() - begin,
                "outcomes": dict(outcomes),
                "p50_seconds": {
                    kind: statistics.median(values) for kind, values in latencies.items()
                },
            }
        )
    )
    return 0


def run_storm(args, env, port, people, workdir, mode, seconds, sampler) -> tuple[dict, dict]:
    out = workdir / f"storm-{mode}.json"
    storm = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "_storm",
            "--port",
            str(port),
            "--rate",
            str(args.storm_rate),
            "--seconds",
            # From before Locust starts to after its measured window ends.
            str(seconds + args.warmup + 8),
            "--mode",
            mode,
            "--accounts",
            str(args.users),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
    )
    time.sleep(2)  # the storm is under way before the dashboard is measured
    persons = PeopleDuringStorm(port, [p["email"] for p in people if p["role"] == "coach"]).start()
    saved = args.duration
    args.duration = seconds
    try:
        result = run_page(
            args, port, people, "dashboard", TARGET_CLIENTS, workdir, f" + {mode}", sampler=sampler
        )
    finally:
        args.duration = saved
        people_figures = persons.stop()
    storm.wait(600)
    return result, {**json.loads(out.read_text()), "people": people_figures}


def hashes_per_failed_login(args) -> tuple[int, float]:
    """In-process: how many PBKDF2 runs one wrong-password POST costs, and its time."""
    from django.contrib.auth import hashers
    from django.test import Client

    counted = Counter()
    original = hashers.pbkdf2

    def counting(*a, **kw):
        counted["pbkdf2"] += 1
        return original(*a, **kw)

    hashers.pbkdf2 = counting
    try:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.get("/accounts/login/")
        started = time.perf_counter()
        client.post(
            "/accounts/login/",
            {"login": f"seeker{args.users}@example.com", "password": "not-the-password"},
            REMOTE_ADDR="127.0.0.249",
        )
        seconds = time.perf_counter() - started
    finally:
        hashers.pbkdf2 = original
    return counted["pbkdf2"], seconds


# --- In-process reference: one request at a time, no concurrency --------------------------------


def in_process(people: list, pages: list[str], *, reps: int, profile: set[str]) -> dict:
    """Median time and SQL queries of each page served in this process, and profiles if asked."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for page in pages:
        person = next(p for p in people if page in p["pages"])
        user = get_user_model().objects.get(email=person["email"])
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        paths = person["pages"][page]
        for path in paths:
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(paths[0])
        assert response.status_code == 200, (page, response.status_code)
        queries = len(captured)  # now: the next request empties the connection's log
        times = []
        for i in range(reps):
            started = time.perf_counter()
            client.get(paths[i % len(paths)])
            times.append(time.perf_counter() - started)
        figures[page] = {
            "ms": 1000 * statistics.median(times),
            "queries": queries,
            "bytes": len(response.content),
        }
        if page in profile:
            figures[page]["profile"] = profile_page(client, paths, reps)
    return figures


def profile_page(client, paths: list, reps: int) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "(pip install pyinstrument for a profile)"
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(reps):
        client.get(paths[i % len(paths)])
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=False)


# --- Report --------------------------------------------------------------------------------------


def cpu_columns(result: dict) -> str:
    cpu = result["cpu"]
    if not cpu:
        return f"{result['machine_cpu']:.0f}"
    return "/".join(f"{cpu[key]:.0f}" for key in ("busy", "server", "database", "other"))


def capacity_ratio(result: dict, baseline_cpu: dict) -> str:
    """The baseline's CPU per request over the page's: its req/s ratio on a machine of its own."""
    base = baseline_cpu.get(result["clients"])
    if not base or "server_ms" not in result:
        return "-"
    return f"{base / (result['server_ms'] + result['database_ms']):.2f}"


def per_request(result: dict) -> str:
    """Server + PostgreSQL CPU per request (ms), e.g. "21.3+2.1"."""
    if "server_ms" not in result:
        return "-"
    return f"{result['server_ms']:.1f}+{result['database_ms']:.1f}"


def fmt_ms(value: float) -> str:
    return f"{value:8.1f}"


def print_matrix(results: list[dict], reference: dict) -> list[str]:
    misses = []
    baseline = {r["clients"]: r["rps"] for r in results if r["page"] == "baseline"}
    baseline_cpu = {
        r["clients"]: r["server_ms"] + r["database_ms"]
        for r in results
        if r["page"] == "baseline" and "server_ms" in r
    }
    top = max(r["clients"] for r in results)
    print(
        f"{'page':<16} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'errors':>6} {'ratio':>6} {'CPU ms/req':>11} {'cratio':>6}"
        f"  {'CPU % busy/srv/db/other':<24} target"
    )
    for r in results:
        ratio = r["rps"] / baseline[r["clients"]] if baseline.get(r["clients"]) else float("nan")
        notes = []
        if r["page"] in P95_TARGET_PAGES and r["clients"] == TARGET_CLIENTS:
            ok = r["p95"] < P95_TARGET_MS
            notes.append(f"p95<{P95_TARGET_MS:.0f} {'ok' if ok else 'MISSED'}")
            if not ok:
                misses.append(f"{r['page']}: p95 {r['p95']:.0f} ms at {r['clients']} clients")
        if r["page"] != "baseline":
            ok = ratio >= RATIO_TARGET
            notes.append(f"ratio>={RATIO_TARGET} {'ok' if ok else 'MISSED'}")
            if not ok:
                misses.append(f"{r['page']}: ratio {ratio:.2f} at {r['clients']} clients")
        if r["clients"] == top:
            ok = r["errors"] == 0
            notes.append(f"no errors {'ok' if ok else 'MISSED'}")
            if not ok:
                misses.append(f"{r['page']}: {r['errors']} errors at {r['clients']} clients")
        print(
            f"{r['page']:<16} {r['clients']:>7} {r['rps']:8.1f} {fmt_ms(r['p50'])} "
            f"{fmt_ms(r['p95'])} {fmt_ms(r['p99'])} {r['errors']:>6} {ratio:6.2f}"
            f" {per_request(r):>11} {capacity_ratio(r, baseline_cpu):>6}  {cpu_columns(r):<24}"
            f" {', '.join(notes)}"
        )
        if r["error_kinds"]:
            print(f"{'':<16} errors: {r['error_kinds']}")
    print(
        "CPU ms/req: CPU time of the gunicorn processes + the PostgreSQL backends per request (not"
        " inflated by waiting for a core); cratio: the baseline's CPU per request over the page's,"
        " i.e. the req/s ratio the page would have with the machine to itself; CPU %: of the"
        " whole machine (100 = both cores) while measuring: busy, server, PostgreSQL, and other"
        " work on the machine (not this bench)."
    )
    if reference:
        print(
            "\nthe same pages served in-process, one at a time (median; no HTTP, no concurrency):"
        )
        for page, figure in reference.items():
            print(
                f"  {page:<16} {figure['ms']:7.1f} ms  {figure['queries']:3d} SQL queries"
                f"  {figure['bytes']:>7,} bytes of HTML"
            )
    return misses


def print_sweep(without: list[dict], with_sweep: list[dict], idle: list, loaded: list) -> None:
    print(
        f"\npages at {TARGET_CLIENTS} clients without and with the reminder sweep running back to"
        " back in another process:"
    )
    print(
        f"{'page':<16} {'req/s':>8} {'+sweep':>8} {'p95 ms':>8} {'+sweep':>8} {'p99 ms':>8}"
        f" {'+sweep':>8} {'errors':>6}  CPU % busy/server/db/other, without | with"
    )
    before = {r["page"]: r for r in without if r["clients"] == TARGET_CLIENTS}
    for r in with_sweep:
        b = before.get(r["page"])
        if not b:
            continue
        print(
            f"{r['page']:<16} {b['rps']:8.1f} {r['rps']:8.1f} {fmt_ms(b['p95'])} "
            f"{fmt_ms(r['p95'])} {fmt_ms(b['p99'])} {fmt_ms(r['p99'])} {r['errors']:>6}"
            f"  {cpu_columns(b)} | {cpu_columns(r)}"
        )

    def describe(passes):
        seconds = [p["sweep_seconds"] for p in passes]
        return (
            f"{len(passes)} pass(es), {statistics.median(seconds):.2f}s median"
            f" (claimed {passes[0]['claimed']:,} follow-ups, {passes[0]['reminders']:,} reminders,"
            f" {passes[0]['published_tasks']} delivery task(s) enqueued to Redis and purged)"
        )

    if idle:
        print(f"sweep alone, server idle: {describe(idle)}")
    if loaded:
        print(f"sweep during the load:    {describe(loaded)}")


def print_storm(quiet: dict, storms: list, cost: tuple[int, float]) -> None:
    hashes, seconds = cost
    print(
        f"\nlogin storm: dashboard at {TARGET_CLIENTS} clients while wrong-password POSTs go to"
        f" /accounts/login/ (one costs {hashes} PBKDF2 run(s), {seconds:.2f}s in-process)"
    )
    print(
        f"{'storm':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
        "  CPU % busy/server/db/other"
    )
    print(
        f"{'none':<34} {quiet['rps']:8.1f} {fmt_ms(quiet['p50'])} {fmt_ms(quiet['p95'])}"
        f" {fmt_ms(quiet['p99'])} {quiet['errors']:>6}  {cpu_columns(quiet)}"
    )
    for result, storm in storms:
        label = f"{storm['rate']:.0f}/s, {storm['mode']}"
        print(
            f"{label:<34} {result['rps']:8.1f} {fmt_ms(result['p50'])} {fmt_ms(result['p95'])}"
            f" {fmt_ms(result['p99'])} {result['errors']:>6}  {cpu_columns(result)}"
        )
    for _, storm in storms:
        print(
            f"  {storm['mode']}: offered {storm['offered']} attempts in {storm['seconds']:.0f}s,"
            f" sent {storm['sent']} (the client keeps at most 20 in flight:"
            f" {storm['not_sent_in_flight_cap']} not sent)"
        )
        for kind, count in sorted(storm["outcomes"].items(), key=lambda kv: -kv[1]):
            print(f"    {kind:<38} {count:>5}   median answer {storm['p50_seconds'][kind]:.2f}s")
        print(people_text(storm["people"]))


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
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset")
    parser.add_argument("--baseline", choices=sorted(BASELINES), default="reminders")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help=">1: gthread worker class")
    parser.add_argument("--no-sweep", action="store_true", help="skip the with-sweep runs")
    parser.add_argument("--login-storm", action="store_true", help="add the login-storm runs")
    parser.add_argument("--storm-rate", type=float, default=20.0, help="wrong passwords a second")
    parser.add_argument("--storm-seconds", type=float, default=60.0)
    parser.add_argument("--profile", default="", help="pages to profile in-process (or 'missed')")
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
    if "baseline" not in args.pages:
        args.pages.insert(0, "baseline")
    args.app_dir = args.app_dir.resolve()
    args.secret_key = secrets.token_urlsafe(64)
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_sweep-loop"]:
        return sweep_loop_main(argv[1:])
    if argv[:1] == ["_storm"]:
        return storm_main(argv[1:])
    args = parse_args(argv)
    use_tree(args.app_dir)
    from bench.sweep import create_database, drop_database

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
        setup_django(env)
        from django.conf import settings
        from django.contrib.auth.hashers import make_password
        from django.core.management import call_command

        assert settings.DATABASES["default"]["NAME"] == args.db
        if not args.reuse:
            log("migrating")
            call_command("migrate", verbosity=0)
            log(
                f"seeding {args.users} job seekers x {args.apps} applications, {args.coaches}"
                f" coaches x {args.clients} clients, {args.sweep_users:,} people due for the sweep"
            )
            seed(args, make_password(PASSWORD))
        counts = table_counts()
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
        if not args.no_sweep:
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
                        args, env, server.port, people, workdir, mode, args.storm_seconds, sampler
                    )
                )

        profile = set()
        if args.profile:
            profile = set(args.pages) if args.profile == "all" else set(args.profile.split(","))
        missed_pages = {
            r["page"]
            for r in results
            if r["page"] in P95_TARGET_PAGES
            and r["clients"] == TARGET_CLIENTS
            and r["p95"] >= P95_TARGET_MS
        }
        if args.profile == "missed":
            profile = missed_pages
        log("the same pages in-process, one request at a time")
        reference = in_process(people, args.pages, reps=20, profile=profile)
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
        f"followup load benchmark: {server.description}, production settings, PostgreSQL"
        f" {args.db}, Redis cache; Locust (FastHttpUser, closed loop, no think time) on the same"
        f" {os.cpu_count()}-core machine; {args.warmup:.0f}s warm-up then {args.duration:.0f}s"
        f" measured per run; baseline = {BASELINES[args.baseline]}"
    )
    print(
        "population: "
        + ", ".join(f"{table.split('_', 1)[1]} {count:,}" for table, count in counts.items())
    )
    print(
        f"load average before {load_before:.2f}, after {os.getloadavg()[0]:.2f};"
        f" wall time {time.perf_counter() - started:.0f}s\n"
    )
    misses = print_matrix(results, reference)
    if with_sweep:
        print_sweep(results, with_sweep, idle, loaded)
    if storms:
        print_storm(quiet, storms, cost)
    for page, figure in reference.items():
        if "profile" in figure:
            print(f"\nprofile of {page} ({20} requests in-process):\n{figure['profile']}")
    print()
    if misses:
        print("MISSED: " + "; ".join(misses))
    else:
        print("all targets met")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
