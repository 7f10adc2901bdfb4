"""How fast does the product send digests, next to rendering and sending them with no SQL?

Seeds M people with a realistic pipeline in a throwaway PostgreSQL database, lets
`reminders_sweep()` prepare their reminders (enqueued to a bench-only Redis queue, then purged),
and sends them through `followup.reminders.services.delivery.deliver_batch` in batches of
REMINDER_SEND_BATCH, as a worker would. Beside it: rendering and sending each digest from
digests read before timing (no SQL), and, for scale, the bytes of one real digest sent M times
over a single smtplib connection. All go to an aiosmtpd sink in its own process that only counts.

    .venv/bin/python bench/send.py [--messages M] [--reps R] [--profile] [--keep]

Progress goes to stderr, figures to stdout. Exit status 1 when the product path is below 0.6 of
the render + send rate. See bench/README.md.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import smtplib
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

if __name__ == "__main__":
    # Run as a file, Python puts bench/ on the path, not the tree that holds the bench package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    cpu_split,
    create_database,
    drop_database,
    execute,
    log,
    purge_queue,
    setup_django,
    vacuum_analyze,
)
from bench.smtp_sink import Sink

TARGET = 0.6
PROFILED = 511  # messages sent under the profiler (after 11 counted for statements)
ZONES = ("UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo")


# --- Seeding: M people, each with a digest of three follow-ups and an interview coming up --------


def seed(count: int) -> None:
    from django.utils import timezone

    from followup.accounts.models import User
    from followup.applications.models import (
        Application,
        FollowUp,
        FollowUpKind,
        Status,
    )
    from followup.contacts.models import Contact
    from followup.interviews.models import Interview

    now = timezone.now()
    today = now.date()
    log(f"seeding {count:,} people")
    users = User.objects.bulk_create(
        [
            User(
                email=f"person{i}@example.com",
                name=f"Person {i} Example",
                time_zone=ZONES[i % len(ZONES)],
                password="!",  # unusable, as set_unusable_password() leaves it
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                owner=user,
                name=f"{first} Interviewer",
                role="Engineering manager",
                organisation=f"Company {user.pk % 400}",
            )
            for user in users
            for first in ("Alex", "Sam")
        ],
        batch_size=1000,
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                owner=user,
                organisation=f"Company {user.pk % 400}",
                position=position,
                status=status,
            )
            for user in users
            for position, status in (
                ("Backend developer", Status.INTERVIEWING),
                ("Platform engineer", Status.APPLIED),
                ("Site reliability engineer", Status.OFFER),
            )
        ],
        batch_size=1000,
    )
    interviews = Interview.objects.bulk_create(
        [
            Interview(application=applications[3 * n], scheduled_at=at, round=r)
            for n in range(count)
            for at, r in ((now - timedelta(days=1), 1), (now + timedelta(days=3), 2))
        ],
        batch_size=1000,
    )
    due = now - timedelta(minutes=5)
    FollowUp.objects.bulk_create(
        [
            follow_up
            for n in range(count)
            for follow_up in (
                FollowUp(
                    application=applications[3 * n],
                    kind=FollowUpKind.THANK_YOU,
                    step=0,
                    due_on=today - timedelta(days=1),
                    interview=interviews[2 * n],
                    contact=contacts[2 * n],
                    remind_at=due,
                ),
                FollowUp(
                    application=applications[3 * n + 1],
                    kind=FollowUpKind.FOLLOW_UP,
                    step=1,
                    due_on=today - timedelta(days=1),
                    contact=contacts[2 * n + 1],
                    remind_at=due,
                ),
                FollowUp(
                    application=applications[3 * n + 2],
                    kind=FollowUpKind.FOLLOW_UP,
                    step=2,
                    due_on=today - timedelta(days=4),
                    remind_at=due,
                ),
            )
        ],
        batch_size=1000,
    )


def prepare_reminders(queue: str, count: int) -> list[int]:
    """The sweep makes the reminders, as in production; its Celery messages are thrown away."""
    from followup.reminders.models import Reminder, ReminderStatus
    from followup.reminders.services.sweep import reminders_sweep

    vacuum_analyze("accounts_user", "applications_application", "applications_followup")
    result = reminders_sweep()
    purged = purge_queue(queue)
    log(f"sweep: {result}; purged {purged} task(s) from {queue}")
    ids = list(
        Reminder.objects.filter(status=ReminderStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(ids) != count:
        raise SystemExit(f"the sweep prepared {len(ids)} reminders, expected {count}")
    return ids


def requeue() -> None:
    execute(
        "UPDATE reminders_reminder SET status = 'queued', attempts = 0, sent_at = NULL,"
        " claimed_until = NULL, last_error = ''"
    )
    vacuum_analyze("reminders_reminder")


# --- The two send paths --------------------------------------------------------------------------


def send_product(ids: list[int]) -> None:
    """What the workers do with the sweep's tasks: deliver_batch per REMINDER_SEND_BATCH ids."""
    from django.conf import settings

    from followup.reminders.services.delivery import deliver_batch

    size = settings.REMINDER_SEND_BATCH
    outcomes: Counter = Counter()
    for i in range(0, len(ids), size):
        outcomes.update(deliver_batch(ids[i : i + size]))
    if outcomes != Counter(sent=len(ids)):
        raise SystemExit(f"product path: {dict(outcomes)}")


