"""The nightly absence marking and BKPSDM's logged corrections."""

from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from attendance import tasks
from attendance.models import Attendance, AttendanceCorrection
from attendance.services import check_in, mark_absent, previous_working_day
from opd.models import Role
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.tests.factories import HolidayFactory, LeaveFactory

from .conftest import OFFICE, TUESDAY, assign

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-12-09 01:30 +0700", tick=False)
def test_no_shows_become_absent_once(opd, wfo_asn, wfh_asn):
    on_leave = EmployeeFactory(opd=opd)
    LeaveFactory(employee=on_leave, start=TUESDAY, end=TUESDAY)
    rostered_leave = EmployeeFactory(opd=opd)
    assign(rostered_leave, TUESDAY, "LEAVE", reason="leave", args={"kind": "sakit"})
    no_roster = EmployeeFactory(opd=opd)  # no approved roster: expected at the office
    EmployeeFactory(opd=opd, active=False)
    check_in(
        employee=wfo_asn,
        now=datetime.fromisoformat("2026-12-08T07:25+07:00"),
        lat=OFFICE[0],
        lon=OFFICE[1],
        accuracy=5,
    )

    first = mark_absent(day=TUESDAY)
    absent = Attendance.objects.filter(status="absent")
    assert {a.employee for a in absent} == {wfh_asn, no_roster}
    assert {(a.tl_code, a.psw_code) for a in absent} == {("TL4", "PSW4")}
    assert absent.get(employee=wfh_asn).mode == "WFH"
    assert first.absent == 2 and first.missing_check_out == 1
    assert Attendance.objects.get(employee=wfo_asn).psw_code == "PSW4"  # never checked out

    second = mark_absent(day=TUESDAY)
    assert (second.absent, second.missing_check_out) == (0, 0)
    assert Attendance.objects.count() == 3


@time_machine.travel("2026-12-10 01:30 +0700", tick=False)
def test_holiday_marks_nobody(opd, wfo_asn):
    HolidayFactory(date=date(2026, 12, 9), name="Libur daerah")
    assert mark_absent(day=date(2026, 12, 9)).absent == 0


def test_previous_working_day_skips_weekends_and_holidays(db):
    HolidayFactory(date=date(2026, 12, 11), name="Libur daerah")
    assert previous_working_day(date(2026, 12, 9)) == date(2026, 12, 8)
    assert previous_working_day(date(2026, 12, 14)) == date(2026, 12, 10)  # Mon -> Thu


@time_machine.travel("2026-12-09 01:30 +0700", tick=False)
def test_nightly_task_and_command_mark_the_previous_working_day(opd, wfo_asn):
    assert tasks.mark_absent.delay().get() == {
        "date": "2026-12-08",
        "absent": 1,
        "missing_check_out": 0,
    }
    out = StringIO()
    call_command("mark_absent", "--date", "2026-12-08", stdout=out)
    assert "0 pegawai ditandai tidak hadir" in out.getvalue()


@time_machine.travel("2026-12-08 10:00 +0700", tick=False)
def test_today_and_future_days_are_never_marked_absent(opd, wfo_asn):
    from django.core.management import CommandError

    from attendance.services import AttendanceError

    for day in (date(2026, 12, 8), date(2026, 12, 9)):
        with pytest.raises(AttendanceError, match="sudah lewat"):
            mark_absent(day=day)
        with pytest.raises(CommandError, match="sudah lewat"):
            call_command("mark_absent", "--date", day.isoformat(), stdout=StringIO())
    assert not Attendance.objects.exists()


def test_nightly_schedule_exists(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="attendance.tasks.mark_absent")
    assert (task.crontab.hour, task.crontab.minute) == ("1", "30")


@pytest.fixture
def bkpsdm(db):
    return EmployeeFactory(role=Role.BKPSDM, opd=OpdFactory(code="BKPSDM")).user


