"""Read-only queries for the attendance pages; each runs a fixed number of queries."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from opd.models import Employee, Opd
from scheduling.calendar import check_year, holidays_between
from scheduling.models import Leave, Mode, RosterEntry, RosterStatus, mode_label

from .models import Attendance
from .services import Day, config, day_for
from .texts import flag_text


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(text: str) -> date:
    """``"2026-12"`` -> 1 December 2026; ``ValueError`` with a readable message otherwise."""
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        first = date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(
            _('Bulan harus ditulis seperti 2026-12 (tahun-bulan), bukan "{v}".').format(v=text)
        ) from None
    check_year(first.year)
    return first


def today_state(employee: Employee, today: date) -> tuple[Day, Attendance | None]:
    """The check-in page: the day's assignment and the record so far (two queries)."""
    day = day_for(employee, today)
    record = Attendance.objects.filter(employee_id=employee.pk, date=today).first()
    return day, record


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


def my_month(employee: Employee, month: date) -> list[MonthRow]:
    """Every working day of the month for one employee (three queries)."""
    first, last = month_bounds(month)
    conf = config()
    entries = {
        day: (mode, args)
        for day, mode, args in RosterEntry.objects.filter(
            employee_id=employee.pk, date__range=(first, last), roster__status=RosterStatus.APPROVED
        ).values_list("date", "mode", "args")
    }
    records = {
        a.date: a
        for a in Attendance.objects.filter(employee_id=employee.pk, date__range=(first, last))
    }
    leaves = list(
        Leave.objects.filter(employee_id=employee.pk, start__lte=last, end__gte=first).values_list(
            "start", "end", "kind"
        )
    )
    holidays = holidays_between(first, last, conf.extra_holidays)
    kinds = dict(Leave.Kind.choices)
    rows = []
    day = first
    while day <= last:
        if day.isoweekday() <= 5:
            record = records.get(day)
            mode, args = entries.get(day, ("", {}))
            approved = bool(mode)
            detail = ""
            if not mode:
                leave = next((k for s, e, k in leaves if s <= day <= e), None)
                if day in holidays:
                    mode, detail = Mode.HOLIDAY, holidays[day]
                elif leave:
                    mode, detail = Mode.LEAVE, str(kinds.get(leave, leave))
                else:
                    mode = Mode.WFO
            elif mode == Mode.HOLIDAY:
                detail = args.get("name", "")
            elif mode == Mode.LEAVE:
                detail = str(kinds.get(args.get("kind"), _("cuti")))
            if record is not None:
                mode = record.mode if record.status == Attendance.Status.PRESENT else mode
            rows.append(
                MonthRow(
                    day,
                    mode,
                    approved,
                    detail,
                    record,
                    [flag_text(f) for f in record.flags] if record else [],
                )
            )
        day += timedelta(days=1)
    return rows


@dataclass
class TodayRow:
    employee: Employee
    expected: str  # WFO / WFH / WFA / LEAVE / HOLIDAY
    state: str  # in, out, late, not_yet, absent, leave, holiday
    record: Attendance | None
    flags: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return mode_label(self.expected)


STATE_ORDER = {"not_yet": 0, "absent": 1, "late": 2, "in": 3, "out": 4, "leave": 5, "holiday": 6}


def opd_today(opd: Opd, day: date) -> tuple[list[TodayRow], dict]:
    """Today's attendance of an OPD and its counts (four queries)."""
    conf = config()
    employees = list(
        Employee.objects.filter(opd=opd, active=True).select_related("post").order_by("name", "nip")
    )
    entries = dict(
        RosterEntry.objects.filter(
            roster__opd=opd, roster__status=RosterStatus.APPROVED, date=day
        ).values_list("employee_id", "mode")
    )
    records = {a.employee_id: a for a in Attendance.objects.filter(opd=opd, date=day)}
    on_leave = set(
        Leave.objects.filter(employee__opd=opd, start__lte=day, end__gte=day).values_list(
            "employee_id", flat=True
        )
    )
    holiday = bool(holidays_between(day, day, conf.extra_holidays)) or day.isoweekday() > 5
    rows = []
    for employee in employees:
        expected = entries.get(employee.pk)
        if expected is None:
            expected = (
                Mode.HOLIDAY if holiday else Mode.LEAVE if employee.pk in on_leave else Mode.WFO
            )
        record = records.get(employee.pk)
        if record is not None and record.status == Attendance.Status.ABSENT:
            state = "absent"
        elif record is not None:
            state = "out" if record.check_out_at else "late" if record.tl_code else "in"
        elif expected == Mode.LEAVE:
            state = "leave"
        elif expected == Mode.HOLIDAY:
            state = "holiday"
        else:
            state = "not_yet"
        rows.append(
            TodayRow(
                employee,
                record.mode if record and record.status == "present" else expected,
                state,
                record,
                [flag_text(f) for f in record.flags] if record else [],
            )
        )
    rows.sort(key=lambda r: (STATE_ORDER[r.state], r.employee.name))
    counts = defaultdict(int)
    for row in rows:
        counts[row.state] += 1
        if row.flags:
            counts["flagged"] += 1
        if row.state in ("in", "out", "late"):
            counts[row.expected] += 1
    counts["checked_in"] = counts["in"] + counts["out"] + counts["late"]
    return rows, dict(counts)


REPORTS_PER_PAGE = 200


def pending_reports(opd: Opd) -> tuple[list[Attendance], bool]:
    """Daily reports of the OPD waiting for the head's review, the oldest 200 first, and
    whether there are more (one query)."""
    reports = list(
        Attendance.objects.filter(opd=opd, report_status=Attendance.Report.PENDING)
        .select_related("employee")
        .order_by("date", "employee__name")[: REPORTS_PER_PAGE + 1]
    )
    return reports[:REPORTS_PER_PAGE], len(reports) > REPORTS_PER_PAGE


@dataclass
class RecapRow:
    employee: Employee
    present: int
    late: dict[str, int]
    early: dict[str, int]
    absent: int
    wfh_days: int
    missing_reports: int


def opd_recap(opd: Opd, month: date) -> tuple[list[RecapRow], list[str], list[str]]:
    """A month per employee: days present, TL and PSW counts by band, absent without
    note, WFH/WFA days, missing daily reports (two queries)."""
    first, last = month_bounds(month)
    conf = config()
    tl_codes = [b.code for b in sorted(conf.late_bands, key=lambda b: b.low)]
    psw_codes = [b.code for b in sorted(conf.early_bands, key=lambda b: b.low)]
    month_rows = Q(attendances__date__range=(first, last))
    annotations = {
        "present": Count("attendances", filter=month_rows & Q(attendances__status="present")),
        "absent": Count("attendances", filter=month_rows & Q(attendances__status="absent")),
        "wfh_days": Count(
            "attendances",
            filter=month_rows
            & Q(attendances__status="present", attendances__mode__in=["WFH", "WFA"]),
        ),
        "missing_reports": Count(
            "attendances",
            filter=month_rows
            & Q(attendances__status="present", attendances__mode__in=["WFH", "WFA"])
            & (Q(attendances__report="") | Q(attendances__report_status="returned")),
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
    employees = Employee.objects.filter(opd=opd).annotate(**annotations).order_by("name", "nip")
    rows = [
        RecapRow(
            employee=e,
            present=e.present,
            late={code: getattr(e, f"tl_{code}") for code in tl_codes},
            early={code: getattr(e, f"psw_{code}") for code in psw_codes},
            absent=e.absent,
            wfh_days=e.wfh_days,
            missing_reports=e.missing_reports,
        )
        for e in employees
    ]
    return rows, tl_codes, psw_codes
