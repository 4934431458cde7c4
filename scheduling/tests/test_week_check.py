"""The one rule check: each rule's violation, found and told in words a head can act on."""

from datetime import date

import pytest
from django.utils import translation

from scheduling.reasons import violation_text
from scheduling.roster import (
    HOLIDAY,
    LEAVE,
    WFA,
    WFH,
    WFO,
    Person,
    PolicyKind,
    PolicyRule,
    Post,
    WeekInput,
    plan_week,
)
from scheduling.week_check import Rule, check_week

MONDAY = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)
LOKET = Post(10, "KTP", "Loket KTP", 3)
ROTATION = PolicyRule(
    1, date(2026, 1, 1), date(2027, 12, 31), PolicyKind.ROTATION, 0.5, frozenset({2, 3, 4, 5})
)


def person(pid, post=None, head=False, eligible=True):
    return Person(pid, f"1985041220100100{pid:02d}", post, head, eligible)


def week(**changes):
    people = (
        person(1, head=True),
        *(person(pid, post=LOKET.id) for pid in (2, 3, 4, 5)),
        *(person(pid) for pid in range(6, 12)),
    )
    values = {
        "week_start": MONDAY,
        "essential": False,
        "people": people,
        "posts": (LOKET,),
        "policies": (ROTATION,),
    }
    values.update(changes)
    return WeekInput(**values)


def planned(w):
    return {(e.person_id, e.date): e.mode for e in plan_week(w).entries}


def rules_of(found):
    return {v.rule for v in found}


def test_the_planned_week_has_no_violation():
    w = week()
    assert check_week(w, planned(w)) == []


def test_sending_a_counter_clerk_home_below_the_minimum_names_post_day_and_counts():
    w = week()
    modes = planned(w)
    at_counter = [pid for pid in (2, 3, 4, 5) if modes[(pid, TUESDAY)] == WFO]
    assert len(at_counter) == 3  # the minimum, with one of four at home
    modes[(at_counter[0], TUESDAY)] = WFH
    found = check_week(w, modes)
    [violation] = [v for v in found if v.rule == Rule.POST_MINIMUM]
    assert (violation.date, violation.post_id) == (TUESDAY, LOKET.id)
    with translation.override("id"):
        assert violation_text(violation) == (
            "pos Loket KTP tinggal 2 dari 3 orang di kantor pada Sel, 8 Des"
        )
    with translation.override("en"):
        assert "Loket KTP" in violation_text(violation)
        assert "2" in violation_text(violation) and "3" in violation_text(violation)


def test_a_post_short_because_of_leave_is_no_violation_when_everyone_left_is_in():
    leave = {pid: {TUESDAY: "sakit"} for pid in (2, 3)}
    w = week(leaves=leave)
    modes = planned(w)
    assert [m for (pid, d), m in modes.items() if d == TUESDAY and pid in (4, 5)] == [WFO, WFO]
    assert check_week(w, modes) == []
    modes[(4, TUESDAY)] = WFH
    assert Rule.POST_MINIMUM in rules_of(check_week(w, modes))


def test_the_head_working_from_home_breaks_rule_three_by_name():
    w = week()
    modes = planned(w)
    modes[(1, TUESDAY)] = WFH
    [violation] = [v for v in check_week(w, modes) if v.rule == Rule.MUST_BE_AT_OFFICE]
    with translation.override("id"):
        assert violation_text(violation, {1: "Budi"}) == (
            "Budi adalah kepala OPD dan harus di kantor pada Sel, 8 Des"
        )


def test_monday_is_an_office_day_under_a_tuesday_to_friday_policy():
    w = week()
    modes = planned(w)
    modes[(6, MONDAY)] = WFH
    assert rules_of(check_week(w, modes)) >= {Rule.NOT_A_REMOTE_DAY}


def test_wfa_is_not_a_mode_of_a_wfh_rotation():
    w = week()
    modes = planned(w)
    home = next(pid for pid in range(6, 12) if modes[(pid, TUESDAY)] == WFH)
    modes[(home, TUESDAY)] = WFA
    assert Rule.WRONG_REMOTE_MODE in rules_of(check_week(w, modes))


@pytest.mark.parametrize(
    ("mode", "rule"), [(WFO, Rule.TOO_FEW_REMOTE), (WFH, Rule.TOO_MANY_REMOTE)]
)
def test_everyone_at_the_office_or_everyone_home_misses_the_ratio(mode, rule):
    w = week()
    modes = planned(w)
    for pid in range(6, 12):
        modes[(pid, TUESDAY)] = mode
    assert rule in rules_of(check_week(w, modes))


def test_leave_holiday_and_a_missing_day_are_each_named():
    w = week(leaves={6: {TUESDAY: "tahunan"}}, holidays={date(2026, 12, 11): "Libur"})
    modes = planned(w)
    modes[(6, TUESDAY)] = WFO  # on leave, planned at the office
    modes[(7, date(2026, 12, 11))] = WFO  # a holiday
    modes[(8, date(2026, 12, 9))] = HOLIDAY  # not a holiday
    modes[(9, date(2026, 12, 10))] = LEAVE  # no leave that day
    del modes[(10, MONDAY)]
    found = {(v.rule, v.person_id, v.date) for v in check_week(w, modes)}
    assert {
        (Rule.LEAVE, 6, TUESDAY),
        (Rule.HOLIDAY, 7, date(2026, 12, 11)),
        (Rule.HOLIDAY, 8, date(2026, 12, 9)),
        (Rule.LEAVE, 9, date(2026, 12, 10)),
        (Rule.MISSING, 10, MONDAY),
    } <= found


def test_a_post_that_leave_left_below_its_minimum_says_so_in_the_reason():
    w = week(leaves={pid: {TUESDAY: "sakit"} for pid in (2, 3)})
    modes = planned(w)
    modes[(4, TUESDAY)] = WFH  # two left of a minimum of three: both must stay
    [violation] = [v for v in check_week(w, modes) if v.rule == Rule.POST_MINIMUM]
    with translation.override("id"):
        assert violation_text(violation) == (
            "pos Loket KTP tinggal 1 orang di kantor pada Sel, 8 Des, padahal minimum 3 "
            "dan hanya 2 yang tidak cuti: semuanya harus di kantor"
        )
