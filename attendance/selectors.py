"""Read-only queries for the attendance pages; each runs a fixed number of queries."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Q

from opd.models import Employee, Opd
from scheduling.calendar import holidays_between, is_working_day, month_bounds
from scheduling.models import Leave, Mode, RosterEntry, RosterStatus, mode_label
from scheduling.roster import Post, PostDay
from scheduling.selectors import Candidate, recall_candidates_by_post

from . import rules
from .config import config
from .coverage import PostCoverage
from .expected import REMOTE_MODES, Expected, OffReason, PlannedDay, expected_day
from .models import Attendance, CoverageAlert
from .texts import flag_text, flag_text_for_person


class ExpectedDays:
    """``expected_day`` for a set of people over a date range, its inputs loaded once."""

    def __init__(self, planned, leaves, holidays, conf):
        self._planned = planned  # (employee id, date) -> PlannedDay
        self._leaves = leaves  # employee id -> [(start, end, kind)]
        self._holidays = holidays
        self._conf = conf

    def get(self, employee_id: int, day: date) -> Expected:
        leave = None
        for start, end, kind in self._leaves.get(employee_id, ()):
            if start <= day <= end:
                leave = kind
                break
        return expected_day(
            day,
            planned=self._planned.get((employee_id, day)),
            holiday=self._holidays.get(day),
            leave_kind=leave,
            hours=self._conf.hours_for(day),
        )


def expected_days(
    *, start: date, end: date, employee_id: int | None = None, opd_id: int | None = None
) -> ExpectedDays:
    """What is expected of one employee, an OPD's current staff, or (neither given)
    everyone, on each day from ``start`` to ``end``.

    At most two queries: the approved roster entries, then leave, which is only read
    when some day of the range is a working day without an approved entry for
    somebody (the configuration is cached; see ``attendance.config``).
    """
    conf = config()
    scope = Q()
    if employee_id is not None:
        scope &= Q(employee_id=employee_id)
    if opd_id is not None:
        scope &= Q(employee__opd_id=opd_id)
    if employee_id is not None and opd_id is None and start == end:
        planned = _planned_one(employee_id, start)
    else:
        planned = {
            (employee, day): PlannedDay(mode, reason, args)
            for employee, day, mode, reason, args in RosterEntry.objects.filter(
                scope, date__range=(start, end), roster__status=RosterStatus.APPROVED
            ).values_list("employee_id", "date", "mode", "reason", "args")
        }
    holidays = holidays_between(start, end, conf.extra_holidays)
    open_days = [
        start + timedelta(days=n)
        for n in range((end - start).days + 1)
        if is_working_day(start + timedelta(days=n), holidays)
    ]
    leaves = defaultdict(list)
    # One person on one day is fully planned by an approved entry: leave is not needed.
    needs_leave = employee_id is None or any((employee_id, d) not in planned for d in open_days)
    if open_days and needs_leave:
        for employee, first, last, kind in Leave.objects.filter(
            scope, start__lte=end, end__gte=start
        ).values_list("employee_id", "start", "end", "kind"):
            leaves[employee].append((first, last, kind))
    return ExpectedDays(planned, dict(leaves), holidays, conf)


# The check-in page's question, twice a day for every ASN: the same query as above
# for one person and day, written out once instead of compiled by the ORM on every
# request (0.28 ms against 0.02 ms).
_PLANNED_ONE = (
    "SELECT e.mode, e.reason, e.args FROM scheduling_rosterentry e "
    "JOIN scheduling_roster r ON r.id = e.roster_id "
    "WHERE e.employee_id = %s AND e.date = %s AND r.status = %s"
)


def _planned_one(employee_id: int, day: date) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            _PLANNED_ONE,
            [employee_id, connection.ops.adapt_datefield_value(day), RosterStatus.APPROVED],
        )
        row = cursor.fetchone()
    if row is None:
        return {}
    mode, reason, args = row
    if isinstance(args, str):  # SQLite hands JSON back as text, PostgreSQL as a dict
        args = json.loads(args)
    return {(employee_id, day): PlannedDay(mode, reason, args)}


def expected_for(employee: Employee, day: date) -> Expected:
    """One person's expected day (one query with an approved roster, two without)."""
    return expected_days(start=day, end=day, employee_id=employee.pk).get(employee.pk, day)