def one_digest() -> tuple[str, list[str], bytes]:
    """The envelope and bytes of one real digest, exactly as Django's SMTP backend sends them."""
    from django.conf import settings
    from django.core.mail.message import sanitize_address
    from django.utils import timezone

    from followup.reminders import digest as digests
    from followup.reminders.models import Reminder

    reminder = Reminder.objects.select_related("recipient").order_by("pk").first()
    user = reminder.recipient
    today = timezone.localtime(timezone.now(), user.zone).date()
    message = digests.digest_email(reminder=reminder, digest=digests.digest_for(user, today=today))
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    return sender, recipients, message.message().as_bytes(linesep="\r\n")


def send_bare(count: int, port: int, envelope) -> None:
    from django.core.mail.utils import DNS_NAME

    sender, recipients, data = envelope
    with smtplib.SMTP("127.0.0.1", port, local_hostname=DNS_NAME.get_fqdn(), timeout=10) as smtp:
        for _ in range(count):
            smtp.sendmail(sender, recipients, data)


def prepared_digests() -> list:
    """(reminder, digest) for every reminder, read before timing: the render path does no SQL."""
    from django.utils import timezone

    from followup.reminders import digest as digests
    from followup.reminders.models import Reminder

    prepared = []
    for reminder in Reminder.objects.select_related("recipient").order_by("pk"):
        user = reminder.recipient
        today = timezone.localtime(timezone.now(), user.zone).date()
        prepared.append((reminder, digests.digest_for(user, today=today)))
    return prepared


def send_rendered(prepared: list, port: int) -> None:
    """Render each digest and send it on one connection: what any digest sender must do."""
    from django.conf import settings
    from django.core.mail.message import sanitize_address
    from django.core.mail.utils import DNS_NAME

    from followup.reminders import digest as digests

    with smtplib.SMTP("127.0.0.1", port, local_hostname=DNS_NAME.get_fqdn(), timeout=10) as smtp:
        for reminder, digest in prepared:
            message = digests.digest_email(reminder=reminder, digest=digest)
            encoding = message.encoding or settings.DEFAULT_CHARSET
            smtp.sendmail(
                sanitize_address(message.from_email, encoding),
                [sanitize_address(address, encoding) for address in message.recipients()],
                message.message().as_bytes(linesep="\r\n"),
            )


