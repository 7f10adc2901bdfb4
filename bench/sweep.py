"""Does the reminder sweep cost follow what is due, or the size of the table?

Seeds a throwaway PostgreSQL database with open applications (one follow-up each), D of them due,
times `followup.reminders.services.sweep.reminders_sweep()` (claim, then enqueue to Redis) at a
small table size, grows the table keeping the same D due, and times it again. Prints the medians,
their ratio and the claim query's EXPLAIN (ANALYZE, BUFFERS).

    .venv/bin/python bench/sweep.py [--rows N] [--due D] [--small-rows S] [--reps R] [--keep]

Progress goes to stderr, figures to stdout. Exit status 1 when a target is missed (ratio >= 1.5,
or the claim query does not use followup_remind_due_idx). See bench/README.md.
"""

import argparse
import contextlib
import os
import re
import statistics
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    # Run as a file, Python puts bench/ on the path, not the tree that holds the bench package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    cpu_seconds,
    create_database,
    drop_database,
    execute,
    fetch_one,
    insert_select,
    log,
    purge_queue,
    reset_sequences,
    setup_django,
    vacuum_analyze,
)

INDEX = "followup_remind_due_idx"
ZONES = ("UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo")
SEED_CHUNK = 100_000
SEEDED_TABLES = ("accounts_user", "applications_application", "applications_followup")


# --- Seeding -------------------------------------------------------------------------------------

# Each table is filled with common.insert_select over generate_series(lo, hi) AS g: the columns
# named below get these SQL expressions, every other column the model field's default.
USER_COLUMNS = {
    "id": "g",
    "password": "'!'",  # unusable, as set_unusable_password() leaves it
    "email": "'bench' || g || '@example.com'",
    "name": "'Bench Person ' || g",
    "time_zone": "(%(zones)s::text[])[1 + g %% %(zone_count)s]",
    "date_joined": "now() - interval '120 days'",
}
APPLICATION_COLUMNS = {
    "id": "g",
    "organisation": "'Organisation ' || g %% 5000",
    "position": "'Position ' || g %% 300",
    "status": "(ARRAY['applied', 'interviewing', 'offer'])[1 + g %% 3]",
    "created_at": "now() - interval '60 days'",
    "updated_at": "now() - interval '1 day'",
    "owner_id": "(g - 1) / %(per_user)s + 1",
}
# One follow-up per application. Exactly D of the first S rows (spread evenly) are due: pending,
# unclaimed, remind_at in the past. The others are pending with remind_at days ahead (60%), done
# with remind_at in the past (30%), or pending with no reminder time (10%, e.g. muted).
FOLLOW_UP_COLUMNS = {
    "id": "g",
    "kind": "'follow_up'",
    "step": "1 + g %% 3",
    "due_on": """CASE WHEN due THEN current_date - (g %% 3)::int
            WHEN g %% 10 < 6 THEN current_date + 2 + (g %% 30)::int
            ELSE current_date - 10 - (g %% 30)::int END""",
    "status": "CASE WHEN due OR g %% 10 < 6 OR g %% 10 = 9 THEN 'pending' ELSE 'done' END",
    "created_at": "now() - interval '60 days'",
    "completed_at": """CASE WHEN NOT due AND g %% 10 BETWEEN 6 AND 8
            THEN now() - interval '5 days' END""",
    "remind_at": """CASE WHEN due THEN now() - interval '1 second' - (g %% 3600) * interval '1 s'
            WHEN g %% 10 < 6 THEN now() + interval '1 day' + (g %% 30) * interval '1 day'
            WHEN g %% 10 < 9 THEN now() - interval '10 days' - (g %% 30) * interval '1 day'
            END""",
    "application_id": "g",
}
SERIES = "generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g"
FOLLOW_UP_SERIES = (
    "(SELECT g, (g <= %(small)s"
    " AND (g * %(due)s) / %(small)s - ((g - 1) * %(due)s) / %(small)s = 1) AS due"
    " FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS g) AS rows"
)


def seed(lo: int, hi: int, *, small: int, due: int, per_user: int) -> None:
    """Insert applications lo..hi (ids), their owners and follow-ups, in chunks."""
    from followup.accounts.models import User
    from followup.applications.models import Application, FollowUp

    total = hi - lo + 1
    started = time.perf_counter()
    done = 0
    for chunk_lo in range(lo, hi + 1, SEED_CHUNK):
        chunk_hi = min(chunk_lo + SEED_CHUNK - 1, hi)
        # Owners of this chunk that do not exist yet (a user's applications may span chunks).
        user_lo = (chunk_lo - 1) // per_user + 1
        if (chunk_lo - 1) % per_user:
            user_lo += 1
        user_hi = (chunk_hi - 1) // per_user + 1
        params = {
            "lo": chunk_lo,
            "hi": chunk_hi,
            "small": small,
            "due": due,
            "per_user": per_user,
            "zones": list(ZONES),
            "zone_count": len(ZONES),
        }
        if user_lo <= user_hi:
            sql, defaults = insert_select(User, USER_COLUMNS, SERIES)
            execute(sql, {**params, **defaults, "lo": user_lo, "hi": user_hi})
        sql, defaults = insert_select(Application, APPLICATION_COLUMNS, SERIES)
        execute(sql, {**params, **defaults})
        sql, defaults = insert_select(FollowUp, FOLLOW_UP_COLUMNS, FOLLOW_UP_SERIES)
        execute(sql, {**params, **defaults})
        done += chunk_hi - chunk_lo + 1
        elapsed = time.perf_counter() - started
        log(f"  seeded {done:,}/{total:,} applications and follow-ups ({elapsed:.1f}s)")
    reset_sequences(*SEEDED_TABLES)
    log("  vacuum analyze")
    vacuum_analyze(*SEEDED_TABLES)


