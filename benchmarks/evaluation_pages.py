"""Benchmark: the evaluation pages at province scale (issue 10, item 8).

    python benchmarks/evaluation_pages.py [--employees 50000] [--runs 5] [--database-url URL]

Creates a fresh PostgreSQL database (default wfh_evaluation on 127.0.0.1) with autovacuum
off on the app's tables, imports ``--employees`` generated people (``synthetic.py``: 500
OPDs, 30 % essential, 5 % on leave), builds the five weeks that cover November 2026
and approves them, then writes one check-in record per person and working day of
November (about a million rows, set-based in SQL: 3 % absent, TL and PSW grades, daily
reports on WFH days, some returned). It times the nightly ``refresh_days`` for the
month, then opens each evaluation page as BKPSDM (every OPD), as the head of the
largest OPD and as one of its ASN, on 20 November 2026, ``--runs`` times after a warm-up,
and prints each page's server time (median and worst, rendering included) and its
queries. Budget: every page <= 300 ms. Ends by dropping the database (``--keep`` keeps
it; ``--reuse`` then times the pages again without building it).
"""

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_roster import autovacuum_off, write_schedule_files  # noqa: E402
from measure import ROOT, recreate_database  # noqa: E402
from synthetic import generate  # noqa: E402

BUDGET_MS = 300
MONDAYS = [date(2026, 11, 2) + timedelta(weeks=w) for w in range(5)]  # W45-W49
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=WIB)

ATTENDANCE = """
INSERT INTO attendance_attendance (
    employee_id, opd_id, date, mode, from_approved_roster, status, check_in_at,
    check_out_at, in_user_agent, out_user_agent, late_minutes, early_minutes, tl_code,
    psw_code, flags, report, report_status, report_comment)
SELECT employee_id, opd_id, date, mode, true,
       CASE WHEN a < 0.03 THEN 'absent' ELSE 'present' END,
       CASE WHEN a < 0.03 THEN NULL
            ELSE (date + time '07:25' + b * interval '40 minutes') AT TIME ZONE 'Asia/Jakarta' END,
       CASE WHEN a < 0.03 THEN NULL
            ELSE (date + time '15:40' + c * interval '40 minutes') AT TIME ZONE 'Asia/Jakarta' END,
       'benchmark', 'benchmark',
       CASE WHEN a >= 0.03 AND b > 0.75 THEN (b * 40 - 5)::int ELSE 0 END,
       CASE WHEN a >= 0.03 AND c < 0.5 THEN ((0.5 - c) * 40)::int ELSE 0 END,
       CASE WHEN a < 0.03 THEN ''
            WHEN b > 0.97 THEN 'TL4' WHEN b > 0.94 THEN 'TL3' WHEN b > 0.88 THEN 'TL2'
            WHEN b > 0.75 THEN 'TL1' ELSE '' END,
       CASE WHEN a < 0.03 THEN '' WHEN c < 0.02 THEN 'PSW3' WHEN c < 0.05 THEN 'PSW2'
            WHEN c < 0.12 THEN 'PSW1' ELSE '' END,
       '[]'::jsonb,
       CASE WHEN mode <> 'WFO' AND a >= 0.03 THEN 'Laporan kinerja harian' ELSE '' END,
       CASE WHEN mode = 'WFO' OR a < 0.03 THEN ''
            WHEN c > 0.95 THEN 'returned' WHEN c > 0.80 THEN 'pending' ELSE 'accepted' END,
       ''
FROM (
    SELECT e.employee_id, r.opd_id, e.date, e.mode,
           random() AS a, random() AS b, random() AS c
    FROM scheduling_rosterentry e JOIN scheduling_roster r ON r.id = e.roster_id
    WHERE e.date BETWEEN %s AND %s AND e.mode IN ('WFO', 'WFH', 'WFA')
) AS days
"""


