"""bench/load.py's report: the figures against the targets, with the sweep and the login storm."""

import statistics

from bench.storm import people_text

# Targets (see the issue): at 8 clients these pages' p95 under 200 ms; no errors at the highest
# concurrency; every page's requests/s at least half the baseline's.
P95_TARGET_MS = 200.0
P95_TARGET_PAGES = ("dashboard", "coach dashboard")
TARGET_CLIENTS = 8
RATIO_TARGET = 0.5


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
