"""One measurement of bench/load.py: a page at a concurrency, driven by wrk.

wrk runs with one thread pinned to the load generator's core (taskset), the server on the other
core(s) (bench/server.py), so measuring does not take CPU from what is measured. It keeps
`clients` connections busy, a closed loop without think time; bench/wrk.lua rotates the
signed-in sessions and their paths, counts every answer that is not a 200, and prints wrk's
latency percentiles as JSON, which are parsed here.
"""

import json
import os
import re
import subprocess
import time
from pathlib import Path

from bench.common import ROOT, log

WRK = "/usr/bin/wrk"
LUA = ROOT / "bench" / "wrk.lua"


def cores() -> tuple[str, str]:
    """(the load generator's core, the server's cores), as taskset lists; ("", "") on one core."""
    usable = sorted(os.sched_getaffinity(0))
    if len(usable) < 2:
        return "", ""
    return str(usable[0]), ",".join(str(core) for core in usable[1:])


def pinned(command: list[str], core_list: str) -> list[str]:
    return ["taskset", "-c", core_list, *command] if core_list else command


def parse_wrk(output: str) -> dict:
    """The figures bench/wrk.lua printed (its "RESULT {...}" line), in ms and requests/s."""
    line = next((ln for ln in output.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise ValueError(f"no RESULT line in wrk's output:\n{output[-2000:]}")
    raw = json.loads(line[len("RESULT ") :])
    socket_errors = {k: raw[k] for k in ("connect", "read", "write", "timeout") if raw[k]}
    error_kinds = dict(socket_errors)
    if raw["not_200"]:
        statuses = raw["statuses"].split()
        error_kinds["not 200"] = raw["not_200"]
        error_kinds["statuses seen"] = " ".join(sorted(set(statuses)))
    seconds = raw["duration_us"] / 1e6
    return {
        "count": raw["requests"],
        "seconds": seconds,
        "rps": raw["requests"] / seconds if seconds else float("nan"),
        "p50": raw["p50_us"] / 1000,
        "p95": raw["p95_us"] / 1000,
        "p99": raw["p99_us"] / 1000,
        "max": raw["max_us"] / 1000,
        "errors": raw["not_200"] + sum(socket_errors.values()),
        "error_kinds": error_kinds,
    }


def requests_file(people: list, page: str, path: Path) -> Path:
    """The lines bench/wrk.lua rotates through: each session's paths of this page, interleaved."""
    sessions = [
        (person["cookies"], person["pages"][page]) for person in people if person["pages"].get(page)
    ]
    if not sessions:
        raise SystemExit(f"no session has a {page} page to ask for")
    lines = []
    for turn in range(max(len(paths) for _, paths in sessions)):
        for cookies, paths in sessions:
            cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
            lines.append(f"{paths[turn % len(paths)]}\t{cookie}")
    path.write_text("\n".join(lines) + "\n")
    return path


def wrk(port: int, clients: int, seconds: float, requests: Path, log_path: Path) -> dict:
    client_core, _ = cores()
    command = pinned(
        [
            WRK,
            "--threads",
            "1",
            "--connections",
            str(clients),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "--latency",
            "--script",
            str(LUA),
            f"http://127.0.0.1:{port}",
            "--",
            str(requests),
        ],
        client_core,
    )
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=seconds + 120
    )
    log_path.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"wrk exited with {done.returncode}: {done.stderr[-1000:]}")
    return parse_wrk(done.stdout)


def cpu_text(result: dict) -> str:
    cpu = result["cpu"]
    if not cpu:
        return "-"
    return (
        f"{cpu['busy']:.0f}% busy: server {cpu['server']:.0f}, PostgreSQL {cpu['database']:.0f},"
        f" bench {cpu['bench']:.0f}, other work on the machine {cpu['other']:.0f}"
    )


def run_page(args, port, people, page, clients, workdir, tag="", *, sampler=None) -> dict:
    label = re.sub(r"\W+", "-", f"{page}-{clients}{tag}")
    requests = requests_file(people, page, workdir / f"{label}.requests")
    waited = 0.0
    if sampler and args.quiet_wait:
        waited = sampler.wait_quiet(args.quiet_below, args.quiet_wait)
    if args.warmup:
        warm = wrk(port, clients, args.warmup, requests, workdir / f"{label}.warmup.log")
        warmup_errors = warm["errors"]
    else:
        warmup_errors = 0
    start = time.time()
    result = wrk(port, clients, args.duration, requests, workdir / f"{label}.log")
    end = time.time()
    result.update(page=page, clients=clients, waited=waited)
    result["errors"] += warmup_errors  # an error is an error, measured or not
    result["cpu"] = sampler.share(start, end) if sampler else {}
    if result["cpu"] and result["count"]:
        result["server_ms"] = 1000.0 * result["cpu"]["server_seconds"] / result["count"]
        result["database_ms"] = 1000.0 * result["cpu"]["database_seconds"] / result["count"]
    log(
        f"  {page:<16} {clients:>3} clients{tag}: {result['rps']:7.1f} req/s,"
        f" p50 {result['p50']:6.1f} p95 {result['p95']:7.1f} p99 {result['p99']:7.1f} ms,"
        f" {result['errors']} errors; CPU {cpu_text(result)}"
        + (f" (waited {waited:.0f}s for it)" if waited >= 1 else "")
    )
    return result
