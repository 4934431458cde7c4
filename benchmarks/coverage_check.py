"""Benchmark: the 08:00 coverage check for 50,000 employees on PostgreSQL.

    python benchmarks/coverage_check.py [--employees 50000] [--sick 0.03] [--runs 3]
        [--database-url URL] [--keep]

1. Creates a fresh database (default postgres://postgres@127.0.0.1:5432/wfh_bench_cov)
   with autovacuum off on the app's tables (as ``build_roster.py``: the product analyses
   what it bulk-writes, nothing else does), imports the synthetic organisation of
   ``build_roster.py`` (``synthetic.generate``: 1 OPD per 100 people, 0-4 service posts
   each with a minimum of 1-4, 40 % of an OPD's people on a post; a 50:50 Tuesday-Friday
   rotation, 5 % of the people on leave) with ``manage.py import_dataset``, builds
   2026-W50 with ``manage.py build_roster`` (child processes, as in ``build_roster.py``)
   and approves every roster.
2. For each working day of the week in turn (Monday 7 to Friday 11 December 2026):
   ``--sick`` of the post staff at the office that day fall sick before 08:00 (their
   entry becomes LEAVE, as an approved sick request makes it), 70 % of the people
   expected at work check in (rows as the check-in writes them, so the attendance table
   grows day by day as it does), then the 08:00 task (``attendance.tasks.check_coverage``)
   runs ``--runs`` times: the first opens the day's alerts and tells the heads, the
   next find nothing new and only refresh them. Each run's wall time and number of
   queries are printed with what it found. The queries of a run that opens alerts
   include the heads' e-mail tasks, which run in-process here (no broker), a few per
   notice key; the check itself is a constant number.
3. The OPD day page's share of it (``post_coverage`` for the largest OPD) is timed too.

Budget (issue 9): every run of the check <= 10 s. PASS or FAIL is printed, and the exit
status is non-zero on a FAIL. ``--keep`` leaves the database for profiling.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from build_roster import FIRST_MONDAY, autovacuum_off, write_schedule_files  # noqa: E402
from measure import ROOT, recreate_database, run_manage  # noqa: E402
from synthetic import generate  # noqa: E402

BUDGET_SECONDS = 10
CHECKED_IN = 0.7


def setup(database_url: str, employees: int) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": ""}
    run_manage(["migrate", "--noinput", "-v", "0"], env)
    autovacuum_off(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        nips = generate(folder, employees)
        write_schedule_files(folder, nips)
        seconds, _mb, _out = run_manage(["import_dataset", str(folder)], env)
        print(f"setup: imported {employees} employees in {seconds:.1f} s")
    label = f"{FIRST_MONDAY.isocalendar()[0]}-W{FIRST_MONDAY.isocalendar()[1]:02d}"
    seconds, _mb, _out = run_manage(["build_roster", "--week", label], env)
    print(f"setup: built {label} in {seconds:.1f} s")


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_BROKER_URL"] = ""  # tasks in-process (the heads' mail is settled here)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfh.settings")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    for name in ("celery", "kombu"):  # one line per task run would bury the figures
        logging.getLogger(name).setLevel(logging.ERROR)


def approve_all() -> int:
    """Every roster approved, as BKPSDM does in the admin (its 50,000 schedule notices
    are ``notify_load.py``'s subject, not this one's)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from scheduling.models import Roster, RosterStatus

    bkpsdm = get_user_model().objects.create(username="bkpsdm-benchmark", is_staff=True)
    return Roster.objects.update(
        status=RosterStatus.APPROVED, decided_by=bkpsdm, decided_at=timezone.now()
    )


def morning(day, sick_share: float, rng: random.Random) -> tuple[int, int]:
    """Before 08:00 on ``day``: some post staff at the office report sick, 70 % of the
    people expected at work check in. Returns (sick, checked in)."""
    from django.utils import timezone

    from attendance.models import Attendance
    from attendance.selectors import expected_days
    from opd.models import Employee
    from scheduling.models import RosterEntry

    office = list(
        RosterEntry.objects.filter(
            date=day, mode="WFO", employee__post__isnull=False, roster__status="approved"
        ).values_list("id", flat=True)
    )
    sick = rng.sample(office, int(len(office) * sick_share))
    RosterEntry.objects.filter(pk__in=sick).update(
        mode="LEAVE", reason="leave", args={"kind": "sakit"}
    )
    expected = expected_days(start=day, end=day)
    start = timezone.make_aware(datetime.combine(day, clock(7, 0)))
    rows = []
    for employee_id, opd_id in Employee.objects.filter(active=True).values_list("id", "opd_id"):
        today = expected.get(employee_id, day)
        if today.working and rng.random() < CHECKED_IN:
            rows.append(
                Attendance(
                    employee_id=employee_id,
                    opd_id=opd_id,
                    date=day,
                    mode=today.mode,
                    from_approved_roster=today.approved,
                    check_in_at=start + timedelta(seconds=rng.randrange(3600)),
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=5000)
    return len(sick), len(rows)


def timed_check(day) -> tuple[float, int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from attendance.tasks import check_coverage

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = check_coverage.apply(args=[day.isoformat()]).get()
        elapsed = time.perf_counter() - start
    return elapsed, len(queries), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--sick", type=float, default=0.03)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/wfh_bench_cov"
    )
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()

    recreate_database(options.database_url)
    timings, page = [], []
    try:
        setup(options.database_url, options.employees)
        django_setup(options.database_url)
        from django.db.models import Count

        from attendance.models import CoverageAlert
        from attendance.selectors import post_coverage
        from notifications.models import Notification
        from opd.models import Employee, ServicePost

        print(f"setup: {approve_all()} rosters approved")
        print(
            f"setup: {ServicePost.objects.count()} service posts, "
            f"{Employee.objects.filter(post__isnull=False).count()} people on a post"
        )
        largest = Employee.objects.values("opd_id").annotate(n=Count("id")).order_by("-n").first()
        rng = random.Random(5)
        for offset in range(5):
            day = FIRST_MONDAY + timedelta(days=offset)
            sick, checked_in = morning(day, options.sick, rng)
            line = []
            for run in range(options.runs):
                elapsed, queries, result = timed_check(day)
                timings.append(elapsed)
                line.append(f"{elapsed:.2f} s/{queries} q")
                if run == 0:
                    found = result
            start = time.perf_counter()
            post_coverage(day, [largest["opd_id"]])
            page.append((time.perf_counter() - start) * 1000)
            print(
                f"{day:%a %d %b}: {sick} fell sick, {checked_in} checked in | "
                f"{found['posts']} posts, {found['short']} short, {found['opened']} alerts "
                f"opened, {found['closed']} closed, {found['notified']} heads told | "
                f"runs: {', '.join(line)}"
            )
        print(
            f"alerts stored: {CoverageAlert.objects.count()}, open "
            f"{CoverageAlert.objects.filter(closed_at__isnull=True).count()}; notices to heads: "
            f"{Notification.objects.filter(kind='post_short').count()}"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            recreate_database(options.database_url, drop_only=True)

    print(
        f"check: {len(timings)} runs, mean {statistics.mean(timings):.2f} s, "
        f"median {statistics.median(timings):.2f} s, max {max(timings):.2f} s"
    )
    print(
        f"one OPD's count (the day page, OPD of {largest['n']} people): "
        f"mean {statistics.mean(page):.1f} ms, max {max(page):.1f} ms"
    )
    ok = max(timings) <= BUDGET_SECONDS
    print(f"{'PASS' if ok else 'FAIL'} every check in <= {BUDGET_SECONDS} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
