"""bench/load.py's report: the figures against the targets, with the sweep and the login storm."""

import statistics

from bench.seeding import MAIN_PAGES
from bench.storm import people_text

# Targets: at 8 clients every main page's p95 under 100 ms; no errors at the highest
# concurrency; every main page's requests/s at least a quarter of the bare page's at the same
# concurrency; the sweep running beside them moves no page's p95 by more than a quarter.
P95_TARGET_MS = 100.0
TARGET_CLIENTS = 8
RATIO_TARGET = 0.25
SWEEP_P95_TARGET = 1.25


def cpu_columns(result: dict) -> str:
    cpu = result["cpu"]
    if not cpu:
        return "-"
    return "/".join(f"{cpu[key]:.0f}" for key in ("busy", "server", "database", "other"))


def per_request(result: dict) -> str:
    """Server + PostgreSQL CPU per request (ms), e.g. "21.3+2.1"."""
    if "server_ms" not in result:
        return "-"
    return f"{result['server_ms']:.1f}+{result['database_ms']:.1f}"


def fmt_ms(value: float) -> str:
    return f"{value:8.1f}"


def _verdicts(r: dict, ratio: float, top: int) -> list[tuple[bool, str, str]]:
    """(met, label, what was missed) for each target that applies to this result."""
    checks = []
    if r["page"] in MAIN_PAGES:
        if r["clients"] == TARGET_CLIENTS:
            checks.append(
                (r["p95"] < P95_TARGET_MS, f"p95<{P95_TARGET_MS:.0f}", f"p95 {r['p95']:.0f} ms")
            )
        checks.append((ratio >= RATIO_TARGET, f"ratio>={RATIO_TARGET}", f"ratio {ratio:.2f}"))
    if r["clients"] == top:
        checks.append((r["errors"] == 0, "no errors", f"{r['errors']} errors"))
    return checks


def judge(results: list[dict]) -> tuple[list[tuple[dict, float, list[str]]], list[str]]:
    """Each result with its ratio to the bare page and its verdicts; and the misses."""
    bare = {r["clients"]: r["rps"] for r in results if r["page"] == "bare"}
    top = max(r["clients"] for r in results)
    rows, misses = [], []
    for r in results:
        ratio = r["rps"] / bare[r["clients"]] if bare.get(r["clients"]) else float("nan")
        checks = _verdicts(r, ratio, top)
        notes = [f"{label} {'ok' if ok else 'MISSED'}" for ok, label, _ in checks]
        misses += [
            f"{r['page']}: {miss} at {r['clients']} clients" for ok, _, miss in checks if not ok
        ]
        rows.append((r, ratio, notes))
    return rows, misses


def print_matrix(results: list[dict]) -> list[str]:
    rows, misses = judge(results)
    print(
        f"{'page':<16} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'errors':>6} {'ratio':>6} {'CPU ms/req':>11}  {'CPU % busy/srv/db/other':<24} target"
    )
    for r, ratio, notes in rows:
        print(
            f"{r['page']:<16} {r['clients']:>7} {r['rps']:8.1f} {fmt_ms(r['p50'])} "
            f"{fmt_ms(r['p95'])} {fmt_ms(r['p99'])} {r['errors']:>6} {ratio:6.2f}"
            f" {per_request(r):>11}  {cpu_columns(r):<24} {', '.join(notes)}"
        )
        if r["error_kinds"]:
            print(f"{'':<16} errors: {r['error_kinds']}")
    print(
        "ratio: the page's req/s over the bare page's at the same concurrency; CPU ms/req: CPU"
        " time of the gunicorn processes + the PostgreSQL backends per request; CPU %: of the"
        " whole machine (100 = every core) while measuring: busy, server, PostgreSQL, and other"
        " work on the machine (not this bench; wrk counts as the bench)."
    )
    return misses


def sweep_misses(without: list[dict], with_sweep: list[dict]) -> list[str]:
    before = {r["page"]: r for r in without if r["clients"] == TARGET_CLIENTS}
    return [
        f"{r['page']}: p95 {before[r['page']]['p95']:.0f} -> {r['p95']:.0f} ms with the sweep"
        for r in with_sweep
        if r["page"] in before and r["p95"] > SWEEP_P95_TARGET * before[r["page"]]["p95"]
    ]


def print_sweep(without: list[dict], with_sweep: list[dict], idle: list, loaded: list) -> list:
    print(
        f"\npages at {TARGET_CLIENTS} clients without and with the reminder sweep running back to"
        f" back in another process (target: p95 at most {SWEEP_P95_TARGET:g}x):"
    )
    print(
        f"{'page':<16} {'req/s':>8} {'+sweep':>8} {'p95 ms':>8} {'+sweep':>8} {'x':>5}"
        f" {'p99 ms':>8} {'+sweep':>8} {'errors':>6}  CPU % busy/server/db/other, without | with"
    )
    before = {r["page"]: r for r in without if r["clients"] == TARGET_CLIENTS}
    for r in with_sweep:
        b = before.get(r["page"])
        if not b:
            continue
        print(
            f"{r['page']:<16} {b['rps']:8.1f} {r['rps']:8.1f} {fmt_ms(b['p95'])} "
            f"{fmt_ms(r['p95'])} {r['p95'] / b['p95']:5.2f} {fmt_ms(b['p99'])}"
            f" {fmt_ms(r['p99'])} {r['errors']:>6}  {cpu_columns(b)} | {cpu_columns(r)}"
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
    return sweep_misses(without, with_sweep)


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