def run_path(name: str, send, sink: Sink, count: int) -> dict:
    """Time one path: wall clock, and CPU of this process + its PostgreSQL backend."""
    before = sink.counts()
    python_started, backend_started = cpu_split()
    started = time.perf_counter()
    send()
    seconds = time.perf_counter() - started
    python, backend = cpu_split()
    python, backend = python - python_started, backend - backend_started
    cpu = python + backend
    messages, sessions, size = (a - b for a, b in zip(sink.counts(), before, strict=True))
    if messages != count:
        raise SystemExit(f"{name}: the sink received {messages} messages, expected {count}")
    log(
        f"  {name:<8} {count / seconds:7.1f} msg/s, {1000 * cpu / count:6.2f}ms CPU/msg,"
        f" {sessions} SMTP session(s)"
    )
    return {
        "seconds": seconds,
        "cpu": cpu,
        "python": python,
        "backend": backend,
        "sessions": sessions,
        "size": size / count,
    }


# --- Profile -------------------------------------------------------------------------------------

DELIVERY, DIGEST = "followup/reminders/services/delivery.py", "followup/reminders/digest.py"
PHASES = (
    ("SQL (execute + fetch, incl. round trips)", "django/db/backends/utils.py", "_execute"),
    ("SMTP connect + EHLO", "smtplib.py", "__init__"),
    ("SMTP QUIT", "smtplib.py", "quit"),
    ("SMTP sendmail", "smtplib.py", "sendmail"),
    ("COMMIT (waits for the WAL flush)", "django/db/backends/base/base.py", "_commit"),
    ("template rendering: HTML", "django/template/loader.py", "render_to_string"),
    ("template rendering: subject + text", "followup/core/emails.py", "render_plain_text"),
    ("MIME build (message() + as_bytes)", "django/core/mail/message.py", "message"),
    ("take the batch and read it (Batch, Prepared)", DELIVERY, "__init__"),
    ("  of which digests_for (every digest's items)", DIGEST, "digests_for"),
    ("digest_for (one person, when read again)", DIGEST, "digest_for"),
    ("lock what a message lists (SELECT FOR UPDATE)", DELIVERY, "_lock_listed"),
    ("lock + mark sent (the two prebuilt statements)", DELIVERY, "run"),
    ("unsubscribe token (signing)", DIGEST, "unsubscribe_token"),
)


def profile_product(ids: list[int]) -> str:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from followup.reminders.services.delivery import deliver_batch

    requeue()
    size = settings.REMINDER_SEND_BATCH
    out = io.StringIO()
    # Statements per message, counted on batches of 1 and 10 (outside the profile: capturing
    # costs time): what a batch costs whatever its size, and what each message adds.
    with CaptureQueriesContext(connection) as one:
        deliver_batch(ids[:1])
    with CaptureQueriesContext(connection) as ten:
        deliver_batch(ids[1:11])
    per_message = (len(ten) - len(one)) / 9
    per_batch = len(one) - per_message
    profiler = cProfile.Profile()
    rest = ids[11:PROFILED]
    started = time.perf_counter()
    python_started, backend_started = cpu_split()
    profiler.enable()
    for i in range(0, len(rest), size):
        deliver_batch(rest[i : i + size])
    profiler.disable()
    wall = time.perf_counter() - started
    python, backend = cpu_split()
    python, backend = python - python_started, backend - backend_started
    stats = pstats.Stats(profiler, stream=out)
    print(
        f"SQL statements (BEGIN and COMMIT included): {per_batch:.0f} per batch"
        f" + {per_message:.0f} per message ({per_batch / size + per_message:.2f} a message"
        f" in batches of {size})",
        file=out,
    )
    print(
        f"CPU under the profiler: {1000 * python / len(rest):.2f}ms Python"
        f" + {1000 * backend / len(rest):.2f}ms PostgreSQL a message",
        file=out,
    )
    print(f"profiled {len(rest)} messages, {wall:.2f}s wall under cProfile", file=out)
    print("where the time goes (cumulative, overlapping groups; % of profiled time):", file=out)
    total = max(stats.total_tt, 1e-9)
    for label, path, name in PHASES:
        seconds = sum(
            row[3]
            for (filename, _, function), row in stats.stats.items()
            if filename.endswith(path) and function == name
        )
        print(f"  {label:<42} {seconds:7.3f}s  {100 * seconds / total:5.1f}%", file=out)
    print("top functions by cumulative time:", file=out)
    stats.sort_stats("cumulative").print_stats(25)
    print("top functions by own time:", file=out)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()