def today_state(
    employee: Employee, today: date
) -> tuple[Expected, Attendance | None, list[Attendance]]:
    """The check-in page: the day's assignment, the record so far, and the reports the
    head returned that still wait for a correction, with the head's comment (two
    queries with an approved roster: today's record and the returned ones are one)."""
    day = expected_for(employee, today)
    record, returned = None, []
    for found in (
        Attendance.objects.filter(employee_id=employee.pk)
        .filter(Q(date=today) | Q(report_status=Attendance.Report.RETURNED))
        .order_by("date")
    ):
        if found.date == today:
            record = found
        if found.report_status == Attendance.Report.RETURNED:
            returned.append(found)
    return day, record, returned


@dataclass
class MonthRow:
    date: date
    mode: str  # planned or recorded mode, or LEAVE / HOLIDAY
    approved: bool
    detail: str
    record: Attendance | None
    flags: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return mode_label(self.mode)

    @property
    def working(self) -> bool:
        return self.mode in (Mode.WFO, *REMOTE_MODES)


def month_summary(rows: list[MonthRow], today: date) -> "RecapTotals":
    """A person's month so far: working days, days present, days without an approved
    roster (the same figures as their line of the OPD's recap)."""
    past = [r for r in rows if r.date <= today and r.working]
    return RecapTotals(
        len(past),
        sum(1 for r in past if r.record is not None and r.record.present),
        sum(1 for r in past if not r.approved),
    )


def my_month(employee: Employee, month: date) -> list[MonthRow]:
    """Every working day of the month for one employee (three queries)."""
    first, last = month_bounds(month)
    expected = expected_days(start=first, end=last, employee_id=employee.pk)
    records = {
        a.date: a
        for a in Attendance.objects.filter(employee_id=employee.pk, date__range=(first, last))
    }
    kinds = dict(Leave.Kind.choices)
    rows = []
    day = first
    while day <= last:
        if is_working_day(day):
            today = expected.get(employee.pk, day)
            record = records.get(day)
            mode = today.calendar_mode
            detail = today.off_detail
            if today.off_reason == OffReason.LEAVE:
                detail = str(kinds.get(detail, detail or kinds[Leave.Kind.ANNUAL]))
            if record is not None and record.present:
                mode = record.mode
            rows.append(
                MonthRow(
                    day,
                    mode,
                    today.approved,
                    detail,
                    record,
                    [flag_text_for_person(f) for f in record.flags] if record else [],
                )
            )
        day += timedelta(days=1)
    return rows


@dataclass
class TodayRow:
    employee: Employee
    expected: str  # WFO / WFH / WFA / LEAVE / HOLIDAY
    state: str  # a TodayState
    record: Attendance | None
    flags: list[str] = field(default_factory=list)
    leave_kind: str = ""  # Leave.Kind on a day of leave (izin, sakit, dinas luar, cuti ...)

    @property
    def label(self) -> str:
        return mode_label(self.expected)

    @property
    def leave_label(self) -> str:
        """What kind of absence it is: "izin", "cuti sakit", "dinas luar", not "cuti"."""
        kinds = dict(Leave.Kind.choices)
        return str(kinds.get(self.leave_kind, kinds[Leave.Kind.ANNUAL]))


PRESENT, ABSENT = Attendance.Status.PRESENT, Attendance.Status.ABSENT


class TodayState:
    """Where a person stands on the OPD day page (the template keys on these)."""

    NOT_YET = "not_yet"
    ABSENT = "absent"
    LATE = "late"
    IN = "in"
    OUT = "out"
    LEAVE = "leave"
    HOLIDAY = "holiday"
    CHECKED_IN = (IN, OUT, LATE)
    ATTENTION = (NOT_YET, ABSENT, LATE)  # first on the head's morning screen


STATE_ORDER = {
    TodayState.NOT_YET: 0,
    TodayState.ABSENT: 1,
    TodayState.LATE: 2,
    TodayState.IN: 3,
    TodayState.OUT: 4,
    TodayState.LEAVE: 5,
    TodayState.HOLIDAY: 6,
}