def setup(url: str, employees: int):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfh.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from scheduling.calendar import week_label
    from scheduling.models import Roster, RosterStatus

    call_command("migrate", "--noinput", verbosity=0)
    autovacuum_off(url)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        nips = generate(Path(tmp), employees)
        write_schedule_files(Path(tmp), nips)
        call_command("import_dataset", tmp, verbosity=0, stdout=io.StringIO())
    for monday in MONDAYS:
        call_command("build_roster", "--week", week_label(monday), stdout=io.StringIO())
    # BKPSDM: a superuser sees what BKPSDM sees (opd.access.role_of).
    bkpsdm = get_user_model().objects.create_superuser("bkpsdm-benchmark", password=None)
    Roster.objects.update(status=RosterStatus.APPROVED, decided_by=bkpsdm, decided_at=NOW)
    with connection.cursor() as cursor:
        cursor.execute(ATTENDANCE, list(NOVEMBER))
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM attendance_attendance")
        (records,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM scheduling_rosterentry")
        (entries,) = cursor.fetchone()
    print(
        f"setup: {employees} employees, {entries} roster entries, {records} check-in records "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return bkpsdm


def reuse(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfh.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)  # the code may have moved on
    return get_user_model().objects.get(username="bkpsdm-benchmark")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/wfh_evaluation"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (for --reuse or profiling)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time the pages of a database kept with --keep"
    )
    options = parser.parse_args()
    logging.getLogger("axes").setLevel(logging.WARNING)
    failed = False
    if not options.reuse:
        recreate_database(options.database_url)
    try:
        if options.reuse:
            bkpsdm = reuse(options.database_url)
        else:
            bkpsdm = setup(options.database_url, options.employees)
        import time_machine
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment
        from django.urls import reverse

        from evaluation.services import refresh_days
        from opd.models import Employee, Role

        # The aggregates, as the nightly task computes them.
        started = time.perf_counter()
        rows = refresh_days(*NOVEMBER)
        elapsed = time.perf_counter() - started
        print(f"refresh_days for November: {rows} rows in {elapsed:.2f} s")

        # A readiness scenario over the month, as BKPSDM would have saved one.
        from evaluation.models import Scenario
        from evaluation.scenarios import run_scenario

        Scenario.objects.filter(name="50:50, maks 2 hari").delete()
        scenario = Scenario.objects.create(
            name="50:50, maks 2 hari",
            mode="rotation",
            wfh_ratio="0.5",
            weekdays="tue,wed,thu,fri",
            max_remote_days_per_week=2,
            start=NOVEMBER[0],
            end=NOVEMBER[1],
        )
        started = time.perf_counter()
        run_scenario(scenario.pk)
        print(f"scenario for November: {time.perf_counter() - started:.2f} s")
        setup_test_environment()
        largest = (
            Employee.objects.filter(opd__essential=False)
            .values("opd_id", "opd__code")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        head = Employee.objects.filter(opd_id=largest["opd_id"], role=Role.HEAD).first()
        asn = Employee.objects.filter(
            opd_id=largest["opd_id"], role=Role.ASN, wfh_eligible=True
        ).first()
        month = {"bulan": "2026-11"}
        pages = [
            ("BKPSDM", bkpsdm, reverse("evaluation:home"), {}),
            ("BKPSDM", bkpsdm, reverse("evaluation:savings"), month),
            ("BKPSDM", bkpsdm, reverse("evaluation:fairness"), month),
            ("BKPSDM", bkpsdm, reverse("evaluation:discipline"), month),
            ("BKPSDM", bkpsdm, reverse("evaluation:ladder"), {"tahun": "2026"}),
            ("BKPSDM", bkpsdm, reverse("evaluation:scenarios"), {}),
            ("BKPSDM", bkpsdm, reverse("evaluation:scenario", args=[scenario.pk]), {}),
            ("BKPSDM", bkpsdm, reverse("evaluation:scenario-compare"), {"s": [scenario.pk]}),
            (
                "BKPSDM",
                bkpsdm,
                reverse("evaluation:fairness-opd", args=[largest["opd__code"]]),
                month,
            ),
            ("head", head, reverse("evaluation:home"), {}),
            ("head", head, reverse("evaluation:savings"), month),
            ("head", head, reverse("evaluation:discipline"), month),
            ("head", head, reverse("evaluation:ladder"), {"tahun": "2026"}),
            ("ASN", asn, reverse("scheduling:my-schedule"), {}),
        ]
        with time_machine.travel(NOW, tick=True):
            for who, person, url, params in pages:
                client = Client()
                client.force_login(getattr(person, "user", person))
                client.get(url, params)  # warm-up: session, caches
                timings, queries = [], []
                for _ in range(options.runs):
                    with CaptureQueriesContext(connection) as captured:
                        start = time.perf_counter()
                        response = client.get(url, params)
                        timings.append((time.perf_counter() - start) * 1000)
                    queries.append(len(captured))
                    assert response.status_code == 200, (url, response.status_code)
                worst = max(timings)
                ok = worst <= BUDGET_MS
                failed |= not ok
                print(
                    f"{who:6} {url:40} median {statistics.median(timings):6.1f} ms, "
                    f"worst {worst:6.1f} ms, queries {min(queries)}-{max(queries)} "
                    f"{'PASS' if ok else 'FAIL'}"
                )
            # The finance office's file: a download, timed but not held to the page budget.
            client = Client()
            client.force_login(bkpsdm)
            started = time.perf_counter()
            response = client.get(reverse("evaluation:tpp-csv", args=["2026-11"]))
            rows = response.content.count(b"\n") - 1
            print(
                f"download /evaluasi/tpp/2026-11/unduh.csv: {rows} employees in "
                f"{(time.perf_counter() - started) * 1000:.0f} ms"
            )
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            recreate_database(options.database_url, drop_only=True)
    print(f"budget: every page <= {BUDGET_MS} ms -> {'NOT MET' if failed else 'OK'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
