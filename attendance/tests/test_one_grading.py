"""Every path that grades a day asks ``rules.grade_day``, and stores what it answers."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from attendance import rules
from attendance.demo import demo_attendance
from attendance.models import Attendance
from attendance.services import check_in, check_out, correct_attendance, mark_absent
from opd.models import Role
from opd.tests.factories import EmployeeFactory

from .conftest import OFFICE, TUESDAY, assign

WEDNESDAY = date(2026, 12, 9)


@pytest.fixture
def graded(monkeypatch):
    """Each call of ``rules.grade_day`` and its answer, in order."""
    calls = []
    real = rules.grade_day

    def spy(**kwargs):
        answer = real(**kwargs)
        calls.append(answer)
        return answer

    monkeypatch.setattr(rules, "grade_day", spy)
    return calls


def stored(record):
    record.refresh_from_db()
    return rules.Grades(record.late_minutes, record.tl_code, record.early_minutes, record.psw_code)


def test_check_in_check_out_correction_nightly_and_demo_all_grade_through_grade_day(opd, graded):
    budi = EmployeeFactory(opd=opd, name="Budi")
    sari = EmployeeFactory(opd=opd, name="Sari")
    bkpsdm = EmployeeFactory(opd=opd, role=Role.BKPSDM)

    with time_machine.travel("2026-12-08 07:52 +0700", tick=False):
        check_in(employee=budi, now=timezone.now(), lat=OFFICE[0], lon=OFFICE[1])
    record = Attendance.objects.get(employee=budi)
    assert len(graded) == 1 and graded[-1].tl_code  # 22 minutes late
    assert (record.late_minutes, record.tl_code) == (graded[-1].late_minutes, graded[-1].tl_code)

    with time_machine.travel("2026-12-08 15:10 +0700", tick=False):
        check_out(employee=budi, now=timezone.now(), lat=OFFICE[0], lon=OFFICE[1])
    assert len(graded) == 2 and graded[-1].psw_code  # 50 minutes early
    assert stored(record) == graded[-1]

    with time_machine.travel("2026-12-09 10:00 +0700", tick=False):
        correct_attendance(
            attendance=record,
            changes={"check_in_at": record.check_in_at.replace(hour=0, minute=25)},  # 07:25 WIB
            user=bkpsdm.user,
            note="jam mesin salah",
        )
    assert len(graded) == 3 and graded[-1].tl_code == ""
    assert stored(record) == graded[-1]

    before = len(graded)
    with time_machine.travel("2026-12-09 01:30 +0700", tick=False):
        mark_absent(day=TUESDAY)  # Sari never came
    absent = Attendance.objects.get(employee=sari)
    assert absent.status == Attendance.Status.ABSENT
    # Its first question is a no-show's grade (the second, a forgotten check-out's).
    assert len(graded) > before
    assert stored(absent) == graded[before]
    assert (absent.tl_code, absent.psw_code) == ("TL4", "PSW4")

    assign(budi, WEDNESDAY, "WFO")
    before = len(graded)
    assert demo_attendance(WEDNESDAY, WEDNESDAY) == 1
    assert len(graded) == before + 1
    assert stored(Attendance.objects.get(employee=budi, date=WEDNESDAY)) == graded[-1]
