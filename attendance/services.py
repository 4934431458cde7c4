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
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from notifications.services import Notice, notify, notify_many, reminders_off
from opd.access import employee_of
from opd.dates import day_text
from opd.db import placeholders
from opd.models import Employee, Opd, Role
from scheduling.calendar import holidays_between, is_working_day, week_start
from scheduling.models import Leave, Mode, Roster, RosterChange
from scheduling.roster import Reason
from scheduling.selectors import recall_candidates_by_post
from scheduling.services.changes import CHANGEABLE, ChangeError, DayChange, Rule, change_days

from . import rules
from .config import Config, config
from .coverage import PostCoverage, StoredAlert, plan_alerts
from .expected import REMOTE_MODES, Expected, OffReason
from .models import Attendance, AttendanceCorrection, CoverageAlert
from .selectors import expected_days, expected_for, post_coverage

REPORT_MAX_CHARS = 4000
USER_AGENT_MAX_CHARS = 300


class AttendanceError(Exception):
    """A check-in or check-out that cannot be done; the message is for the person."""


class EarlyCheckOut(AttendanceError):
    """A check-out long before the end of working hours that was not confirmed: nothing
    is written; the person is asked, with the grade it would get."""

    def __init__(self, grades: rules.Grades, end):
        self.grades, self.end = grades, end
        super().__init__(early_check_out_text(grades, end))


def early_check_out_text(grades: rules.Grades, end) -> str:
    """What a check-out now would be graded, said before the tap and when asking."""
    return _(
        "Jam kerja berakhir pukul {end} WIB. Pulang sekarang tercatat {code}, {minutes}."
    ).format(
        end=end.strftime("%H:%M"), code=grades.psw_code, minutes=early_text(grades.early_minutes)
    )


def early_text(minutes: int) -> str:
    """Minutes of early leave, as the check-in page says them."""
    return ngettext("{n} menit lebih awal", "{n} menit lebih awal", minutes).format(n=minutes)


def check_out_preview(record: Attendance, now: datetime) -> rules.Grades:
    """The grades a check-out at ``now`` would get (no query: the configuration is
    cached), for the page to say before the tap."""
    return _grades(
        config(), record.date, day_over=False, check_in=record.check_in_at, check_out=now
    )


def out_of_hours(now: datetime) -> rules.OutOfHours | None:
    """Whether ``now`` is far outside today's working hours (``rules.out_of_hours``)."""
    return rules.out_of_hours(_local(now), config().hours_for(timezone.localdate(now)))


def _position(lat, lon, accuracy) -> rules.Position | None:
    return rules.Position(lat, lon, accuracy) if lat is not None and lon is not None else None


def _office(employee: Employee) -> rules.Place | None:
    opd = employee.opd
    if opd.office_lat is None:
        return None
    return rules.Place(opd.office_lat, opd.office_lon, opd.geofence_radius_m)


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


def _grades(
    conf: Config, day: date, *, day_over: bool, absent=False, check_in=None, check_out=None
):
    """``rules.grade_day`` with this configuration's hours and bands for ``day``."""
    return rules.grade_day(
        absent=absent,
        check_in=_local(check_in),
        check_out=_local(check_out),
        hours=conf.hours_for(day),
        late_bands=conf.late_bands,
        early_bands=conf.early_bands,
        day_over=day_over,
    )


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
    marks = placeholders(len(columns))
    # Table and column names come from this module; every value is a bound parameter.
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) "  # noqa: S608
    sql += "ON CONFLICT (employee_id, date) DO NOTHING RETURNING id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def not_working_message(day: Expected) -> str:
    if day.off_reason == OffReason.WEEKEND:
        return _("Hari ini bukan hari kerja; tidak ada presensi.")
    if day.off_reason == OffReason.HOLIDAY:
        return _("Hari ini libur ({name}); tidak ada presensi.").format(name=day.off_detail)
    kinds = dict(Leave.Kind.choices)
    return _("Anda sedang {kind} hari ini; tidak ada presensi.").format(
        kind=kinds.get(day.off_detail, _("cuti"))
    )


@dataclass(frozen=True)
class CheckIn:
    attendance_id: int
    created: bool  # False: the employee had already checked in; nothing was written


