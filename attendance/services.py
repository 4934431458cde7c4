"""Check-in, check-out, report review, corrections and the nightly absence marking.

The check-in path is the hottest in the app (every ASN, twice a day, mostly between
07:00 and 07:30), so it is written for few queries: the employee and OPD come with
the session user, the day's assignment is one query, the check-in one
``INSERT ... ON CONFLICT DO NOTHING RETURNING``, the check-out one conditional
``UPDATE``. Configuration (working hours, bands, thresholds, extra holidays) is
cached in the process for a minute; nothing here touches Redis or Celery, so
attendance keeps working when they are down.
"""

import json
import threading
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.models import Employee
from scheduling.calendar import holidays_between
from scheduling.models import Holiday, Leave, Mode, RosterEntry, RosterStatus

from . import rules
from .models import Attendance, AttendanceCorrection, AttendanceRules, Band, WorkingHours

CONFIG_TTL_SECONDS = 60
REPORT_MAX_CHARS = 4000


class AttendanceError(Exception):
    """A check-in or check-out that cannot be done; the message is for the person."""


@dataclass(frozen=True)
class Config:
    schedules: tuple  # ((start_date, end_date, {weekday: (start, end)}), ...), dated first
    late_bands: tuple[rules.Band, ...]
    early_bands: tuple[rules.Band, ...]
    thresholds: rules.Thresholds
    extra_holidays: dict

    def hours_for(self, day: date) -> tuple[time, time] | None:
        for start, end, days in self.schedules:
            if start is None or start <= day <= end:
                return days.get(day.isoweekday())
        return None


_cache: dict = {}
_cache_lock = threading.Lock()


def load_config() -> Config:
    """Read the configuration (four queries)."""
    schedules = []
    for hours in WorkingHours.objects.prefetch_related("days"):
        days = {d.weekday: (d.start, d.end) for d in hours.days.all()}
        schedules.append((hours.start_date, hours.end_date, days))
    # Dated schedules (Ramadan) win over the default one.
    schedules.sort(key=lambda s: s[0] is None)
    bands = list(Band.objects.all())
    thresholds_row = AttendanceRules.objects.filter(pk=1).first() or AttendanceRules()
    return Config(
        schedules=tuple(schedules),
        late_bands=tuple(
            rules.Band(b.code, b.min_minutes, b.max_minutes)
            for b in bands
            if b.kind == Band.Kind.LATE
        ),
        early_bands=tuple(
            rules.Band(b.code, b.min_minutes, b.max_minutes)
            for b in bands
            if b.kind == Band.Kind.EARLY
        ),
        thresholds=rules.Thresholds(
            poor_accuracy_m=thresholds_row.poor_accuracy_m,
            home_radius_m=thresholds_row.home_radius_m,
            checkout_jump_m=thresholds_row.checkout_jump_m,
        ),
        extra_holidays=dict(Holiday.objects.values_list("date", "name")),
    )


def config() -> Config:
    """The configuration, cached in this process for a minute (BKPSDM's edits in the
    admin reach every server process within that minute)."""
    now = clock.monotonic()
    cached = _cache.get("config")
    if cached is None or now - cached[0] > CONFIG_TTL_SECONDS:
        with _cache_lock:
            cached = _cache.get("config")
            if cached is None or now - cached[0] > CONFIG_TTL_SECONDS:
                cached = (now, load_config())
                _cache["config"] = cached
    return cached[1]


def forget_config() -> None:
    _cache.pop("config", None)


@dataclass(frozen=True)
class Day:
    """What an employee is expected to do on a date."""

    date: date
    working: bool
    mode: str = ""  # WFO, WFH or WFA when working
    approved: bool = False  # the mode comes from an approved roster
    off_reason: str = ""  # weekend, holiday, leave
    off_detail: str = ""
    reason: str = ""  # roster reason code
    reason_args: dict = field(default_factory=dict)
    hours: tuple[time, time] | None = None


def day_for(employee: Employee, day: date, conf: Config | None = None) -> Day:
    """The day's assignment: one query for the approved roster entry; without an
    approved roster, leave and holidays still count and the mode is WFO."""
    conf = conf or config()
    if day.isoweekday() > 5:
        return Day(day, False, off_reason="weekend")
    hours = conf.hours_for(day)
    entry = (
        RosterEntry.objects.filter(
            employee_id=employee.pk, date=day, roster__status=RosterStatus.APPROVED
        )
        .values_list("mode", "reason", "args")
        .first()
    )
    if entry is not None:
        mode, reason, args = entry
        if mode == Mode.HOLIDAY:
            return Day(
                day, False, approved=True, off_reason="holiday", off_detail=args.get("name", "")
            )
        if mode == Mode.LEAVE:
            return Day(
                day, False, approved=True, off_reason="leave", off_detail=args.get("kind", "")
            )
        return Day(day, True, mode, True, reason=reason, reason_args=args, hours=hours)
    holiday = holidays_between(day, day, conf.extra_holidays).get(day)
    if holiday:
        return Day(day, False, off_reason="holiday", off_detail=holiday)
    kind = (
        Leave.objects.filter(employee_id=employee.pk, start__lte=day, end__gte=day)
        .values_list("kind", flat=True)
        .first()
    )
    if kind:
        return Day(day, False, off_reason="leave", off_detail=kind)
    return Day(day, True, Mode.WFO, False, hours=hours)