# --- Main ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000, help="digests per path")
    parser.add_argument("--reps", type=int, default=2, help="runs per path (median taken)")
    parser.add_argument("--profile", action="store_true", help="profile even if on target")
    parser.add_argument("--db", default="followup_bench_send", help="throwaway database name")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    if args.messages < 20:
        parser.error("--messages must be at least 20")

    queue = f"bench.send.{os.getpid()}"
    load_before = f"{os.getloadavg()[0]:.2f}"
    sink = Sink().start()
    log(f"SMTP sink on 127.0.0.1:{sink.port} (pid {sink.process.pid})")
    create_database(args.db)
    try:
        setup_django(args.db, queue)
        from django.conf import settings
        from django.core.mail.utils import DNS_NAME

        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        # Cached per process by Django; a worker pays it once, so the bench does too, up front.
        fqdn_started = time.perf_counter()
        DNS_NAME.get_fqdn()
        fqdn_seconds = time.perf_counter() - fqdn_started

        seed(args.messages)
        ids = prepare_reminders(queue, args.messages)
        envelope = one_digest()  # also warms the template cache
        prepared = prepared_digests()
        m = args.messages
        results = {"bare": [], "rendered": [], "product": []}
        paths = {
            "bare": lambda: send_bare(m, sink.port, envelope),
            "rendered": lambda: send_rendered(prepared, sink.port),
            "product": lambda: send_product(ids),
        }
        for rep in range(1, args.reps + 1):
            log(f"run {rep}/{args.reps}")
            for name, send in paths.items():
                if name == "product":
                    requeue()
                results[name].append(run_path(name, send, sink, m))
        rates = {
            name: statistics.median(m / run["seconds"] for run in runs)
            for name, runs in results.items()
        }
        cpu, python_cpu, backend_cpu = (
            {
                name: statistics.median(1000 * run[key] / m for run in runs)
                for name, runs in results.items()
            }
            for key in ("cpu", "python", "backend")
        )
        ratio = rates["product"] / rates["rendered"]
        profile = None
        if args.profile or ratio < TARGET:
            log("profiling the product path")
            profile = profile_product(ids)
    finally:
        with contextlib.suppress(Exception):
            purge_queue(queue, delete=True)
        sink.stop()
        if args.keep:
            log(f"kept database {args.db}")
        else:
            drop_database(args.db)

    sizes = {name: runs[-1]["size"] for name, runs in results.items()}
    sessions = {name: runs[-1]["sessions"] for name, runs in results.items()}
    bare, rendered = rates["bare"], rates["rendered"]

    def line(label: str, name: str) -> str:
        return (
            f"{label:<56} {rates[name]:7.1f} msg/s {rates[name] / bare:5.2f} of bare"
            f" {rates[name] / rendered:5.2f} of render + send,"
            f" {cpu[name]:6.2f}ms CPU/msg ({python_cpu[name]:.2f} Python"
            f" + {backend_cpu[name]:.2f} PostgreSQL)  {sessions[name]:>4} SMTP session(s)"
        )

    print(
        f"{m:,} digests per path, median of {args.reps}; REMINDER_SEND_BATCH="
        f"{settings.REMINDER_SEND_BATCH}; sink: aiosmtpd in its own process;"
        f" getfqdn() once up front {fqdn_seconds * 1000:.1f}ms;"
        f" load average before/after {load_before} / {os.getloadavg()[0]:.2f}"
    )
    print(
        f"digest size: {len(envelope[2]):,} bytes (bare); sink averages: "
        + ", ".join(f"{name} {size:,.0f} B" for name, size in sizes.items())
    )
    print(line("bare smtplib, one digest's bytes, one connection", "bare"))
    print(line("render each digest + smtplib, one connection (no SQL)", "rendered"))
    print(line("product: deliver_batch", "product"))
    verdict = "PASS" if ratio >= TARGET else "FAIL"
    print(f"ratio product / render + send: {ratio:.2f} (target >= {TARGET}: {verdict})")
    if profile:
        print("\nprofile of the product path:")
        print(profile)
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
