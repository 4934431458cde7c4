"""What is expected of a person on a date: the pure rule, and its callers agreeing."""

from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from attendance.config import config
from attendance.expected import Expected, PlannedDay, expected_day
from attendance.models import Attendance, WorkingDay, WorkingHours
from attendance.selectors import expected_days, my_month, opd_today, today_state
from attendance.services import mark_absent
from opd.tests.factories import EmployeeFactory, OpdFactory
from scheduling.calendar import is_working_day
from scheduling.models import RosterStatus
from scheduling.tests.factories import HolidayFactory, LeaveFactory

from .conftest import OFFICE as OFFICE_POINT
from .conftest import TUESDAY, assign

HOURS = (time(7, 30), time(16, 0))
SATURDAY = date(2026, 12, 12)


@pytest.mark.parametrize(
    "scenario, day, planned, holiday, leave, expected",
    [
        # an approved roster's working mode wins, with its reason
        (
            "approved WFH",
            TUESDAY,
            PlannedDay("WFH", "rotation_wfh"),
            None,
            None,
            Expected(TUESDAY, True, "WFH", True, reason="rotation_wfh", hours=HOURS),
        ),
        # an approved roster wins over leave recorded after it was approved
        (
            "approved over leave",
            TUESDAY,
            PlannedDay("WFO", "rotation_wfo"),
            None,
            "tahunan",
            Expected(TUESDAY, True, "WFO", True, reason="rotation_wfo", hours=HOURS),
        ),
        # the roster itself may say the person is on leave
        (
            "approved LEAVE",
            TUESDAY,
            PlannedDay("LEAVE", "leave", {"kind": "sakit"}),
            None,
            None,
            Expected(TUESDAY, False, approved=True, off_reason="leave", off_detail="sakit"),
        ),
        # no roster: a holiday is a day off
        (
            "holiday",
            TUESDAY,
            None,
            "Libur daerah",
            "tahunan",
            Expected(TUESDAY, False, off_reason="holiday", off_detail="Libur daerah"),
        ),
        # no roster: leave is a day off
        (
            "leave",
            TUESDAY,
            None,
            None,
            "tahunan",
            Expected(TUESDAY, False, off_reason="leave", off_detail="tahunan"),
        ),
        # weekends are off
        ("weekend", SATURDAY, None, None, None, Expected(SATURDAY, False, off_reason="weekend")),
        # never built or not approved: the documented default, WFO, not from a roster
        (
            "no roster",
            TUESDAY,
            None,
            None,
            None,
            Expected(TUESDAY, True, "WFO", False, hours=HOURS),
        ),
    ],
)
def test_expected_day_follows_roster_then_holiday_then_leave_then_weekend(
    scenario, day, planned, holiday, leave, expected
):
    hours = HOURS if is_working_day(day) else None
    assert expected_day(day, planned=planned, holiday=holiday, leave_kind=leave, hours=hours) == (
        expected
    )


def test_is_working_day_is_monday_to_friday_less_holidays():
    assert is_working_day(TUESDAY)
    assert not is_working_day(SATURDAY)
    assert not is_working_day(TUESDAY, {TUESDAY: "Libur daerah"})


# --- The former four callers agree -----------------------------------------------


@pytest.fixture
def cases(opd):
    """One person per case on Tuesday 8 December 2026, in Dinas Kominfo."""
    people = {}

    def person(name, where=opd):
        people[name] = EmployeeFactory(opd=where, name=name)
        return people[name]

    assign(person("approved WFH"), TUESDAY, "WFH")
    # A roster is one per OPD and week: the draft one belongs to another OPD.
    assign(
        person("draft WFH", OpdFactory(code="BAPPEDA")), TUESDAY, "WFH", status=RosterStatus.DRAFT
    )
    person("never built")
    LeaveFactory(employee=person("on leave"), start=TUESDAY, end=TUESDAY, kind="sakit")
    return people


# name -> (working, mode when working)
AGREED = {
    "approved WFH": (True, "WFH"),
    "draft WFH": (True, "WFO"),
    "never built": (True, "WFO"),
    "on leave": (False, ""),
}


def _callers(people, day):
    """What each caller says of each person: (working, mode)."""
    answers = {}
    for name, employee in people.items():
        state, _record, _returned = today_state(employee, day)
        [month_row] = [r for r in my_month(employee, day) if r.date == day]
        answers[("check-in page", name)] = (state.working, state.mode)
        answers[("my month", name)] = (
            month_row.mode in ("WFO", "WFH", "WFA"),
            month_row.mode if month_row.mode in ("WFO", "WFH", "WFA") else "",
        )
    for opd in {employee.opd for employee in people.values()}:
        for row in opd_today(opd, day)[0]:
            working = row.state == "not_yet"
            answers[("OPD day", row.employee.name)] = (working, row.expected if working else "")
    return answers


@time_machine.travel("2026-12-08 07:00 +0700", tick=False)
def test_check_in_page_my_month_and_opd_day_agree_on_every_case(cases):
    answers = _callers(cases, TUESDAY)
    for (caller, name), answer in answers.items():
        assert answer == AGREED[name], (caller, name)
    assert len(answers) == 3 * len(AGREED)


