"""One measurement of bench/load.py: a page at a concurrency, driven by Locust.

Locust runs bench/locustfile.py in its own process and writes every request's time and outcome
to a file; the figures (exact percentiles, CPU per request) are computed here from them.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from bench.common import ROOT, log


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
