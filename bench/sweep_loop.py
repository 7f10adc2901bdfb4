"""The reminder sweep back to back beside bench/load.py's pages, in a process of its own.

SweepLoop starts this file as a program (with the server's settings, in the tree it serves): it
runs `reminders_sweep()` until told to stop, each pass publishing its delivery tasks to the
bench-only queue, which is purged, and then unclaiming the sweep's people's follow-ups and
deleting their reminders, so each pass does the same work.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

if __name__ == "__main__":
    # Run as a file, Python puts bench/ on the path, not the tree that holds the bench package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import execute, purge_queue
from bench.driver import cores, pinned
from bench.server import use_tree


def main(argv) -> int:
    """Run reminders_sweep() until told to stop; each pass's figures go to --out."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--first-user", type=int, required=True)
    parser.add_argument("--passes", type=int, default=0, help="0: until SIGTERM")
    options = parser.parse_args(argv)
    use_tree(Path.cwd())
    import django

    django.setup()
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
        # On the load generator's core, beside wrk: the server keeps its core, and what the sweep
        # can still move is what it shares with the pages, PostgreSQL (its CPU, locks and disk).
        self.process = subprocess.Popen(
            pinned(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--out",
                    str(self.out),
                    "--first-user",
                    str(args.users + args.coaches + 1),
                    "--passes",
                    str(passes),
                ],
                cores()[0],
            ),
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
