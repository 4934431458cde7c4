"""Lateness grades and location flags, on plain values."""

from datetime import datetime, time

import pytest

from attendance import rules
from attendance.rules import Band, Place, Position, Thresholds

TL = [Band("TL1", 1, 30), Band("TL2", 31, 60), Band("TL3", 61, 90), Band("TL4", 91, None)]
START, END = time(7, 30), time(16, 0)
OFFICE = Place(-6.2383, 106.9920, 150)
HOME = (-6.2600, 107.0100)
LIMITS = Thresholds(poor_accuracy_m=100, home_radius_m=1000, checkout_jump_m=2000)


def at(hh, mm, ss=0):
    return datetime(2026, 12, 8, hh, mm, ss)


@pytest.mark.parametrize(
    ("moment", "minutes", "grade"),
    [
        (at(7, 0), 0, ""),  # early
        (at(7, 30, 0), 0, ""),  # exactly on time
        (at(7, 30, 59), 0, ""),  # within the first minute: still on time
        (at(7, 31, 0), 1, "TL1"),  # TL1 starts at one whole minute
        (at(8, 0, 0), 30, "TL1"),  # TL1 upper edge
        (at(8, 0, 59), 30, "TL1"),
        (at(8, 1, 0), 31, "TL2"),  # TL2 lower edge
        (at(8, 30, 0), 60, "TL2"),  # TL2 upper edge
        (at(8, 31, 0), 61, "TL3"),
        (at(9, 0, 0), 90, "TL3"),  # TL3 upper edge
        (at(9, 1, 0), 91, "TL4"),  # over 90
        (at(13, 0, 0), 330, "TL4"),
    ],
)
def test_late_arrival_band_edges(moment, minutes, grade):
    late = rules.late_minutes(moment, START)
    assert late == minutes
    assert rules.grade(late, TL) == grade


@pytest.mark.parametrize(
    ("moment", "minutes", "grade"),
    [
        (at(16, 30), 0, ""),  # after the end
        (at(16, 0, 0), 0, ""),
        (at(15, 59, 1), 0, ""),  # less than a whole minute early
        (at(15, 59, 0), 1, "PSW1"),
        (at(15, 30, 0), 30, "PSW1"),
        (at(15, 29, 0), 31, "PSW2"),
        (at(15, 0, 0), 60, "PSW2"),
        (at(14, 59, 0), 61, "PSW3"),
        (at(14, 30, 0), 90, "PSW3"),
        (at(14, 29, 0), 91, "PSW4"),
    ],
)
def test_early_leave_band_edges(moment, minutes, grade):
    psw = [Band(b.code.replace("TL", "PSW"), b.low, b.high) for b in TL]
    early = rules.early_minutes(moment, END)
    assert early == minutes
    assert rules.grade(early, psw) == grade


def test_missing_check_in_is_the_worst_band():
    assert rules.worst(TL) == "TL4"
    assert rules.worst([Band("TL1", 1, 30), Band("TL2", 31, 60)]) == "TL2"
    assert rules.worst([]) == ""


def test_distance_is_in_metres():
    # One degree of latitude is about 111.2 km.
    assert rules.distance_m(0, 0, 1, 0) == pytest.approx(111_195, rel=1e-3)
    assert rules.distance_m(-6.2383, 106.992, -6.2383, 106.992) == 0


def flags(mode, position, *, office=OFFICE, home=HOME):
    return [
        f["code"]
        for f in rules.check_in_flags(
            mode=mode, position=position, office=office, home=home, thresholds=LIMITS
        )
    ]


def test_no_location_is_flagged_not_refused():
    assert flags("WFO", None) == [rules.NO_LOCATION]


def test_wfo_inside_the_geofence_is_clean():
    assert flags("WFO", Position(-6.2385, 106.9921, 12)) == []


def test_wfo_outside_the_geofence_says_how_far():
    [flag] = rules.check_in_flags(
        mode="WFO",
        position=Position(-6.2500, 106.9920, 10),
        office=OFFICE,
        home=None,
        thresholds=LIMITS,
    )
    assert flag["code"] == rules.OUTSIDE_OFFICE
    assert flag["args"] == {"distance_m": 1301, "limit_m": 150}


def test_wfh_far_from_registered_home_is_flagged_only_when_home_is_known():
    beach = Position(-6.9000, 107.6000, 10)
    assert flags("WFH", beach) == [rules.FAR_FROM_HOME]
    assert rules.FAR_FROM_HOME not in flags("WFH", beach, home=None)
    assert flags("WFH", Position(-6.2601, 107.0101, 10)) == []


