"""The login storm: wrong passwords POSTed to the login form while the dashboard is measured.

run_storm starts this file as a program, the attacker: from one address guessing the seeded
accounts' passwords, or from a new address with a new email each time (credential stuffing). It
tallies what the server did with each attempt. Meanwhile PeopleDuringStorm times real people
logging in with the right password.
"""

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

if __name__ == "__main__":
    # Run as a file, Python puts bench/ on the path, not the tree that holds the bench package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT
from bench.driver import run_page
from bench.server import BUSY_FORM, THROTTLED_FORM, request, try_login

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


def main(argv) -> int:
    """POST wrong passwords to the login form at a steady rate; tally the answers."""
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
        except Exception as error:  # every failure is a figure here
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


def run_storm(
    args, env, port, people, workdir, mode, seconds, sampler, *, clients
) -> tuple[dict, dict]:
    """The dashboard at `clients` clients during a storm: its figures, and the storm's."""
    out = workdir / f"storm-{mode}.json"
    storm = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--port",
            str(port),
            "--rate",
            str(args.storm_rate),
            "--seconds",
            # From before wrk starts to after its measured window ends.
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
            args, port, people, "dashboard", clients, workdir, f" + {mode}", sampler=sampler
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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
