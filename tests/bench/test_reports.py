"""The benches' parsing and verdicts: wrk's output, the request rotation, the targets."""

import json

import pytest

from bench import pages, report
from bench.driver import parse_wrk, requests_file


def wrk_output(**figures) -> str:
    raw = {
        "requests": 1200,
        "duration_us": 15_000_000,
        "not_200": 0,
        "statuses": "",
        "connect": 0,
        "read": 0,
        "write": 0,
        "timeout": 0,
        "p50_us": 41_000,
        "p95_us": 88_500,
        "p99_us": 120_000,
        "max_us": 150_000,
        "mean_us": 45_000.0,
        **figures,
    }
    return "Running 15s test @ http://127.0.0.1:1\n  1 threads\nRESULT " + json.dumps(raw) + "\n"


def test_wrk_figures_come_in_ms_and_requests_a_second():
    result = parse_wrk(wrk_output())
    assert result["rps"] == pytest.approx(80.0)
    assert (result["p50"], result["p95"], result["p99"]) == (41.0, 88.5, 120.0)
    assert result["errors"] == 0
    assert result["error_kinds"] == {}


def test_answers_other_than_200_and_socket_errors_are_errors():
    result = parse_wrk(wrk_output(not_200=3, statuses="302 302 500 ", timeout=2, connect=1))
    assert result["errors"] == 6
    assert result["error_kinds"] == {
        "connect": 1,
        "timeout": 2,
        "not 200": 3,
        "statuses seen": "302 500",
    }


def test_wrk_output_without_the_result_line_is_refused():
    with pytest.raises(ValueError, match="no RESULT line"):
        parse_wrk("Running 15s test\nunable to connect\n")


def test_the_requests_rotate_through_every_session_and_its_paths(tmp_path):
    people = [
        {"cookies": {"sessionid": "a", "csrftoken": "x"}, "pages": {"timeline": ["/1/", "/2/"]}},
        {"cookies": {"sessionid": "b"}, "pages": {"timeline": ["/3/"], "composer": ["/9/"]}},
        {"cookies": {"sessionid": "c"}, "pages": {"coach dashboard": ["/c/"]}},
    ]
    lines = requests_file(people, "timeline", tmp_path / "r").read_text().splitlines()
    assert lines == [
        "/1/\tsessionid=a; csrftoken=x",
        "/3/\tsessionid=b",
        "/2/\tsessionid=a; csrftoken=x",
        "/3/\tsessionid=b",
    ]
    with pytest.raises(SystemExit):
        requests_file(people, "agenda", tmp_path / "none")


def result(page, clients, rps, p95, errors=0):
    return {"page": page, "clients": clients, "rps": rps, "p95": p95, "errors": errors}


def test_load_targets_ratio_to_bare_p95_at_8_and_errors_at_the_top():
    results = [
        result("bare", 8, 400.0, 20.0),
        result("bare", 32, 420.0, 80.0),
        result("dashboard", 8, 100.0, 99.0),  # a quarter of bare, p95 under 100: met
        result("dashboard", 32, 90.0, 400.0, errors=1),  # ratio 0.21 and an error
        result("composer", 8, 150.0, 100.0),  # p95 not under 100
        result("composer", 32, 140.0, 300.0),  # p95 at 32 has no target
    ]
    rows, misses = report.judge(results)
    assert misses == [
        "dashboard: ratio 0.21 at 32 clients",
        "dashboard: 1 errors at 32 clients",
        "composer: p95 100 ms at 8 clients",
    ]
    notes = {(r["page"], r["clients"]): n for r, _, n in rows}
    assert notes[("bare", 8)] == []
    assert notes[("dashboard", 8)] == ["p95<100 ok", "ratio>=0.25 ok"]


def test_the_sweep_may_move_a_p95_by_a_quarter_at_most():
    without = [result("bare", 8, 400.0, 20.0), result("agenda", 8, 100.0, 80.0)]
    with_sweep = [result("bare", 8, 380.0, 25.0), result("agenda", 8, 90.0, 100.5)]
    assert report.sweep_misses(without, with_sweep) == ["agenda: p95 80 -> 100 ms with the sweep"]


def figures(page, cpu_ms, wall_ms=1.0):
    return pages.PageFigures(
        page, cpu=[cpu_ms / 1000] * 3, wall=[wall_ms / 1000] * 3, database_cpu=0.003
    )


def test_pages_are_held_to_four_times_the_bare_page_and_reference_pages_are_not():
    measured = [
        figures("bare", 2.0),
        figures("layout", 10.0),  # a reference page: no target
        figures("dashboard", 8.0),  # exactly 4x: met
        figures("composer", 8.2),
    ]
    assert pages.misses(measured) == ["composer: 4.1x the bare page's CPU (target at most 4x)"]
    lines = pages.table(measured).splitlines()
    assert lines[0].split()[:3] == ["page", "CPU", "ms"]
    assert lines[1].split() == ["bare", "2.00", "1.00", "1.00", "1.00", "0", "0"]
    assert lines[3].endswith("<= 4x ok")
    assert lines[4].endswith("<= 4x MISSED")
    assert "target" not in lines[2] and lines[2].split()[-1] == "0"
