"""Computing the daily aggregates (``OpdDay``) from approved rosters and check-ins.

Set-based: four grouped statements whatever the number of rows, so a month of a
50,000-employee province (about a million entries and a million check-ins) is a few
seconds of database work, done by a nightly task rather than by the pages.
"""

from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from attendance.models import Attendance
from opd.db import analyze
from scheduling.models import Roster, RosterEntry, RosterStatus

from .models import DAY_MODES, GradeDay, OpdDay, Refresh

_COUNTERS = (
    "planned",
    "unrecorded",
    "records",
    "absent",
    "reports_submitted",
    "reports_accepted",
    "reports_returned",
)


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day(value) -> date:
    # SQLite returns dates of a raw query as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def aggregate_days(start: date, end: date) -> tuple[list[OpdDay], list[GradeDay]]:
    """The ``OpdDay`` and ``GradeDay`` rows for ``start``..``end`` (inclusive), computed,
    not stored."""
    entry, roster, attendance = (
        RosterEntry._meta.db_table,
        Roster._meta.db_table,
        Attendance._meta.db_table,
    )
    modes = [str(m) for m in DAY_MODES]
    marks = ", ".join(["%s"] * len(modes))
    days: dict[tuple, dict] = defaultdict(dict)
    grades: list[GradeDay] = []

    # What the approved rosters planned, and who of them has no check-in record.
    for opd_id, day, mode, planned, unrecorded in _rows(
        f"""
        SELECT r.opd_id, e.date, e.mode, COUNT(*),
               SUM(CASE WHEN a.id IS NULL THEN 1 ELSE 0 END)
        FROM {entry} e
        JOIN {roster} r ON r.id = e.roster_id
        LEFT JOIN {attendance} a ON a.employee_id = e.employee_id AND a.date = e.date
        WHERE r.status = %s AND e.date BETWEEN %s AND %s AND e.mode IN ({marks})
        GROUP BY r.opd_id, e.date, e.mode
        """,  # noqa: S608 (table names from the models; values are parameters)
        [RosterStatus.APPROVED.value, start, end, *modes],
    ):
        row = days[(opd_id, _day(day), mode)]
        row.update(planned=planned, unrecorded=unrecorded)

    # What the check-ins recorded, in the mode of the day they were made in.
    for opd_id, day, mode, records, absent, submitted, accepted, returned in _rows(
        f"""
        SELECT opd_id, date, mode, COUNT(*),
               SUM(CASE WHEN status = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN report_status <> '' THEN 1 ELSE 0 END),
               SUM(CASE WHEN report_status = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN report_status = %s THEN 1 ELSE 0 END)
        FROM {attendance}
        WHERE date BETWEEN %s AND %s
        GROUP BY opd_id, date, mode
        """,  # noqa: S608 (table names from the models; values are parameters)
        [
            Attendance.Status.ABSENT.value,
            Attendance.Report.ACCEPTED.value,
            Attendance.Report.RETURNED.value,
            start,
            end,
        ],
    ):
        days[(opd_id, _day(day), mode)].update(
            records=records,
            absent=absent,
            reports_submitted=submitted,
            reports_accepted=accepted,
            reports_returned=returned,
        )

    # Late arrivals and early leaves by grade (TL1..., PSW1...).
    for opd_id, day, mode, code, count in _rows(
        f"""
        SELECT opd_id, date, mode, tl_code, COUNT(*) FROM {attendance}
        WHERE date BETWEEN %s AND %s AND tl_code <> '' GROUP BY opd_id, date, mode, tl_code
        UNION ALL
        SELECT opd_id, date, mode, psw_code, COUNT(*) FROM {attendance}
        WHERE date BETWEEN %s AND %s AND psw_code <> '' GROUP BY opd_id, date, mode, psw_code
        """,  # noqa: S608 (table names from the models; values are parameters)
        [start, end, start, end],
    ):
        grades.append(GradeDay(opd_id=opd_id, date=_day(day), mode=mode, code=code, count=count))

    counted = [
        OpdDay(
            opd_id=opd_id,
            date=day,
            mode=mode,
            **{name: values.get(name) or 0 for name in _COUNTERS},
        )
        for (opd_id, day, mode), values in sorted(days.items())
    ]
    return counted, grades


def refresh_days(start: date, end: date) -> int:
    """Recompute and store the aggregates of ``start``..``end``; returns the rows written.
    Idempotent: the days' old rows are replaced in one transaction."""
    rows, grades = aggregate_days(start, end)
    with transaction.atomic():
        OpdDay.objects.filter(date__range=(start, end)).delete()
        GradeDay.objects.filter(date__range=(start, end)).delete()
        OpdDay.objects.bulk_create(rows, batch_size=2000)
        GradeDay.objects.bulk_create(grades, batch_size=2000)
        Refresh.objects.create(refreshed_at=timezone.now(), start=start, end=end)
        analyze(OpdDay, GradeDay)
    return len(rows)
