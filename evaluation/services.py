"""Computing the daily aggregates (``OpdDay``, ``GradeDay``, ``PostDay``) from approved
rosters and check-ins.

Set-based: five grouped statements whatever the number of rows, so a month of a
50,000-employee province (about a million entries and a million check-ins) is a few
seconds of database work, done by a nightly task rather than by the pages, and again
for the OPD-weeks a decision or a change touches (``receivers``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from attendance.models import Attendance
from opd.db import analyze, in_clause, placeholders
from opd.models import Employee
from scheduling.models import Roster, RosterEntry, RosterStatus

from .models import DAY_MODES, GradeDay, OpdDay, PostDay, Refresh

_COUNTERS = (
    "planned",
    "unrecorded",
    "records",
    "absent",
    "late",
    "early",
    "reports_submitted",
    "reports_accepted",
    "reports_returned",
)


@dataclass(frozen=True)
class Aggregates:
    days: list[OpdDay]
    grades: list[GradeDay]
    posts: list[PostDay]


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day(value) -> date:
    # SQLite returns dates of a raw query as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def aggregate_days(start: date, end: date, opd_ids=None) -> Aggregates:
    """The aggregate rows for ``start``..``end`` (inclusive) of ``opd_ids`` (None: every
    OPD), computed, not stored."""
    entry, roster, attendance, employee = (
        RosterEntry._meta.db_table,
        Roster._meta.db_table,
        Attendance._meta.db_table,
        Employee._meta.db_table,
    )
    modes = [str(m) for m in DAY_MODES]
    marks = placeholders(len(modes))
    approved = RosterStatus.APPROVED.value
    present = Attendance.Status.PRESENT.value
    roster_opds, roster_ids = in_clause("r.opd_id", opd_ids)
    record_opds, record_ids = in_clause("opd_id", opd_ids)
    days: dict[tuple, dict] = defaultdict(dict)

    # What the approved rosters planned, and who of them has no check-in record.
    for opd_id, day, mode, planned, unrecorded in _rows(
        f"""
        SELECT r.opd_id, e.date, e.mode, COUNT(*),
               SUM(CASE WHEN a.id IS NULL THEN 1 ELSE 0 END)
        FROM {entry} e
        JOIN {roster} r ON r.id = e.roster_id
        LEFT JOIN {attendance} a ON a.employee_id = e.employee_id AND a.date = e.date
        WHERE r.status = %s AND e.date BETWEEN %s AND %s AND e.mode IN ({marks}){roster_opds}
        GROUP BY r.opd_id, e.date, e.mode
        """,  # noqa: S608 (table names from the models; values are parameters)
        [approved, start, end, *modes, *roster_ids],
    ):
        days[(opd_id, _day(day), mode)].update(planned=planned, unrecorded=unrecorded)

    # What the check-ins recorded, in the mode of the day they were made in.
    for opd_id, day, mode, records, absent, late, early, submitted, accepted, returned in _rows(
        f"""
        SELECT opd_id, date, mode, COUNT(*),
               SUM(CASE WHEN status = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN status = %s AND tl_code <> '' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status = %s AND psw_code <> '' THEN 1 ELSE 0 END),
               SUM(CASE WHEN report_status <> '' THEN 1 ELSE 0 END),
               SUM(CASE WHEN report_status = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN report_status = %s THEN 1 ELSE 0 END)
        FROM {attendance}
        WHERE date BETWEEN %s AND %s{record_opds}
        GROUP BY opd_id, date, mode
        """,  # noqa: S608 (table names from the models; values are parameters)
        [
            Attendance.Status.ABSENT.value,
            Attendance.Status.PRESENT.value,
            Attendance.Status.PRESENT.value,
            Attendance.Report.ACCEPTED.value,
            Attendance.Report.RETURNED.value,
            start,
            end,
            *record_ids,
        ],
    ):
        days[(opd_id, _day(day), mode)].update(
            records=records,
            absent=absent,
            late=late,
            early=early,
            reports_submitted=submitted,
            reports_accepted=accepted,
            reports_returned=returned,
        )

    # Late arrivals and early leaves by grade (TL1..., PSW1...), days present only (an
    # absent day carries the highest grades for the TPP, but it was no late arrival).
    grades = [
        GradeDay(opd_id=opd_id, date=_day(day), mode=mode, code=code, count=count)
        for opd_id, day, mode, code, count in _rows(
            f"""
            SELECT opd_id, date, mode, tl_code, COUNT(*) FROM {attendance}
            WHERE date BETWEEN %s AND %s AND status = %s AND tl_code <> ''{record_opds}
            GROUP BY opd_id, date, mode, tl_code
            UNION ALL
            SELECT opd_id, date, mode, psw_code, COUNT(*) FROM {attendance}
            WHERE date BETWEEN %s AND %s AND status = %s AND psw_code <> ''{record_opds}
            GROUP BY opd_id, date, mode, psw_code
            """,  # noqa: S608 (table names from the models; values are parameters)
            [start, end, present, *record_ids, start, end, present, *record_ids],
        )
    ]

    # Each post's staff not on leave and of them those at the office, by day.
    posts = [
        PostDay(post_id=post_id, opd_id=opd_id, date=_day(day), present=present, onsite=onsite)
        for post_id, opd_id, day, present, onsite in _rows(
            f"""
            SELECT p.post_id, r.opd_id, e.date,
                   SUM(CASE WHEN e.mode IN ('WFO', 'WFH', 'WFA') THEN 1 ELSE 0 END),
                   SUM(CASE WHEN e.mode = 'WFO' THEN 1 ELSE 0 END)
            FROM {entry} e
            JOIN {roster} r ON r.id = e.roster_id
            JOIN {employee} p ON p.id = e.employee_id
            WHERE r.status = %s AND e.date BETWEEN %s AND %s AND p.post_id IS NOT NULL
                  AND e.mode <> 'HOLIDAY'{roster_opds}
            GROUP BY p.post_id, r.opd_id, e.date
            """,  # noqa: S608 (table names from the models; values are parameters)
            [approved, start, end, *roster_ids],
        )
    ]

    counted = [
        OpdDay(
            opd_id=opd_id,
            date=day,
            mode=mode,
            **{name: values.get(name) or 0 for name in _COUNTERS},
        )
        for (opd_id, day, mode), values in sorted(days.items())
    ]
    return Aggregates(counted, grades, posts)


def refresh_days(start: date, end: date, opd_ids=None) -> int:
    """Recompute and store the aggregates of ``start``..``end`` for ``opd_ids`` (None:
    every OPD); returns the OPD-day rows written. Idempotent: the old rows of those days
    and OPDs are replaced in one transaction."""
    found = aggregate_days(start, end, opd_ids)
    scope = {"date__range": (start, end)}
    if opd_ids is not None:
        scope["opd_id__in"] = list(opd_ids)
    with transaction.atomic():
        for model in (OpdDay, GradeDay, PostDay):
            model.objects.filter(**scope).delete()
        OpdDay.objects.bulk_create(found.days, batch_size=2000)
        GradeDay.objects.bulk_create(found.grades, batch_size=2000)
        PostDay.objects.bulk_create(found.posts, batch_size=2000)
        if opd_ids is None:
            Refresh.objects.create(refreshed_at=timezone.now(), start=start, end=end)
        analyze(OpdDay, GradeDay, PostDay)
    return len(found.days)
