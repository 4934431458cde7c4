"""In-process profile of the check-in hot path: where a request's time goes.

    python benchmarks/profile_checkin.py [--users 300] [--top 40] [--database-url URL]

Builds the load benchmark's database (``checkin_load.setup_database``), then, with the
clock at the benchmark morning and the benchmark's settings (``settings_load``:
the app's settings, persistent connections, DEBUG off), drives the full WSGI stack
through Django's test ``Client`` with CSRF checks enforced, one client per user:

    GET /presensi/  ->  POST in  ->  GET /presensi/ (the redirect's target)  ->  POST out

Prints the mean wall time of each kind of request, the queries each kind runs, and
a cProfile summary of the whole loop (cumulative and own time). No network, no
gunicorn: a decision tool on a shared machine, where absolute rates are noise but the
share of each piece of a request is not. Ends by dropping the database.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("CONN_MAX_AGE", "60")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("CELERY_BROKER_URL", "")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from checkin_load import MORNING, setup_database  # noqa: E402
from measure import recreate_database  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wfh_load")
    options = parser.parse_args()

    recreate_database(options.database_url)
    try:
        people = setup_database(options.database_url, options.users)
        run(people, options.top)
    finally:
        from django.db import connections

        connections.close_all()
        recreate_database(options.database_url, drop_only=True)


def run(people, top: int) -> None:
    import time_machine
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    travel = time_machine.travel(MORNING, tick=True)
    travel.start()
    users = {u.username: u for u in get_user_model().objects.all()}
    clients = []
    handler = None
    for nip, mode in people:
        client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14)")
        # One handler for every client, as one gunicorn worker has one: each new handler
        # would build the middleware chain again (WhiteNoise scans the static files).
        if handler is None:
            handler = client.handler
        client.handler = handler
        client.force_login(users[nip], backend="opd.auth.EmployeeBackend")
        clients.append((client, mode))

    timings = defaultdict(list)
    queries = {}

    def timed(kind, call):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = call()
            timings[kind].append(time.perf_counter() - start)
        queries.setdefault(kind, [q["sql"][:110] for q in captured.captured_queries])
        return response

    def one(client, mode):
        page = timed("GET page (first)", lambda: client.get("/presensi/"))
        token = CSRF.search(page.content.decode()).group(1)
        form = {"csrfmiddlewaretoken": token, "lat": "-6.25", "lon": "107.0", "accuracy": "12"}
        answer = timed("POST in", lambda: client.post("/presensi/", {**form, "action": "in"}))
        assert answer.status_code == 302, answer.status_code
        timed("GET page (after redirect)", lambda: client.get("/presensi/"))
        # Early (the clock is in the morning): confirmed, as the page asks.
        out = {**form, "action": "out", "report": "Menyelesaikan telaah 12 berkas.", "confirm": "1"}
        answer = timed("POST out", lambda: client.post("/presensi/", out))
        assert answer.status_code == 302, answer.status_code

    # Warm up: imports, templates, URL resolver, configuration cache, connection.
    for client, mode in clients[:20]:
        one(client, mode)
    for values in timings.values():
        values.clear()
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for client, mode in clients[20:]:
        one(client, mode)
    profiler.disable()
    elapsed = time.perf_counter() - start
    travel.stop()

    total = sum(len(v) for v in timings.values())
    print(f"{total} requests in {elapsed:.2f} s under cProfile ({total / elapsed:.0f}/s)")
    for kind, values in timings.items():
        print(
            f"  {kind:28s} mean {1000 * sum(values) / len(values):6.2f} ms, "
            f"{len(queries[kind])} queries"
        )
        for sql in queries[kind]:
            print(f"      {sql}")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