def opd_today(opd: Opd, day: date) -> tuple[list[TodayRow], dict]:
    """A day's attendance of an OPD and its counts (four queries)."""
    employees = list(
        Employee.objects.filter(opd=opd, active=True).select_related("post").order_by("name", "nip")
    )
    expected = expected_days(start=day, end=day, opd_id=opd.pk)
    records = {a.employee_id: a for a in Attendance.objects.filter(opd=opd, date=day)}
    rows = []
    for employee in employees:
        today = expected.get(employee.pk, day)
        record = records.get(employee.pk)
        if record is not None and not record.present:
            state = TodayState.ABSENT
        elif record is not None:
            state = (
                TodayState.OUT
                if record.check_out_at
                else TodayState.LATE
                if record.tl_code
                else TodayState.IN
            )
        elif today.off_reason == OffReason.LEAVE:
            state = TodayState.LEAVE
        elif not today.working:
            state = TodayState.HOLIDAY
        else:
            state = TodayState.NOT_YET
        rows.append(
            TodayRow(
                employee,
                record.mode if record and record.present else today.calendar_mode or Mode.HOLIDAY,
                state,
                record,
                [flag_text(f) for f in record.flags] if record else [],
                today.off_detail if today.off_reason == OffReason.LEAVE else "",
            )
        )
    rows.sort(key=lambda r: (STATE_ORDER[r.state], r.employee.name))
    counts = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
        if row.flags:
            counts["flagged"] += 1
        if row.state in TodayState.CHECKED_IN:
            counts[row.expected] += 1
    counts["checked_in"] = sum(counts[state] for state in TodayState.CHECKED_IN)
    return rows, dict(counts)


REPORTS_PER_PAGE = 25


