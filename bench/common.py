"""What the bench scripts share: their throwaway database, SQL on it, Redis queues, CPU from /proc.

Django and the product are imported inside the functions that use them, never at the top of a
bench module: they may only be imported once the settings point at the bench database, and
bench/load.py first puts the tree it serves (`--app-dir`) ahead of this one on the path.
"""

import os
import re
import socket
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
# The broker of bench/sweep.py, bench/send.py and bench/portability.py (bench/load.py uses db 13,
# see bench/server.py); BENCH_REDIS_URL moves it, for a machine where db 14 is someone else's.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TICK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The throwaway database ----------------------------------------------------------------------


def _admin_execute(sql: str) -> None:
    connection = psycopg2.connect(dbname="postgres", **PG)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def check_db_name(name: str) -> None:
    # Never the development database nor one the test runner owns.
    if name in {"followup", "postgres", "template0", "template1"} or name.startswith("test_"):
        raise SystemExit(f"refusing to use database {name!r}: pick a bench-only name")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"bad database name {name!r}")


def create_database(name: str) -> None:
    check_db_name(name)
    log(f"creating database {name}")
    # Plain DROP (no FORCE): if another run is using this database, fail instead of killing it.
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}"')
    _admin_execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    check_db_name(name)
    from django.db import connections

    connections.close_all()
    log(f"dropping database {name}")
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}"')


def setup_django(db_name: str, queue: str) -> None:
    """Test settings on the bench database; Celery publishes for real, to a bench-only queue."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db_name}"
    os.environ["CELERY_BROKER_URL"] = REDIS_URL
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    # The test settings run tasks eagerly by default: that would send mail inside the sweep.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    assert settings.DATABASES["default"]["NAME"] == db_name, settings.DATABASES["default"]
    from django.core.management import call_command

    log("migrating")
    call_command("migrate", verbosity=0)


# --- SQL on Django's connection ------------------------------------------------------------------


def execute(sql: str, params=None) -> int:
    """Run one statement; how many rows it touched."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch_one(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetch_all(sql: str, params=None) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def vacuum_analyze(*tables: str) -> None:
    # Django runs in autocommit outside atomic(), which VACUUM needs.
    for table in tables:
        execute(f"VACUUM ANALYZE {table}")


def reset_sequences(*tables: str) -> None:
    """After rows were inserted with explicit ids: the next id each table hands out follows them."""
    for table in tables:
        # Table names go into the text: only plain identifiers.
        assert re.fullmatch(r"[a-z_]+", table), table
        execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - checked above
            f"GREATEST((SELECT max(id) FROM {table}), 1))"
        )


# Seeding: each table is filled with INSERT ... SELECT over generate_series(lo, hi) AS g (or any
# other source). The columns a bench names get its SQL expressions; every other column gets the
# model field's default, read from the model at run time, so a column added to the product later
# does not break the benches.


def insert_select(model, columns: dict[str, str], source: str) -> tuple[str, dict]:
    """INSERT ... SELECT for `model`: given expressions, and each other column's default."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    names, values, defaults = [], [], {}
    for field in model._meta.concrete_fields:
        if field.column not in columns and field.db_default is not NOT_PROVIDED:
            continue  # left out of the INSERT: the database's own default fills it
        names.append(connection.ops.quote_name(field.column))
        if field.column in columns:
            values.append(columns[field.column])
            continue
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif field.empty_strings_allowed and field.db_default is NOT_PROVIDED:
            value = ""
        else:
            raise SystemExit(f"bench seeding: no value for {model.__name__}.{field.name}")
        key = f"default_{field.column}"
        defaults[key] = field.get_db_prep_save(value, connection)
        values.append(f"%({key})s")
    # Only the benches' constants and the model's column names go into the text; values are
    # parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {source}"  # noqa: S608
    return sql, defaults


# --- Redis ---------------------------------------------------------------------------------------


def purge_queue(queue: str, *, delete: bool = False) -> int:
    """Drop what a bench published (and the queue itself with delete=True); return how many."""
    from config.celery_app import app

    with app.connection_for_write() as connection:
        channel = connection.default_channel
        purged = channel.queue_purge(queue) or 0
        if delete:
            # kombu's queue_delete() only forgets bindings this channel declared itself; the
            # producer declared them, so remove the queue's keys (its exchange bears its name).
            keys = {channel._q_for_pri(queue, priority) for priority in channel.priority_steps}
            keys |= {f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"}
            channel.client.delete(*keys)
    return purged


# --- CPU time, from /proc ------------------------------------------------------------------------


def process_cpu(pid: int | str) -> tuple[int, float]:
    """(parent pid, CPU seconds used so far, user + system) of a process on this machine."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name, in parentheses, may hold spaces: the fields start after it.
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def cpu_split() -> tuple[float, float]:
    """CPU seconds used so far by this process, and by its PostgreSQL backend (same machine).

    Unlike wall time, CPU time does not count waiting for a core that other processes hold, so
    it tells work from contention on a shared machine; it does not count waits for disk or locks.
    """
    pid = fetch_one("SELECT pg_backend_pid()")[0]
    return time.process_time(), process_cpu(pid)[1]


def cpu_seconds() -> float:
    return sum(cpu_split())


# --- Network -------------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port free now (for a server that cannot be given port 0 and report its own)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
