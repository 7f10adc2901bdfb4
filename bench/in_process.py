"""bench/load.py's reference: each page served in this process, one request at a time.

No HTTP and no concurrency: what a request costs the server alone (time, SQL statements, HTML),
and a pyinstrument profile of the pages asked for.
"""

import statistics
import time


def in_process(people: list, pages: list[str], *, reps: int, profile: set[str]) -> dict:
    """Median time and SQL queries of each page served in this process, and profiles if asked."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for page in pages:
        person = next(p for p in people if page in p["pages"])
        user = get_user_model().objects.get(email=person["email"])
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        paths = person["pages"][page]
        for path in paths:
            client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(paths[0])
        assert response.status_code == 200, (page, response.status_code)
        queries = len(captured)  # now: the next request empties the connection's log
        times = []
        for i in range(reps):
            started = time.perf_counter()
            client.get(paths[i % len(paths)])
            times.append(time.perf_counter() - started)
        figures[page] = {
            "ms": 1000 * statistics.median(times),
            "queries": queries,
            "bytes": len(response.content),
        }
        if page in profile:
            figures[page]["profile"] = profile_page(client, paths, reps)
    return figures


def profile_page(client, paths: list, reps: int) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "(pip install pyinstrument for a profile)"
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(reps):
        client.get(paths[i % len(paths)])
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=False)