def _position(lat, lon, accuracy) -> rules.Position | None:
    return rules.Position(lat, lon, accuracy) if lat is not None and lon is not None else None


def _office(employee: Employee) -> rules.Place | None:
    opd = employee.opd
    if opd.office_lat is None:
        return None
    return rules.Place(opd.office_lat, opd.office_lon, opd.geofence_radius_m)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _insert_check_in(values: dict) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the row's id, or None when the
    employee already has a record for the day (a double tap, a retry, a second tab)."""
    ops = connection.ops
    columns = list(values)
    params = []
    for column, value in values.items():
        if column == "check_in_at":
            value = ops.adapt_datetimefield_value(value)
        elif column == "date":
            value = ops.adapt_datefield_value(value)
        elif column == "flags":
            value = json.dumps(value)
        params.append(value)
    table = connection.ops.quote_name(Attendance._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    # Table and column names come from this module; every value is a bound parameter.
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders}) "  # noqa: S608
    sql += "ON CONFLICT (employee_id, date) DO NOTHING RETURNING id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def not_working_message(day: Day) -> str:
    if day.off_reason == "weekend":
        return _("Hari ini bukan hari kerja; tidak ada presensi.")
    if day.off_reason == "holiday":
        return _("Hari ini libur ({name}); tidak ada presensi.").format(name=day.off_detail)
    kinds = dict(Leave.Kind.choices)
    return _("Anda sedang {kind} hari ini; tidak ada presensi.").format(
        kind=kinds.get(day.off_detail, _("cuti"))
    )


@dataclass(frozen=True)
class CheckIn:
    attendance_id: int
    created: bool  # False: the employee had already checked in; nothing was written


def check_in(*, employee: Employee, now: datetime, lat=None, lon=None, accuracy=None) -> CheckIn:
    """Record the day's check-in at server time ``now``, exactly once per day.

    Raises ``AttendanceError`` on a day with nothing to check in (weekend, holiday,
    leave). A repeated submit returns the existing record and writes nothing.
    """
    conf = config()
    today = timezone.localdate(now)
    day = day_for(employee, today, conf)
    if not day.working:
        raise AttendanceError(not_working_message(day))
    position = _position(lat, lon, accuracy)
    home = (employee.home_lat, employee.home_lon) if employee.home_lat is not None else None
    flags = rules.check_in_flags(
        mode=day.mode,
        position=position,
        office=_office(employee),
        home=home,
        thresholds=conf.thresholds,
    )
    shared = []
    if position is not None and rules.shared_coordinates_suspicious(day.mode, flags):
        shared = list(
            Attendance.objects.filter(date=today, in_lat=position.lat, in_lon=position.lon)
            .exclude(employee_id=employee.pk)
            .values_list("id", flat=True)[:50]
        )
        if shared:
            flags.append({"code": rules.SHARED_COORDINATES, "args": {"others": len(shared)}})
    late = rules.late_minutes(_local(now), day.hours[0]) if day.hours else 0
    new_id = _insert_check_in(
        {
            "employee_id": employee.pk,
            "opd_id": employee.opd_id,
            "date": today,
            "mode": day.mode,
            "from_approved_roster": day.approved,
            "status": Attendance.Status.PRESENT,
            "check_in_at": now,
            "in_lat": lat,
            "in_lon": lon,
            "in_accuracy": accuracy,
            "late_minutes": late,
            "early_minutes": 0,
            "tl_code": rules.grade(late, conf.late_bands),
            "psw_code": "",
            "flags": flags,
            "report": "",
            "report_status": "",
            "report_comment": "",
        }
    )
    if new_id is None:
        existing = Attendance.objects.filter(employee_id=employee.pk, date=today)
        return CheckIn(existing.values_list("id", flat=True).get(), False)
    if shared:
        _flag_earlier_same_point(shared)
    return CheckIn(new_id, True)


def _flag_earlier_same_point(ids: list[int]) -> None:
    """The people who sent the same point earlier today get the flag too (rare path)."""
    with transaction.atomic():
        for record in Attendance.objects.select_for_update().filter(pk__in=ids):
            if not any(f["code"] == rules.SHARED_COORDINATES for f in record.flags):
                record.flags = [
                    *record.flags,
                    {"code": rules.SHARED_COORDINATES, "args": {"others": 1}},
                ]
                record.save(update_fields=["flags"])


def check_out(
    *, employee: Employee, now: datetime, lat=None, lon=None, accuracy=None, report: str = ""
) -> tuple[Attendance, bool]:
    """Record the day's check-out; on a WFH or WFA day the daily report is required.

    Returns ``(attendance, True)`` when recorded and ``(attendance, False)`` when it
    already was (a repeated submit). Raises ``AttendanceError`` without a check-in.
    """
    conf = config()
    today = timezone.localdate(now)
    record = Attendance.objects.filter(employee_id=employee.pk, date=today).first()
    if record is None or record.status != Attendance.Status.PRESENT:
        raise AttendanceError(_("Lakukan presensi masuk lebih dulu."))
    if record.check_out_at is not None:
        return record, False
    report = report.strip()
    if record.mode in (Mode.WFH, Mode.WFA) and not report:
        raise AttendanceError(
            _(
                "Hari ini Anda {mode}: tuliskan laporan kinerja harian (apa yang dihasilkan) "
                "sebelum presensi pulang."
            ).format(mode=record.mode)
        )
    if len(report) > REPORT_MAX_CHARS:
        raise AttendanceError(
            _("Laporan terlalu panjang ({n} karakter, paling banyak {limit}).").format(
                n=len(report), limit=REPORT_MAX_CHARS
            )
        )
    position = _position(lat, lon, accuracy)
    flags = rules.check_out_flags(
        check_in=_position(record.in_lat, record.in_lon, record.in_accuracy),
        position=position,
        thresholds=conf.thresholds,
    )
    hours = conf.hours_for(today)
    early = rules.early_minutes(_local(now), hours[1]) if hours else 0
    values = {
        "check_out_at": now,
        "out_lat": lat,
        "out_lon": lon,
        "out_accuracy": accuracy,
        "early_minutes": early,
        "psw_code": rules.grade(early, conf.early_bands),
        "flags": [*record.flags, *flags],
    }
    if report:
        values.update(report=report, report_status=Attendance.Report.PENDING)
    updated = Attendance.objects.filter(pk=record.pk, check_out_at__isnull=True).update(**values)
    for name, value in values.items():
        setattr(record, name, value)
    if not updated:
        record.refresh_from_db()
        return record, False
    return record, True


def review_report(*, attendance: Attendance, reviewer, accept: bool, comment: str = "") -> None:
    """The OPD head accepts a daily report or returns it with a comment."""
    comment = comment.strip()
    if attendance.employee.user_id == reviewer.pk:
        raise AttendanceError(
            _("Laporan Anda sendiri ditinjau oleh atasan atau BKPSDM, bukan oleh Anda.")
        )
    if not accept and not comment:
        raise AttendanceError(_("Tuliskan catatan: apa yang harus diperbaiki pada laporan ini."))
    if attendance.report_status != Attendance.Report.PENDING:
        raise AttendanceError(_("Laporan ini sudah ditinjau."))
    status = Attendance.Report.ACCEPTED if accept else Attendance.Report.RETURNED
    updated = Attendance.objects.filter(
        pk=attendance.pk, report_status=Attendance.Report.PENDING
    ).update(
        report_status=status,
        report_comment=comment,
        reviewed_by=reviewer,
        reviewed_at=timezone.now(),
    )
    if not updated:
        raise AttendanceError(_("Laporan ini sudah ditinjau."))


def resubmit_report(*, attendance: Attendance, report: str) -> None:
    """An ASN fixes a returned report; it waits for review again."""
    report = report.strip()
    if attendance.report_status != Attendance.Report.RETURNED:
        raise AttendanceError(_("Hanya laporan yang dikembalikan yang dapat diperbaiki."))
    if not report or len(report) > REPORT_MAX_CHARS:
        raise AttendanceError(
            _("Laporan wajib diisi, paling banyak {limit} karakter.").format(limit=REPORT_MAX_CHARS)
        )
    Attendance.objects.filter(pk=attendance.pk).update(
        report=report, report_status=Attendance.Report.PENDING
    )


CORRECTABLE = ("status", "mode", "check_in_at", "check_out_at")


def correct_attendance(*, attendance: Attendance, changes: dict, user, note: str) -> list[str]:
    """BKPSDM corrects a record; each changed field is logged with who, when, old and new,
    and lateness and early leave are graded again from the corrected times."""
    note = note.strip()
    if not note:
        raise AttendanceError(_("Alasan koreksi wajib diisi."))
    conf = config()
    changed = []
    with transaction.atomic():
        record = Attendance.objects.select_for_update().get(pk=attendance.pk)
        for name in CORRECTABLE:
            if name in changes and getattr(record, name) != changes[name]:
                AttendanceCorrection.objects.create(
                    attendance=record,
                    changed_by=user,
                    field=name,
                    old_value=_as_text(getattr(record, name)),
                    new_value=_as_text(changes[name]),
                    note=note,
                )
                setattr(record, name, changes[name])
                changed.append(name)
        for moment in (record.check_in_at, record.check_out_at):
            if moment is not None and timezone.localdate(moment) != record.date:
                raise AttendanceError(
                    _("Jam masuk dan pulang harus pada tanggal presensi ({date}).").format(
                        date=record.date.isoformat()
                    )
                )
        if record.status == Attendance.Status.PRESENT and record.check_in_at is None:
            raise AttendanceError(_("Status hadir membutuhkan jam masuk."))
        _grade(record, conf)
        record.save()
    return changed


def _grade(record: Attendance, conf: Config) -> None:
    """TL and PSW from the record as it now stands: absent is the worst of both; a
    missing check-out on a past day is the worst PSW, as the nightly job counts it."""
    if record.status == Attendance.Status.ABSENT:
        record.late_minutes = record.early_minutes = 0
        record.tl_code, record.psw_code = (
            rules.worst(conf.late_bands),
            rules.worst(conf.early_bands),
        )
        return
    hours = conf.hours_for(record.date)
    record.late_minutes = rules.late_minutes(_local(record.check_in_at), hours[0]) if hours else 0
    record.tl_code = rules.grade(record.late_minutes, conf.late_bands)
    if record.check_out_at is not None:
        record.early_minutes = (
            rules.early_minutes(_local(record.check_out_at), hours[1]) if hours else 0
        )
        record.psw_code = rules.grade(record.early_minutes, conf.early_bands)
    else:
        record.early_minutes = 0
        past = record.date < timezone.localdate()
        record.psw_code = rules.worst(conf.early_bands) if past else ""


def _as_text(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S WIB")
    return "" if value is None else str(value)


def previous_working_day(today: date, conf: Config | None = None) -> date:
    """The last Monday-Friday before ``today`` that is not a holiday."""
    conf = conf or config()
    day = today - timedelta(days=1)
    while day.isoweekday() > 5 or day in holidays_between(day, day, conf.extra_holidays):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class AbsenceResult:
    date: date
    absent: int
    missing_check_out: int


def mark_absent(*, day: date) -> AbsenceResult:
    """Mark the day's no-shows as absent (TL and PSW at their worst grade) and give a
    forgotten check-out the worst PSW grade. Idempotent: a second run adds nothing."""
    if day >= timezone.localdate():
        raise AttendanceError(
            _("Hanya hari yang sudah lewat yang dapat ditandai tidak hadir, bukan {date}.").format(
                date=day.isoformat()
            )
        )
    conf = config()
    approved = {
        employee_id: mode
        for employee_id, mode in RosterEntry.objects.filter(
            date=day, roster__status=RosterStatus.APPROVED
        ).values_list("employee_id", "mode")
    }
    on_leave = set(
        Leave.objects.filter(start__lte=day, end__gte=day).values_list("employee_id", flat=True)
    )
    is_holiday = bool(holidays_between(day, day, conf.extra_holidays))
    recorded = set(Attendance.objects.filter(date=day).values_list("employee_id", flat=True))
    absent = []
    for employee_id, opd_id in Employee.objects.filter(active=True).values_list("id", "opd_id"):
        mode = approved.get(employee_id)
        if mode in (Mode.LEAVE, Mode.HOLIDAY) or employee_id in recorded:
            continue
        if mode is None and (is_holiday or employee_id in on_leave or day.isoweekday() > 5):
            continue
        absent.append(
            Attendance(
                employee_id=employee_id,
                opd_id=opd_id,
                date=day,
                mode=mode or Mode.WFO,
                from_approved_roster=mode is not None,
                status=Attendance.Status.ABSENT,
                tl_code=rules.worst(conf.late_bands),
                psw_code=rules.worst(conf.early_bands),
            )
        )
    before = Attendance.objects.filter(date=day).count()
    Attendance.objects.bulk_create(absent, batch_size=1000, ignore_conflicts=True)
    created = Attendance.objects.filter(date=day).count() - before
    forgot = Attendance.objects.filter(
        date=day, status=Attendance.Status.PRESENT, check_out_at__isnull=True
    ).exclude(psw_code=rules.worst(conf.early_bands))
    missing = forgot.update(psw_code=rules.worst(conf.early_bands))
    return AbsenceResult(day, created, missing)