@time_machine.travel("2026-12-09 01:30 +0700", tick=False)
def test_nightly_marking_agrees_with_the_check_in_page(cases):
    mark_absent(day=TUESDAY)
    absent = dict(Attendance.objects.filter(date=TUESDAY).values_list("employee__name", "mode"))
    working = {name: mode for name, (ok, mode) in AGREED.items() if ok}
    assert absent == working


@time_machine.travel("2026-12-08 07:00 +0700", tick=False)
def test_a_holiday_and_a_weekend_are_off_for_every_caller(opd):
    HolidayFactory(date=TUESDAY, name="Libur daerah")
    employee = EmployeeFactory(opd=opd, name="Budi")
    assert not today_state(employee, TUESDAY)[0].working
    assert not today_state(employee, SATURDAY)[0].working
    [row] = [r for r in my_month(employee, TUESDAY) if r.date == TUESDAY]
    assert (row.mode, row.detail) == ("HOLIDAY", "Libur daerah")
    assert not any(r.date == SATURDAY for r in my_month(employee, TUESDAY))
    [today] = opd_today(opd, TUESDAY)[0]
    assert today.state == "holiday"


@time_machine.travel("2026-12-08 07:00 +0700", tick=False)
def test_a_ramadan_schedule_gives_its_own_hours(opd):
    ramadan = WorkingHours.objects.create(
        name="Ramadan", start_date=date(2026, 12, 7), end_date=date(2026, 12, 11)
    )
    WorkingDay.objects.create(hours=ramadan, weekday=2, start=time(8, 0), end=time(15, 0))
    employee = EmployeeFactory(opd=opd)
    assert today_state(employee, TUESDAY)[0].hours == (time(8, 0), time(15, 0))
    assert today_state(employee, date(2026, 12, 15))[0].hours == HOURS


def test_expected_days_loads_a_range_in_at_most_two_queries(
    opd, cases, django_assert_max_num_queries
):
    ids = [e.pk for e in cases.values() if e.opd == opd]
    config()
    with django_assert_max_num_queries(2):
        # approved roster entries, leave (configuration warmed by the first call)
        expected_days(start=TUESDAY, end=TUESDAY, opd_id=opd.pk)
    with django_assert_max_num_queries(2):
        week = expected_days(start=date(2026, 12, 7), end=date(2026, 12, 13), opd_id=opd.pk)
        assert [week.get(i, TUESDAY).working for i in ids] == [True, True, False]


@time_machine.travel("2026-12-08 07:00 +0700", tick=False)
def test_the_check_in_page_shows_the_default_when_no_roster_was_built(client, login, opd):
    employee = EmployeeFactory(opd=opd)
    body = login(employee.user).get(reverse("attendance:check-in")).content.decode()
    assert "WFO" in body and 'name="action"' in body


@time_machine.travel("2026-12-14 01:30 +0700", tick=False)
def test_the_nightly_marking_leaves_a_holiday_and_a_weekend_alone_like_the_other_callers(opd):
    HolidayFactory(date=TUESDAY, name="Libur daerah")
    EmployeeFactory(opd=opd, name="Budi")
    for day in (TUESDAY, SATURDAY):
        mark_absent(day=day)
    assert not Attendance.objects.exists()
    # The working day after it is marked as the others expect it: WFO by the default.
    mark_absent(day=date(2026, 12, 9))
    assert list(Attendance.objects.values_list("mode", "status")) == [
        ("WFO", Attendance.Status.ABSENT)
    ]


@pytest.mark.parametrize(
    "day, late",
    [
        # Ramadan hours 08:00-15:00 that week: 07:50 is on time everywhere.
        (TUESDAY, False),
        # The usual 07:30-16:00 the week after: 07:50 is 20 minutes late everywhere.
        (date(2026, 12, 15), True),
    ],
)
def test_every_caller_grades_a_ramadan_date_by_its_own_hours(opd, day, late):
    from attendance.services import check_in

    ramadan = WorkingHours.objects.create(
        name="Ramadan", start_date=date(2026, 12, 7), end_date=date(2026, 12, 11)
    )
    WorkingDay.objects.create(hours=ramadan, weekday=2, start=time(8, 0), end=time(15, 0))
    employee = EmployeeFactory(opd=opd, name="Budi")
    at = f"{day.isoformat()} 07:50 +0700"
    with time_machine.travel(at, tick=False):
        from django.utils import timezone

        check_in(employee=employee, now=timezone.now(), lat=OFFICE_POINT[0], lon=OFFICE_POINT[1])
        record = Attendance.objects.get(employee=employee, date=day)
        # The check-in's grade, the OPD day page's state and "Kehadiran saya".
        assert (record.late_minutes > 0) is late
        assert record.late_minutes == (20 if late else 0)
        [row] = opd_today(opd, day)[0]
        assert row.state == ("late" if late else "in")
        [month_row] = [r for r in my_month(employee, day) if r.date == day]
        assert month_row.record == record