def correction_form(record, **changes):
    data = {
        "status": record.status,
        "mode": record.mode,
        "check_in_at_0": "",
        "check_in_at_1": "",
        "check_out_at_0": "",
        "check_out_at_1": "",
        "note": "",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_bkpsdm_correction_records_who_changed_what(login, bkpsdm, opd, wfo_asn):
    # Logged in inside the travelled time: a session made in real time would expire.
    client, user = login(bkpsdm), bkpsdm
    mark_absent(day=TUESDAY)
    record = Attendance.objects.get(employee=wfo_asn)
    url = reverse("admin:attendance_attendance_change", args=[record.pk])
    assert client.get(url).status_code == 200
    # The note is required.
    missing_note = client.post(
        url,
        correction_form(
            record, status="present", check_in_at_0="2026-12-08", check_in_at_1="07:28:00"
        ),
    )
    assert missing_note.status_code == 200
    record.refresh_from_db()
    assert record.status == "absent"
    response = client.post(
        url,
        correction_form(
            record,
            status="present",
            check_in_at_0="2026-12-08",
            check_in_at_1="07:45:00",
            note="Mesin presensi kantor mati; hadir menurut daftar manual",
        ),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.late_minutes, record.tl_code) == ("present", 15, "TL1")
    log = {c.field: c for c in AttendanceCorrection.objects.filter(attendance=record)}
    assert set(log) == {"status", "check_in_at"}
    assert (log["status"].old_value, log["status"].new_value) == ("absent", "present")
    assert log["check_in_at"].new_value == "2026-12-08 07:45:00 WIB"
    assert all(c.changed_by == user for c in log.values())


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_correction_cannot_make_present_without_a_check_in(login, bkpsdm, opd, wfo_asn):
    client = login(bkpsdm)
    mark_absent(day=TUESDAY)
    record = Attendance.objects.get(employee=wfo_asn)
    url = reverse("admin:attendance_attendance_change", args=[record.pk])
    response = client.post(url, correction_form(record, status="present", note="salah"))
    assert "Status hadir membutuhkan jam masuk." in response.content.decode()
    assert not AttendanceCorrection.objects.exists()


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_correcting_to_absent_or_clearing_a_check_out_regrades(login, bkpsdm, opd, wfo_asn):
    from attendance.services import correct_attendance

    check_in(
        employee=wfo_asn,
        now=datetime.fromisoformat("2026-12-08T07:40+07:00"),
        lat=OFFICE[0],
        lon=OFFICE[1],
        accuracy=5,
    )
    record = Attendance.objects.get()
    assert record.tl_code == "TL1"
    correct_attendance(
        attendance=record,
        user=bkpsdm,
        note="Tidak datang, salah input",
        changes={"status": "absent", "check_in_at": None},
    )
    record.refresh_from_db()
    assert (record.status, record.tl_code, record.psw_code) == ("absent", "TL4", "PSW4")
    correct_attendance(
        attendance=record,
        user=bkpsdm,
        note="Hadir menurut daftar manual",
        changes={
            "status": "present",
            "check_in_at": datetime.fromisoformat("2026-12-08T07:20+07:00"),
        },
    )
    record.refresh_from_db()
    # On time, and without a check-out on a day that has passed: the worst PSW.
    assert (record.status, record.tl_code, record.psw_code) == ("present", "", "PSW4")


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_corrected_times_must_fall_on_the_records_day(login, bkpsdm, opd, wfo_asn):
    from attendance.services import AttendanceError, correct_attendance

    check_in(employee=wfo_asn, now=datetime.fromisoformat("2026-12-08T07:20+07:00"))
    record = Attendance.objects.get()
    with pytest.raises(AttendanceError, match="pada tanggal presensi"):
        correct_attendance(
            attendance=record,
            user=bkpsdm,
            note="salah hari",
            changes={"check_out_at": datetime.fromisoformat("2026-12-09T16:00+07:00")},
        )
    record.refresh_from_db()
    assert record.check_out_at is None and not AttendanceCorrection.objects.exists()


def test_attendance_admin_is_read_only_for_adding_and_deleting(login, bkpsdm, opd, wfo_asn):
    client = login(bkpsdm)
    assert client.get(reverse("admin:attendance_attendance_add")).status_code == 403
    assert client.get(reverse("admin:attendance_attendance_changelist")).status_code == 200


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_admin_correction_onto_another_day_is_a_form_error_not_a_500(login, bkpsdm, opd, wfo_asn):
    client = login(bkpsdm)
    check_in(employee=wfo_asn, now=datetime.fromisoformat("2026-12-08T07:20:00.481+07:00"))
    record = Attendance.objects.get()
    url = reverse("admin:attendance_attendance_change", args=[record.pk])
    response = client.post(
        url,
        correction_form(
            record,
            check_in_at_0="2026-12-08",
            check_in_at_1="07:20:00",
            check_out_at_0="2026-12-09",
            check_out_at_1="16:00:00",
            note="pulang tercatat besok",
        ),
    )
    assert response.status_code == 200
    assert "Jam masuk dan pulang harus pada tanggal presensi (Sel, 8 Des 2026)." in (
        response.content.decode()
    )
    record.refresh_from_db()
    assert record.check_out_at is None and not AttendanceCorrection.objects.exists()


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_correcting_only_the_check_out_logs_only_the_check_out(login, bkpsdm, opd, wfo_asn):
    client = login(bkpsdm)
    # The server stamps fractions of a second; the admin's inputs carry whole seconds.
    check_in(employee=wfo_asn, now=datetime.fromisoformat("2026-12-08T07:20:02.481+07:00"))
    record = Attendance.objects.get()
    url = reverse("admin:attendance_attendance_change", args=[record.pk])
    response = client.post(
        url,
        correction_form(
            record,
            check_in_at_0="2026-12-08",
            check_in_at_1="07:20:02",
            check_out_at_0="2026-12-08",
            check_out_at_1="16:05:00",
            note="lupa presensi pulang",
        ),
    )
    assert response.status_code == 302
    assert list(AttendanceCorrection.objects.values_list("field", flat=True)) == ["check_out_at"]
    record.refresh_from_db()
    assert record.check_in_at.microsecond == 481000  # left exactly as recorded


@time_machine.travel("2026-12-10 10:00 +0700", tick=False)
def test_correction_service_refuses_a_check_out_without_a_check_in(bkpsdm, opd, wfo_asn):
    from attendance.services import AttendanceError, correct_attendance

    mark_absent(day=TUESDAY)
    record = Attendance.objects.get(employee=wfo_asn)
    with pytest.raises(AttendanceError, match="Jam pulang membutuhkan jam masuk"):
        correct_attendance(
            attendance=record,
            user=bkpsdm,
            note="salah",
            changes={"check_out_at": datetime.fromisoformat("2026-12-08T16:00+07:00")},
        )
    assert not AttendanceCorrection.objects.exists()


def test_a_record_on_its_own_date_with_ordered_times_is_clean(opd, wfo_asn):
    record = Attendance(
        employee=wfo_asn,
        opd=opd,
        date=TUESDAY,
        mode="WFO",
        check_in_at=datetime.fromisoformat("2026-12-08T07:00+07:00"),
        check_out_at=datetime.fromisoformat("2026-12-08T16:00+07:00"),
    )
    record.clean()  # raises nothing
    record.check_out_at = datetime.fromisoformat("2026-12-08T06:00+07:00")
    with pytest.raises(ValidationError, match="tidak boleh sebelum jam masuk"):
        record.clean()