# --- The measurement -----------------------------------------------------------------------------


def claim_queryset(now):
    """The claim query of services.claim_due_follow_ups, built the same way."""
    from django.conf import settings

    from followup.applications.models import FollowUp, FollowUpStatus

    return (
        FollowUp.objects.filter(
            status=FollowUpStatus.PENDING, reminder__isnull=True, remind_at__lte=now
        )
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("application__owner")
        .order_by("remind_at")[: settings.REMINDER_CLAIM_BATCH]
    )


def explain_claim() -> str:
    from django.db import transaction
    from django.utils import timezone

    with transaction.atomic():
        plan = claim_queryset(timezone.now()).explain(analyze=True, buffers=True)
        # EXPLAIN ANALYZE ran the SELECT ... FOR UPDATE: give the row locks back.
        transaction.set_rollback(True)
    return plan


def reset_claims() -> None:
    """Undo a sweep: the follow-ups it claimed wait again, and its reminders are gone."""
    execute("UPDATE applications_followup SET reminder_id = NULL WHERE reminder_id IS NOT NULL")
    execute("DELETE FROM reminders_reminder")
    execute("DELETE FROM reminders_sweeprun")
    vacuum_analyze("applications_followup", "reminders_reminder")
    # Every run starts with no dirty buffers, rather than some runs sharing the disk with the
    # checkpoint of the seeding or of the previous run.
    execute("CHECKPOINT")