def check_in(
    *,
    employee: Employee,
    now: datetime,
    lat=None,
    lon=None,
    accuracy=None,
    ip: str | None = None,
    user_agent: str = "",
) -> CheckIn:
    """Record the day's check-in at server time ``now``, exactly once per day.

    Raises ``AttendanceError`` on a day with nothing to check in (weekend, holiday,
    leave). A repeated submit returns the existing record and writes nothing. ``ip``
    and ``user_agent`` are what the request said about the client, kept as evidence.
    """
    conf = config()
    today = timezone.localdate(now)
    day = expected_for(employee, today)
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
            flags.append(rules.shared_coordinates_flag(len(shared)))
    grades = _grades(conf, today, day_over=False, check_in=now)
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
            "in_ip": ip,
            "in_user_agent": user_agent[:USER_AGENT_MAX_CHARS],
            "out_user_agent": "",
            "late_minutes": grades.late_minutes,
            "early_minutes": grades.early_minutes,
            "tl_code": grades.tl_code,
            "psw_code": grades.psw_code,
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
            flags = rules.with_flag(record.flags, rules.shared_coordinates_flag(1))
            if flags is not record.flags:
                record.flags = flags
                record.save(update_fields=["flags"])


def check_out(
    *,
    employee: Employee,
    now: datetime,
    lat=None,
    lon=None,
    accuracy=None,
    report: str = "",
    ip: str | None = None,
    user_agent: str = "",
    confirmed_early: bool = True,
) -> tuple[Attendance, bool]:
    """Record the day's check-out; on a WFH or WFA day the daily report is required.

    Returns ``(attendance, True)`` when recorded and ``(attendance, False)`` when it
    already was (a repeated submit). Raises ``AttendanceError`` without a check-in, and
    ``EarlyCheckOut`` (writing nothing) when it is more than
    ``rules.EARLY_CHECK_OUT_CONFIRM_MINUTES`` early and ``confirmed_early`` is False,
    which the check-in page sends unless the person confirmed.
    """
    conf = config()
    today = timezone.localdate(now)
    record = Attendance.objects.filter(employee_id=employee.pk, date=today).first()
    if record is None or not record.present:
        raise AttendanceError(_("Lakukan presensi masuk lebih dulu."))
    if record.check_out_at is not None:
        return record, False
    report = report.strip()
    if record.mode in REMOTE_MODES and not report:
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
    grades = _grades(conf, today, day_over=False, check_in=record.check_in_at, check_out=now)
    if not confirmed_early and rules.needs_early_confirmation(grades):
        raise EarlyCheckOut(grades, conf.hours_for(today)[1])
    values = {
        "check_out_at": now,
        "out_lat": lat,
        "out_lon": lon,
        "out_accuracy": accuracy,
        "out_ip": ip,
        "out_user_agent": user_agent[:USER_AGENT_MAX_CHARS],
        "early_minutes": grades.early_minutes,
        "psw_code": grades.psw_code,
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
    if not accept:
        transaction.on_commit(lambda: _tell_returned(attendance, comment))


def accept_reports(*, opd, ids, reviewer) -> tuple[int, int]:
    """The head accepts several daily reports of their OPD at once (returning one still
    needs its own comment). The rules of ``review_report`` hold: only pending reports of
    this OPD, never the reviewer's own. Returns (accepted, skipped)."""
    ids = set(ids)
    if not ids:
        raise AttendanceError(_("Pilih dulu laporan yang akan diterima."))
    accepted = (
        Attendance.objects.filter(pk__in=ids, opd=opd, report_status=Attendance.Report.PENDING)
        .exclude(employee__user_id=reviewer.pk)
        .update(
            report_status=Attendance.Report.ACCEPTED,
            report_comment="",
            reviewed_by=reviewer,
            reviewed_at=timezone.now(),
        )
    )
    return accepted, len(ids) - accepted


def _tell_returned(attendance: Attendance, comment: str) -> None:
    notify(
        recipients=[attendance.employee.user_id],
        kind="report_returned",
        key=f"report-returned:{attendance.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        title=gettext_noop("Laporan harian {date} dikembalikan"),
        body=gettext_noop("Catatan kepala OPD: {comment}\nPerbaiki lalu kirim ulang."),
        params={"date": day_text(attendance.date), "comment": comment},
        url=f"{reverse('attendance:mine')}?bulan={attendance.date:%Y-%m}",
    )


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


def _same(old, new) -> bool:
    """Whether a correction leaves a value as it was. The admin's time inputs carry
    whole seconds, so a stored 07:12:02.481 sent back unchanged is not a change."""
    if isinstance(old, datetime) and isinstance(new, datetime):
        return old.replace(microsecond=0) == new.replace(microsecond=0)
    return old == new


def correct_attendance(*, attendance: Attendance, changes: dict, user, note: str) -> list[str]:
    """BKPSDM corrects a record; each field that really changed is logged with who,
    when, old and new, and lateness and early leave are graded again.

    The corrected record must pass ``Attendance.clean`` (present needs a check-in, the
    check-out follows it, both on the record's date); otherwise ``AttendanceError``
    with the reasons and nothing is written. Returns the names of the changed fields.
    """
    note = note.strip()
    if not note:
        raise AttendanceError(_("Alasan koreksi wajib diisi."))
    conf = config()
    with transaction.atomic():
        record = Attendance.objects.select_for_update().get(pk=attendance.pk)
        before = {name: getattr(record, name) for name in CORRECTABLE}
        changed = [
            name
            for name in CORRECTABLE
            if name in changes and not _same(before[name], changes[name])
        ]
        for name in changed:
            setattr(record, name, changes[name])
        try:
            record.clean()
        except ValidationError as error:
            raise AttendanceError(" ".join(error.messages)) from None
        AttendanceCorrection.objects.bulk_create(
            AttendanceCorrection(
                attendance=record,
                changed_by=user,
                field=name,
                old_value=_as_text(before[name]),
                new_value=_as_text(changes[name]),
                note=note,
            )
            for name in changed
        )
        grades = _grades(
            conf,
            record.date,
            day_over=record.date < timezone.localdate(),
            absent=not record.present,
            check_in=record.check_in_at,
            check_out=record.check_out_at,
        )
        record.late_minutes, record.tl_code = grades.late_minutes, grades.tl_code
        record.early_minutes, record.psw_code = grades.early_minutes, grades.psw_code
        record.save()
    return changed


def _as_text(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S WIB")
    return "" if value is None else str(value)


def previous_working_day(today: date, conf: Config | None = None) -> date:
    """The last Monday-Friday before ``today`` that is not a holiday."""
    conf = conf or config()
    day = today - timedelta(days=1)
    while not is_working_day(day, holidays_between(day, day, conf.extra_holidays)):
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
    expected = expected_days(start=day, end=day)
    recorded = set(Attendance.objects.filter(date=day).values_list("employee_id", flat=True))
    no_show = _grades(conf, day, day_over=True, absent=True)
    absent = []
    for employee_id, opd_id in Employee.objects.filter(active=True).values_list("id", "opd_id"):
        today = expected.get(employee_id, day)
        if not today.working or employee_id in recorded:
            continue
        absent.append(
            Attendance(
                employee_id=employee_id,
                opd_id=opd_id,
                date=day,
                mode=today.mode,
                from_approved_roster=today.approved,
                status=Attendance.Status.ABSENT,
                late_minutes=no_show.late_minutes,
                early_minutes=no_show.early_minutes,
                tl_code=no_show.tl_code,
                psw_code=no_show.psw_code,
            )
        )
    before = Attendance.objects.filter(date=day).count()
    Attendance.objects.bulk_create(absent, batch_size=1000, ignore_conflicts=True)
    created = Attendance.objects.filter(date=day).count() - before
    # A forgotten check-out: graded as the day being over without one.
    forgotten = _grades(conf, day, day_over=True).psw_code
    forgot = Attendance.objects.filter(
        date=day, status=Attendance.Status.PRESENT, check_out_at__isnull=True
    ).exclude(psw_code=forgotten)
    missing = forgot.update(psw_code=forgotten)
    return AbsenceResult(day, created, missing)


def remind_check_in(*, day: date) -> int:
    """Tell everyone expected at work on ``day`` who has not checked in yet (and has
    not turned the reminder off); returns how many were told. Once a day: a second
    run tells nobody again."""
    expected = expected_days(start=day, end=day)
    checked_in = set(Attendance.objects.filter(date=day).values_list("employee_id", flat=True))
    off = reminders_off()
    recipients = [
        user_id
        for employee_id, user_id in Employee.objects.filter(
            active=True, user__isnull=False
        ).values_list("id", "user_id")
        if employee_id not in checked_in
        and user_id not in off
        and expected.get(employee_id, day).working
    ]
    return notify(
        recipients=recipients,
        kind="checkin_reminder",
        key=f"checkin-reminder:{day.isoformat()}",
        title=gettext_noop("Anda belum presensi masuk hari ini"),
        body=gettext_noop(
            "Presensi masuk di menu Presensi. Pengingat ini dapat dimatikan di Profil."
        ),
        url=reverse("attendance:check-in"),
    )


# Live coverage and recall (issue 9, item 6) ------------------------------------------


@dataclass(frozen=True)
class CoverageResult:
    date: date
    posts: int  # service posts checked
    short: int  # of them short now
    opened: int  # alerts opened (or opened again) by this check
    closed: int  # alerts closed because the post is covered again
    notified: int  # notices to heads


def check_coverage(day: date, opd_ids: list[int] | None = None) -> CoverageResult:
    """Count who is at the office at every service post of the OPDs (all when
    ``opd_ids`` is None) on ``day``, open or refresh an alert for each short post and
    close the alerts of posts covered again; the heads of a newly short post are told
    (in the app and by e-mail), once per opening. A constant number of queries: one
    count, one read of the day's alerts, then only bulk writes."""
    coverage = post_coverage(day, opd_ids)
    alerts = CoverageAlert.objects.filter(date=day)
    if opd_ids is not None:
        alerts = alerts.filter(post__opd_id__in=opd_ids)
    stored = {
        post_id: StoredAlert(pk, post_id, closed_at is None)
        for pk, post_id, closed_at in alerts.values_list("id", "post_id", "closed_at")
    }
    plan = plan_alerts(coverage, stored)
    now = timezone.now()
    with transaction.atomic():
        if plan.create:
            CoverageAlert.objects.bulk_create(
                [
                    CoverageAlert(
                        post_id=cover.post.id,
                        date=day,
                        required=cover.minimum,
                        onsite=cover.onsite,
                        checked_at=now,
                    )
                    for cover in plan.create
                ],
                batch_size=1000,
                ignore_conflicts=True,  # a concurrent check opened it first: the same alert
            )
        # Conditional, so that of two checks at once only one opens or closes an alert.
        if plan.reopen:
            CoverageAlert.objects.filter(
                pk__in=[alert.id for alert, _cover in plan.reopen], closed_at__isnull=False
            ).update(closed_at=None, opened_at=now)
        if plan.close:
            CoverageAlert.objects.filter(
                pk__in=[alert.id for alert, _cover in plan.close], closed_at__isnull=True
            ).update(closed_at=now)
        touched = plan.reopen + plan.refresh + plan.close
        if touched:
            CoverageAlert.objects.bulk_update(
                [
                    CoverageAlert(
                        pk=alert.id, required=cover.minimum, onsite=cover.onsite, checked_at=now
                    )
                    for alert, cover in touched
                ],
                ["required", "onsite", "checked_at"],
                batch_size=1000,
            )
        notified = _tell_heads_post_short(day, plan.newly_short) if plan.newly_short else 0
    return CoverageResult(
        day,
        len(coverage),
        sum(cover.short for cover in coverage),
        len(plan.newly_short),
        len(plan.close),
        notified,
    )


def _tell_heads_post_short(day: date, short: list[PostCoverage]) -> int:
    """The heads of each newly short post's OPD: which post, how many of how many, and
    the link to the OPD's day, where the candidates for a recall are ranked. The key
    holds the alert's opening time: a re-run tells nobody twice, a post short again
    after being covered is told again."""
    opened = dict(
        CoverageAlert.objects.filter(
            date=day, post_id__in=[cover.post.id for cover in short], closed_at__isnull=True
        ).values_list("post_id", "opened_at")
    )
    heads: dict[int, list[int]] = {}
    codes: dict[int, str] = {}
    for opd_id, user_id, code in Employee.objects.filter(
        opd_id__in={cover.opd_id for cover in short},
        role=Role.HEAD,
        active=True,
        user__isnull=False,
    ).values_list("opd_id", "user_id", "opd__code"):
        heads.setdefault(opd_id, []).append(user_id)
        codes[opd_id] = code
    notices = [
        Notice(
            recipients=tuple(heads[cover.opd_id]),
            kind="post_short",
            key=f"post-short:{cover.post.id}:{day.isoformat()}:{opened[cover.post.id]:%H%M%S%f}",
            title=gettext_noop("Pos {post} kurang petugas: {onsite} dari {minimum} di kantor"),
            body=gettext_noop(
                "{opd}, {date}: pos {post} hanya {onsite} dari minimum {minimum} orang di "
                "kantor. Buka kehadiran OPD untuk memanggil pegawai yang WFH/WFA ke kantor."
            ),
            params={
                "opd": codes[cover.opd_id],
                "post": cover.post.name,
                "onsite": cover.onsite,
                "minimum": cover.minimum,
                "date": day_text(day),
            },
            url=f"{reverse('attendance:opd-today', args=[codes[cover.opd_id]])}"
            f"?tanggal={day.isoformat()}",
        )
        for cover in short
        if cover.opd_id in heads and cover.post.id in opened
    ]
    return notify_many(notices)


def check_coverage_after_change(opd_id: int, dates: list[date]) -> CoverageResult | None:
    """``scheduling.signals.days_changed``: a change to an approved week that touches
    today (an approved sick request, a swap, a recall) re-checks that OPD's posts at
    once, so the head hears of a post left short without waiting for the next check."""
    today = timezone.localdate()
    if today not in dates or not is_working_day(
        today, holidays_between(today, today, config().extra_holidays)
    ):
        return None
    return check_coverage(today, [opd_id])


class RecallError(Exception):
    """A recall that cannot be made; the message says why, for the head."""


def _name_of(user) -> str:
    employee = employee_of(user)
    if employee is not None:
        return employee.name
    return user.get_full_name() or user.get_username()


def recall(*, opd: Opd, employee_id: int, day: date, user) -> RosterChange:
    """The head (or BKPSDM) calls someone on WFH or WFA back to the office on ``day``:
    one of the day's recall candidates of a service post of ``opd``, in a submitted or
    approved roster, today or later. The day becomes WFO with the reason "dipanggil ke
    kantor oleh <name>" through ``change_days`` (the rules, the log, the balance: the
    person is owed the day), the person is told, and the change's signal re-checks
    today's coverage, which closes the alert once the post is covered.

    The roster is locked before the candidate is checked, so a second tap waits for
    the first and is then refused: nobody is recalled twice. Raises ``RecallError``
    and writes nothing on refusal."""
    if day < timezone.localdate():
        raise RecallError(
            _(
                "Tanggal {date} sudah lewat; hanya hari ini atau sesudahnya yang dapat diubah."
            ).format(date=day_text(day))
        )
    person = Employee.objects.filter(pk=employee_id, opd=opd).values_list("name", flat=True).first()
    if person is None:
        raise RecallError(_("Pegawai itu tidak ada di OPD ini."))
    by = _name_of(user)
    with transaction.atomic():
        locked = Roster.objects.select_for_update(of=("self",)).filter(
            opd=opd, week_start=week_start(day), status__in=CHANGEABLE
        )
        if locked.first() is None:
            raise RecallError(
                _("Roster minggu itu belum diajukan atau disetujui, jadi belum dapat diubah.")
            )
        # Only to a post short of its minimum that day, as the day page offers it.
        short_posts = [cover.post.id for cover in post_coverage(day, [opd.pk]) if cover.short]
        candidate = next(
            (
                c
                for people in recall_candidates_by_post(opd.pk, day, short_posts).values()
                for c in people
                if c.employee_id == employee_id
            ),
            None,
        )
        if candidate is None:
            raise RecallError(
                _(
                    "{name} tidak sedang WFH atau WFA di pos yang kurang petugas pada {date}, "
                    "jadi tidak dapat dipanggil ke kantor (mungkin posnya sudah cukup, atau "
                    "yang bersangkutan sudah dipanggil)."
                ).format(name=person, date=day_text(day))
            )
        remote_check_in = (
            Attendance.objects.filter(employee_id=employee_id, date=day, mode__in=REMOTE_MODES)
            .values_list("mode", flat=True)
            .first()
        )
        if remote_check_in:
            raise RecallError(
                _(
                    "{name} sudah presensi masuk {mode} pada {date}, jadi tidak dipanggil ke "
                    "kantor; pilih rekan lain atau hubungi yang bersangkutan langsung."
                ).format(name=person, mode=remote_check_in, date=day_text(day))
            )
        try:
            changes = change_days(
                opd_id=opd.pk,
                changes=[DayChange(employee_id, day, Mode.WFO, Reason.RECALLED, {"by": by})],
                kind=RosterChange.Kind.RECALL,
                user=user,
                tolerate={Rule.TOO_FEW_REMOTE},
            )
        except ChangeError as error:
            raise RecallError(str(error)) from None
        if not changes:
            raise RecallError(_("{name} sudah dipanggil ke kantor.").format(name=person))
        _tell_recalled(employee_id, day, candidate.mode, by)
    return changes[0]


def _tell_recalled(employee_id: int, day: date, mode: str, by: str) -> None:
    user_id = Employee.objects.filter(pk=employee_id).values_list("user_id", flat=True).first()
    if user_id is None:
        return
    today = day == timezone.localdate()
    notify(
        recipients=[user_id],
        kind="recalled",
        key=f"recalled:{employee_id}:{day.isoformat()}:{timezone.now():%Y%m%d%H%M%S%f}",
        title=gettext_noop("Anda dipanggil ke kantor pada {date}"),
        body=gettext_noop(
            "{by} memanggil Anda ke kantor: {date} menjadi hari WFO, bukan {mode}. "
            "Presensi masuk dari kantor."
        ),
        params={"by": by, "date": day_text(day), "mode": mode},
        url=reverse("attendance:check-in") if today else reverse("scheduling:my-schedule"),
    )