@pytest.mark.parametrize(
    "mode, office, home, place",
    [
        ("WFO", None, HOME, "office"),  # the OPD has no office position on record
        ("WFH", OFFICE, None, "home"),  # the employee registered no home
    ],
)
def test_a_position_with_nothing_to_compare_is_flagged_for_review(mode, office, home, place):
    found = rules.check_in_flags(
        mode=mode,
        position=Position(-90.0, 180.0, 10),
        office=office,
        home=home,
        thresholds=LIMITS,
    )
    assert {"code": rules.NO_REFERENCE, "args": {"place": place}} in found


def test_a_checkable_position_gets_no_unknown_reference_flag():
    assert rules.NO_REFERENCE not in flags("WFO", Position(-6.2385, 106.9921, 12))
    assert rules.NO_REFERENCE not in flags("WFH", Position(-6.2601, 107.0101, 10))
    assert rules.NO_REFERENCE not in flags("WFA", Position(-8.65, 115.21, 10), home=None)


def test_wfa_has_no_place_to_be():
    assert flags("WFA", Position(-8.65, 115.21, 10)) == []


@pytest.mark.parametrize(
    ("accuracy", "expected"),
    [(0, [rules.ZERO_ACCURACY]), (101, [rules.POOR_ACCURACY]), (100, []), (None, [])],
)
def test_accuracy_flags(accuracy, expected):
    assert flags("WFA", Position(-6.2, 106.9, accuracy)) == expected


def test_check_out_far_from_check_in():
    [flag] = rules.check_out_flags(
        check_in=Position(-6.2383, 106.9920, 10),
        position=Position(-6.30, 106.99, 10),
        thresholds=LIMITS,
    )
    assert flag["code"] == rules.CHECKOUT_FAR and flag["args"]["distance_m"] > 2000
    assert rules.check_out_flags(check_in=None, position=None, thresholds=LIMITS) == [
        {"code": rules.NO_LOCATION, "args": {"at": "out"}}
    ]


def test_shared_point_matters_at_home_not_on_the_office_wifi():
    assert not rules.shared_coordinates_suspicious("WFO", [])
    assert rules.shared_coordinates_suspicious("WFO", [{"code": rules.OUTSIDE_OFFICE, "args": {}}])
    assert rules.shared_coordinates_suspicious("WFH", [])


TL = [Band("TL1", 1, 30), Band("TL2", 31, 60), Band("TL3", 61, 90), Band("TL4", 91, None)]
PSW = [Band("PSW1", 1, 30), Band("PSW2", 31, 60), Band("PSW3", 61, 90), Band("PSW4", 91, None)]
WORKDAY = (time(7, 30), time(16, 0))


@pytest.mark.parametrize(
    "scenario, absent, check_in, check_out, day_over, expected",
    [
        # absent: the worst of both, no minutes
        ("absent", True, None, None, True, rules.Grades(0, "TL4", 0, "PSW4")),
        # checked in late, the day goes on: TL only
        ("late, day on", False, "07:45", None, False, rules.Grades(15, "TL1", 0, "")),
        # no check-out once the day is over: the worst PSW
        ("forgot out", False, "07:20", None, True, rules.Grades(0, "", 0, "PSW4")),
        # both times: each graded
        ("both", False, "08:31", "15:00", True, rules.Grades(61, "TL3", 60, "PSW2")),
        # on time and staying late: nothing
        ("clean", False, "07:30", "16:30", True, rules.Grades(0, "", 0, "")),
    ],
)
def test_grade_day_is_the_one_place_tl_and_psw_are_decided(
    scenario, absent, check_in, check_out, day_over, expected
):
    def at(text):
        return datetime.fromisoformat(f"2026-12-08T{text}") if text else None

    assert (
        rules.grade_day(
            absent=absent,
            check_in=at(check_in),
            check_out=at(check_out),
            hours=WORKDAY,
            late_bands=TL,
            early_bands=PSW,
            day_over=day_over,
        )
        == expected
    )


def test_grade_day_without_working_hours_grades_nothing():
    grades = rules.grade_day(
        absent=False,
        check_in=datetime(2026, 12, 8, 11, 0),
        check_out=datetime(2026, 12, 8, 12, 0),
        hours=None,
        late_bands=TL,
        early_bands=PSW,
        day_over=True,
    )
    assert grades == rules.Grades(0, "", 0, "")