class PhaseTimer:
    """Wraps the sweep's steps (looked up by name at call time) to split its time."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def wrap(self, module, name: str, phase: str):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - started

        setattr(module, name, timed)
        return original


def measure(label: str, *, rows: int, due: int, reps: int, queue: str) -> dict:
    from django.conf import settings

    from followup.reminders import workers as tasks
    from followup.reminders.services import sweep as services

    expected_owners = fetch_one(
        """SELECT count(DISTINCT a.owner_id) FROM applications_followup f
           JOIN applications_application a ON a.id = f.application_id
           WHERE f.status = 'pending' AND f.reminder_id IS NULL AND f.remind_at <= now()"""
    )[0]
    timer = PhaseTimer()
    originals = {
        "claim_due_follow_ups": timer.wrap(services, "claim_due_follow_ups", "claim"),
        "enqueue_ready": timer.wrap(services, "enqueue_ready", "enqueue_ready"),
    }
    original_publish = timer.wrap(tasks, "enqueue_delivery", "publish")
    runs = []
    try:
        for rep in range(1, reps + 1):
            reset_claims()
            timer.seconds = {}
            wal_started = fetch_one("SELECT pg_current_wal_insert_lsn()")[0]
            cpu_started = cpu_seconds()
            started = time.perf_counter()
            result = services.reminders_sweep()
            seconds = time.perf_counter() - started
            cpu = cpu_seconds() - cpu_started
            wal = fetch_one("SELECT pg_current_wal_insert_lsn() - %s::pg_lsn", [wal_started])[0]
            published = purge_queue(queue)
            log(
                f"  {label} run {rep}/{reps}: {seconds:.3f}s ({cpu:.3f}s CPU,"
                f" {int(wal) / 2**20:.1f} MiB WAL),"
                f" claimed {result.claimed_follow_ups}, reminders {result.new_reminders},"
                f" enqueued {result.enqueued},"
                f" published {published} task(s)"
            )
            if result.claimed_follow_ups != due or result.new_reminders != expected_owners:
                raise SystemExit(
                    f"sweep claimed {result.claimed_follow_ups} follow-ups for"
                    f" {result.new_reminders} people; expected {due} for {expected_owners}"
                )
            runs.append(
                {
                    "total": seconds,
                    "cpu": cpu,
                    "wal": int(wal),
                    **timer.seconds,
                    "published": published,
                }
            )
    finally:
        for name, original in originals.items():
            setattr(services, name, original)
        tasks.enqueue_delivery = original_publish
    # One more, untimed, to count its SQL statements.
    from django.db import connection

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(1)
        return execute(sql, params, many, context)

    reset_claims()
    with connection.execute_wrapper(count):
        services.reminders_sweep()
    purge_queue(queue)
    # The plan is read after a reset, on the state the timed sweeps started from.
    reset_claims()
    plan = explain_claim()
    median = statistics.median(run["total"] for run in runs)
    return {
        "label": label,
        "rows": rows,
        "owners": expected_owners,
        "runs": runs,
        "median": median,
        "median_claim": statistics.median(run.get("claim", 0.0) for run in runs),
        "median_enqueue": statistics.median(run.get("enqueue_ready", 0.0) for run in runs),
        "median_publish": statistics.median(run.get("publish", 0.0) for run in runs),
        "published": runs[-1]["published"],
        "plan": plan,
        "plan_ms": float(re.search(r"Execution Time: ([0-9.]+) ms", plan).group(1)),
        "batch": settings.REMINDER_CLAIM_BATCH,
        "min": min(run["total"] for run in runs),
        "cpu": statistics.median(run["cpu"] for run in runs),
        "wal": statistics.median(run["wal"] for run in runs),
        "queries": len(statements),
        "uses_index": INDEX in plan,
    }


def table_size(table: str) -> str:
    return fetch_one("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])[0]


def report(measurement: dict, *, due: int) -> None:
    runs = ", ".join(f"{run['total']:.3f}" for run in measurement["runs"])
    print(
        f"{measurement['rows']:>9,} rows, {due:,} due ({measurement['owners']:,} people):"
        f" sweep median {measurement['median']:.3f}s, min {measurement['min']:.3f}s"
        f"  [runs {runs}]"
    )
    print(
        f"           CPU (this process + its PostgreSQL backend) median {measurement['cpu']:.3f}s;"
        f" WAL written {measurement['wal'] / 2**20:.1f} MiB"
    )
    print(
        f"           claim {measurement['median_claim']:.3f}s,"
        f" enqueue_ready {measurement['median_enqueue']:.3f}s"
        f" (of which publishing {measurement['published']} task(s) to Redis"
        f" {measurement['median_publish']:.3f}s)"
    )
    print(
        f"           {measurement['queries']:,} SQL statements per sweep"
        f" ({measurement['queries'] / max(measurement['owners'], 1):.1f} per person)"
    )
    print(
        f"           claim query (one batch of {measurement['batch']}) executes in"
        f" {measurement['plan_ms']:.2f}ms (EXPLAIN ANALYZE);"
        f" uses {INDEX}: {'yes' if measurement['uses_index'] else 'NO'}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="large table size")
    parser.add_argument("--due", type=int, default=10_000, help="follow-ups due at each sweep")
    parser.add_argument("--small-rows", type=int, default=20_000, help="small table size")
    parser.add_argument("--reps", type=int, default=3, help="runs per size (median taken)")
    parser.add_argument("--apps-per-user", type=int, default=10)
    parser.add_argument("--db", default="followup_bench_sweep", help="throwaway database name")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    args = parser.parse_args(argv)
    small = min(args.small_rows, args.rows)
    if not 0 < args.due <= small:
        parser.error("--due must be between 1 and the small table size")

    queue = f"bench.sweep.{os.getpid()}"
    create_database(args.db)
    try:
        setup_django(args.db, queue)
        from django.conf import settings

        log(f"seeding {small:,} applications, {args.due:,} follow-ups due")
        seed(1, small, small=small, due=args.due, per_user=args.apps_per_user)
        measurements = [measure("small", rows=small, due=args.due, reps=args.reps, queue=queue)]
        small_size = table_size("applications_followup")
        large_size = small_size
        if args.rows > small:
            log(f"growing to {args.rows:,} applications (same {args.due:,} due)")
            seed(small + 1, args.rows, small=small, due=args.due, per_user=args.apps_per_user)
            large_size = table_size("applications_followup")
            measurements.append(
                measure("large", rows=args.rows, due=args.due, reps=args.reps, queue=queue)
            )
    finally:
        with contextlib.suppress(Exception):
            purge_queue(queue, delete=True)
        if args.keep:
            log(f"kept database {args.db}")
        else:
            drop_database(args.db)

    print(
        f"reminder sweep (claim + enqueue), REMINDER_CLAIM_BATCH={settings.REMINDER_CLAIM_BATCH},"
        f" REMINDER_SEND_BATCH={settings.REMINDER_SEND_BATCH}, median of {args.reps}"
    )
    print(f"applications_followup with indexes: {small_size} small, {large_size} large")
    for measurement in measurements:
        report(measurement, due=args.due)
    ok = all(m["uses_index"] for m in measurements)
    if len(measurements) == 2:
        small_m, large_m = measurements
        ratio = large_m["median"] / small_m["median"]
        verdict = "PASS" if ratio < 1.5 else "FAIL"
        print(
            f"ratio {large_m['rows']:,} / {small_m['rows']:,} rows: {ratio:.2f}"
            f" (target < 1.5: {verdict})"
        )
        ok = ok and ratio < 1.5
        print(
            f"min-to-min ratio {large_m['min'] / small_m['min']:.2f};"
            f" CPU ratio {large_m['cpu'] / small_m['cpu']:.2f};"
            f" claim query alone {large_m['plan_ms'] / small_m['plan_ms']:.2f}"
            " (the machine is shared: medians of a few runs are noisy, see bench/README.md)"
        )
    for measurement in measurements:
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the claim query at {measurement['rows']:,} rows:")
        print(measurement["plan"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