@dataclass(frozen=True)
class ReportsPage:
    """One page of the daily reports waiting for review, and the days that have some."""

    reports: list[Attendance]
    days: list[tuple[date, int]]  # (day, pending reports), oldest first
    day: date | None  # the day filtered on, or None for every day
    number: int
    pages: int
    total: int  # pending reports on the filtered day (or on every day)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def pending_reports(opd: Opd, day: date | None = None, page: int = 1) -> ReportsPage:
    """Daily reports of the OPD waiting for the head's review, oldest first, one page of
    them, optionally of one day; with the count per day for the filter (two queries)."""
    pending = Attendance.objects.filter(opd=opd, report_status=Attendance.Report.PENDING)
    days = [
        (row["date"], row["n"])
        for row in pending.values("date").annotate(n=Count("id")).order_by("date")
    ]
    total = sum(n for d, n in days if day is None or d == day)
    pages = max(1, -(-total // REPORTS_PER_PAGE))
    number = min(max(1, page), pages)
    reports = []
    if total:
        chosen = pending if day is None else pending.filter(date=day)
        offset = (number - 1) * REPORTS_PER_PAGE
        reports = list(
            chosen.select_related("employee").order_by("date", "employee__name", "pk")[
                offset : offset + REPORTS_PER_PAGE
            ]
        )
    return ReportsPage(reports, days, day, number, pages, total)


@dataclass
class RecapRow:
    employee: Employee
    working_days: int  # days expected at work (office or remote) so far this month
    present: int
    late: dict[str, int]
    early: dict[str, int]
    absent: int
    wfh_days: int
    missing_reports: int
    deduction: float = 0.0  # TPP deduction of the month, percent (rules.tpp_deduction)
    unplanned: int = 0  # of the working days, those without an approved roster (WFO)

    @property
    def percent(self) -> float | None:
        return rules.presence_percent(self.present, self.working_days)


@dataclass(frozen=True)
class RecapTotals:
    working_days: int
    present: int
    unplanned: int

    @property
    def percent(self) -> float | None:
        return rules.presence_percent(self.present, self.working_days)


def recap_totals(rows) -> RecapTotals:
    return RecapTotals(
        sum(r.working_days for r in rows),
        sum(r.present for r in rows),
        sum(r.unplanned for r in rows),
    )


def _working_days(expected: ExpectedDays | None, employee_id: int, days) -> dict:
    """The working days expected of one person, and how many of them had no approved
    roster (expected at the office by the default rule)."""
    working = unplanned = 0
    if expected is not None:
        for day in days:
            today = expected.get(employee_id, day)
            if today.working:
                working += 1
                unplanned += not today.approved
    return {"working_days": working, "unplanned": unplanned}


def opd_recap(
    opd: Opd | None, month: date, today: date
) -> tuple[list[RecapRow], list[str], list[str]]:
    """A month per employee: the working days expected of them up to ``today``, days
    present, TL and PSW counts by band, absent without note, WFH/WFA days, missing
    daily reports, and the month's TPP deduction (three or four queries). ``opd`` None:
    every employee of every OPD (the finance office's file)."""
    first, last = month_bounds(month)
    conf = config()
    until = min(last, today)
    scope = opd.pk if opd is not None else None
    expected = expected_days(start=first, end=until, opd_id=scope) if until >= first else None
    days = [first + timedelta(days=n) for n in range((until - first).days + 1)]
    tl_codes = [b.code for b in sorted(conf.late_bands, key=lambda b: b.low)]
    psw_codes = [b.code for b in sorted(conf.early_bands, key=lambda b: b.low)]
    month_rows = Q(attendances__date__range=(first, last))
    annotations = {
        "present": Count("attendances", filter=month_rows & Q(attendances__status=PRESENT)),
        "absent": Count("attendances", filter=month_rows & Q(attendances__status=ABSENT)),
        "wfh_days": Count(
            "attendances",
            filter=month_rows & Q(attendances__status=PRESENT, attendances__mode__in=REMOTE_MODES),
        ),
        "missing_reports": Count(
            "attendances",
            filter=month_rows
            & Q(attendances__status=PRESENT, attendances__mode__in=REMOTE_MODES)
            & (
                Q(attendances__report="") | Q(attendances__report_status=Attendance.Report.RETURNED)
            ),
        ),
    }
    for code in tl_codes:
        annotations[f"tl_{code}"] = Count(
            "attendances", filter=month_rows & Q(attendances__tl_code=code)
        )
    for code in psw_codes:
        annotations[f"psw_{code}"] = Count(
            "attendances", filter=month_rows & Q(attendances__psw_code=code)
        )
    # The deduction counts grades on days present only (an absent day is deducted as
    # absent, not again as the highest TL and PSW it is recorded with).
    present_rows = month_rows & Q(attendances__status=PRESENT)
    for code in tl_codes:
        annotations[f"dtl_{code}"] = Count(
            "attendances", filter=present_rows & Q(attendances__tl_code=code)
        )
    for code in psw_codes:
        annotations[f"dpsw_{code}"] = Count(
            "attendances", filter=present_rows & Q(attendances__psw_code=code)
        )
    employees = (
        Employee.objects.filter(opd=opd).annotate(**annotations).order_by("name", "nip")
        if opd is not None
        else Employee.objects.select_related("opd")
        .annotate(**annotations)
        .order_by("opd__code", "name", "nip")
    )
    rows = [
        RecapRow(
            employee=e,
            **_working_days(expected, e.pk, days),
            present=e.present,
            late={code: getattr(e, f"tl_{code}") for code in tl_codes},
            early={code: getattr(e, f"psw_{code}") for code in psw_codes},
            absent=e.absent,
            wfh_days=e.wfh_days,
            missing_reports=e.missing_reports,
            deduction=rules.tpp_deduction(
                conf.late_bands + conf.early_bands,
                conf.tpp,
                {
                    **{code: getattr(e, f"dtl_{code}") for code in tl_codes},
                    **{code: getattr(e, f"dpsw_{code}") for code in psw_codes},
                },
                e.absent,
                e.missing_reports,
            ),
        )
        for e in employees
    ]
    return rows, tl_codes, psw_codes


# The coverage count, one statement for any number of employees. Each active employee of
# a post gets the day's mode as ``expected_day`` answers: the approved roster's entry;
# else, on a working day ({default}), WFO unless on leave; else none. Each post then sums
# who works that day and who is at the office (WFO, and not marked absent). {scope}
# limits it to some OPDs. Every value is a bound parameter.
_COVERAGE = """
SELECT p.id, p.opd_id, p.code, p.name, p.min_onsite,
       COALESCE(SUM(CASE WHEN x.mode IN (%s, %s, %s) THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN x.mode = %s AND NOT x.absent THEN 1 ELSE 0 END), 0)
FROM opd_servicepost p
LEFT JOIN (
    SELECT e.post_id AS post_id,
           CASE WHEN r.id IS NOT NULL THEN re.mode {default} ELSE NULL END AS mode,
           EXISTS (SELECT 1 FROM attendance_attendance a
                   WHERE a.employee_id = e.id AND a.date = %s AND a.status = %s) AS absent
    FROM opd_employee e
    LEFT JOIN scheduling_rosterentry re ON re.employee_id = e.id AND re.date = %s
    LEFT JOIN scheduling_roster r ON r.id = re.roster_id AND r.status = %s
    WHERE e.active AND e.post_id IS NOT NULL {people_scope}
) x ON x.post_id = p.id
{scope}
GROUP BY p.id, p.opd_id, p.code, p.name, p.min_onsite
ORDER BY p.opd_id, p.code
"""
_DEFAULT_WFO = """WHEN NOT EXISTS (SELECT 1 FROM scheduling_leave l
    WHERE l.employee_id = e.id AND l.start <= %s AND l."end" >= %s) THEN %s"""


def _coverage_query(day: date, opd_ids: list[int] | None) -> tuple[str, list]:
    """``_COVERAGE`` for ``day`` and the OPDs (``None``: all), with its parameters."""
    value = connection.ops.adapt_datefield_value(day)
    open_day = is_working_day(day, holidays_between(day, day, config().extra_holidays))
    scope, people_scope, scope_params = "", "", []
    if opd_ids is not None:
        scope = f"WHERE p.opd_id IN ({', '.join(['%s'] * len(opd_ids)) or 'NULL'})"
        people_scope = f"AND e.post_id IN (SELECT p.id FROM opd_servicepost p {scope})"  # noqa: S608
        scope_params = list(opd_ids)
    sql = _COVERAGE.format(
        default=_DEFAULT_WFO if open_day else "", people_scope=people_scope, scope=scope
    )
    params = [Mode.WFO.value, Mode.WFH.value, Mode.WFA.value, Mode.WFO.value]
    if open_day:
        params += [value, value, Mode.WFO.value]
    params += [value, Attendance.Status.ABSENT.value, value, RosterStatus.APPROVED.value]
    params += scope_params + scope_params
    return sql, params


def post_coverage(day: date, opd_ids: list[int] | None = None) -> list[PostCoverage]:
    """Every service post of the OPDs (all OPDs when ``opd_ids`` is None) on ``day``:
    its people working and at the office, as ``expected_day`` answers for each of them
    (see ``attendance.coverage``). One query, whatever the number of employees."""
    sql, params = _coverage_query(day, opd_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        PostCoverage(opd_id, PostDay(day, Post(pk, code, name, minimum), present, onsite))
        for pk, opd_id, code, name, minimum, present, onsite in rows
    ]


@dataclass(frozen=True)
class RecallOption:
    candidate: Candidate

    @property
    def km(self) -> float | None:
        distance = self.candidate.distance_m
        return None if distance is None else distance / 1000


@dataclass
class PostRow:
    """A service post on the OPD day page: its live count, its alert of the day, and,
    when it is short on a day not yet past, who could be recalled (ranked)."""

    cover: PostCoverage
    alert: CoverageAlert | None
    candidates: list[RecallOption] = field(default_factory=list)


def opd_coverage(opd: Opd, day: date, today: date) -> list[PostRow]:
    """Each service post of the OPD on ``day`` against its minimum (two queries, a
    third for the recall candidates when a post is short today or later)."""
    coverage = post_coverage(day, [opd.pk])
    alerts = {a.post_id: a for a in CoverageAlert.objects.filter(date=day, post__opd=opd)}
    short = [cover.post.id for cover in coverage if cover.short]
    ranked = recall_candidates_by_post(opd.pk, day, short) if short and day >= today else {}
    if ranked:
        # Whoever already checked in from home or anywhere is not called back.
        remote = set(
            Attendance.objects.filter(opd=opd, date=day, mode__in=REMOTE_MODES).values_list(
                "employee_id", flat=True
            )
        )
        ranked = {
            post: [c for c in people if c.employee_id not in remote]
            for post, people in ranked.items()
        }
    return [
        PostRow(
            cover,
            alerts.get(cover.post.id),
            [RecallOption(c) for c in ranked.get(cover.post.id, [])],
        )
        for cover in coverage
    ]
