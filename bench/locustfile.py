"""One page under load, for bench/load.py: not meant to be run by hand.

bench/load.py writes a spec (JSON, path in LOAD_SPEC): the page's name, for each logged-in
session its cookies and the paths it requests in turn, the warm-up and the measured window. Each
simulated client takes the next session and asks for its pages back to back (a closed loop, no
think time), as fast as the server answers. Every request's completion time, response time and
outcome are kept; at the end they go to the spec's `out` file with the machine's CPU use over the
window, and bench/load.py computes the figures from them (exact percentiles, not Locust's
rounded ones).
"""

import itertools
import json
import os
import resource
import time
from collections import Counter
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task

SPEC = json.loads(Path(os.environ["LOAD_SPEC"]).read_text()) if "LOAD_SPEC" in os.environ else {}
_next_session = itertools.count()
_records: list[tuple[float, float, bool]] = []
_errors: Counter = Counter()
_marks: dict = {}


def _machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from the first line of /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def _mark(name: str) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    _marks[name] = {
        "at": time.time(),
        "machine": _machine_cpu(),
        "self_cpu": usage.ru_utime + usage.ru_stime,
    }


@events.request.add_listener
def _record(response_time, exception, **kwargs):
    now = time.time()
    _records.append((now, response_time, exception is None))
    if exception is not None:
        _errors[str(exception)[:120]] += 1


@events.test_start.add_listener
def _start(environment, **kwargs):
    def window():
        _mark("begin")
        gevent.sleep(SPEC["warmup"])
        _mark("start")
        gevent.sleep(SPEC["duration"])
        _mark("end")
        # The run ends with the window (--run-time is only a safety net).
        environment.runner.quit()

    gevent.spawn(window)


@events.quitting.add_listener
def _write(environment, **kwargs):
    if not SPEC:
        return
    with open(SPEC["out"], "w") as out:
        json.dump({"records": _records, "errors": dict(_errors), "marks": _marks}, out)


class PageUser(FastHttpUser):
    wait_time = constant(0)
    # The server may be starved on purpose (login storm): a slow answer is a figure, not a crash.
    network_timeout = 120.0
    connection_timeout = 120.0

    def on_start(self):
        sessions = SPEC["sessions"]
        session = sessions[next(_next_session) % len(sessions)]
        self.paths = itertools.cycle(session["paths"])
        # Production cookies are Secure and this is plain http on loopback: the cookies go in
        # by hand, and X-Forwarded-Proto tells Django (SECURE_PROXY_SSL_HEADER) it is https.
        self.headers = {"Cookie": session["cookie"], "X-Forwarded-Proto": "https"}

    @task
    def page(self):
        with self.client.get(
            next(self.paths),
            headers=self.headers,
            name=SPEC["name"],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                # A redirect here is the login page: the session was lost.
                response.failure(f"HTTP {response.status_code}")
