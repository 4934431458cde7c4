"""The roster rules, scenario by scenario, on plain data (no database)."""

from collections import Counter
from datetime import date, timedelta

import pytest

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
    Reason,
    WeekInput,
    plan_week,
)

MONDAY = date(2026, 12, 7)  # ISO week 2026-W50
TUE, WED, THU, FRI = (MONDAY + timedelta(days=n) for n in range(1, 5))
WEEK = [MONDAY, TUE, WED, THU, FRI]
PHASE_II = PolicyRule(
    2, date(2025, 12, 2), date(2027, 12, 31), PolicyKind.ROTATION, 0.5, frozenset({2, 3, 4, 5})
)
EVERY_DAY_HALF = PolicyRule(
    3, date(2025, 1, 1), date(2027, 12, 31), PolicyKind.ROTATION, 0.5, frozenset({1, 2, 3, 4, 5})
)
THURSDAYS = PolicyRule(
    1, date(2025, 11, 1), date(2027, 12, 31), PolicyKind.FIXED_DAYS, 1.0, frozenset({4})
)
LEBARAN_WFA = PolicyRule(
    4, date(2026, 12, 7), date(2026, 12, 11), PolicyKind.WFA, 1.0, frozenset({1, 2, 3, 4, 5})
)
LOKET = Post(10, "KTP", "Loket KTP", 2)


def staff(n, *, post=None, start=1, **kwargs):
    return [
        Person(id=start + i, nip=f"1985041220100110{start + i:02d}", post_id=post, **kwargs)
        for i in range(n)
    ]


def modes(plan, day=None):
    return Counter(e.mode for e in plan.entries if day is None or e.date == day)


def grid(plan):
    return {(e.person_id, e.date): e for e in plan.entries}


def wfh_days(plan):
    return Counter(e.person_id for e in plan.entries if e.mode in (WFH, WFA))


def test_holiday_mid_week_is_holiday_for_everybody():
    # Wednesday is Christmas-like holiday; essential or not, nobody works that day.
    people = staff(4) + staff(1, start=20, is_head=True)
    plan = plan_week(
        WeekInput(
            MONDAY, False, tuple(people), holidays={WED: "Hari Raya"}, policies=(EVERY_DAY_HALF,)
        )
    )
    wednesday = [e for e in plan.entries if e.date == WED]
    assert {e.mode for e in wednesday} == {HOLIDAY} and len(wednesday) == 5
    assert wednesday[0].args == {"name": "Hari Raya"}
    assert modes(plan, TUE)[WFH] == 2


def test_holiday_also_closes_essential_opds():
    plan = plan_week(WeekInput(MONDAY, True, tuple(staff(3)), holidays={FRI: "Libur"}))
    assert modes(plan, FRI) == Counter({HOLIDAY: 3})


def test_leave_is_leave_with_its_kind():
    people = staff(2)
    plan = plan_week(
        WeekInput(MONDAY, False, tuple(people), leaves={1: {TUE: "sakit"}}, policies=(PHASE_II,))
    )
    entry = grid(plan)[(1, TUE)]
    assert (entry.mode, entry.reason, entry.args) == (LEAVE, Reason.LEAVE, {"kind": "sakit"})


@pytest.mark.parametrize(
    ("essential", "person", "reason"),
    [
        # essential OPDs: everyone at the office, even the eligible
        (True, Person(1, "198504122010011001"), Reason.ESSENTIAL),
        # staff who may not work from home
        (False, Person(1, "198504122010011001", wfh_eligible=False), Reason.NOT_ELIGIBLE),
        # OPD heads
        (False, Person(1, "198504122010011001", is_head=True), Reason.HEAD),
    ],
)
def test_always_office_staff_are_wfo_every_day(essential, person, reason):
    plan = plan_week(WeekInput(MONDAY, essential, (person,), policies=(EVERY_DAY_HALF,)))
    assert [(e.mode, e.reason) for e in plan.entries] == [(WFO, reason)] * 5


def test_no_active_policy_means_office():
    expired = PolicyRule(
        9, date(2025, 1, 1), date(2025, 12, 31), PolicyKind.ROTATION, 0.5, frozenset(range(1, 6))
    )
    plan = plan_week(WeekInput(MONDAY, False, tuple(staff(4)), policies=(expired,)))
    assert {(e.mode, e.reason, e.policy_id) for e in plan.entries} == {
        (WFO, Reason.NO_POLICY, None)
    }


def test_all_wfo_monday_then_rotation_tuesday_to_friday():
    # West Java, December 2025: Monday everyone in the office, Tue-Fri alternate.
    plan = plan_week(WeekInput(MONDAY, False, tuple(staff(6)), policies=(PHASE_II,)))
    assert modes(plan, MONDAY) == Counter({WFO: 6})
    assert {e.reason for e in plan.entries if e.date == MONDAY} == {Reason.OFFICE_DAY}
    for day in (TUE, WED, THU, FRI):
        assert modes(plan, day) == Counter({WFH: 3, WFO: 3})
    assert set(wfh_days(plan).values()) == {2}  # each person half of the rotation days


def test_rotation_with_odd_staff_stays_within_one_of_half():
    plan = plan_week(WeekInput(MONDAY, False, tuple(staff(5)), policies=(EVERY_DAY_HALF,)))
    daily = [modes(plan, day)[WFH] for day in WEEK]
    assert all(abs(n - 2.5) <= 1 for n in daily)
    assert sum(daily) in (12, 13)  # error diffusion: the week as a whole is ~50 %
    assert max(wfh_days(plan).values()) - min(wfh_days(plan).values()) <= 1


def test_tight_post_keeps_its_minimum_at_the_office():
    # Three on Loket KTP, minimum two on site: at most one of them at home per day.
    people = staff(3, post=LOKET.id) + staff(4, start=10)
    plan = plan_week(
        WeekInput(MONDAY, False, tuple(people), posts=(LOKET,), policies=(EVERY_DAY_HALF,))
    )
    for day in WEEK:
        at_office = [
            e for e in plan.entries if e.date == day and e.person_id <= 3 and e.mode == WFO
        ]
        assert len(at_office) >= 2
    held = [e for e in plan.entries if e.person_id <= 3 and e.reason == Reason.POST_MINIMUM]
    assert held and held[0].args == {"post": "Loket KTP", "min": 2}
    # The one home place rotates: over 5 days the three differ by at most one day.
    post_wfh = [wfh_days(plan)[pid] for pid in (1, 2, 3)]
    assert max(post_wfh) - min(post_wfh) <= 1


def test_post_with_minimum_equal_to_its_staff_never_goes_home():
    post = Post(10, "IGD", "IGD", 3)
    plan = plan_week(
        WeekInput(
            MONDAY, False, tuple(staff(3, post=post.id)), posts=(post,), policies=(EVERY_DAY_HALF,)
        )
    )
    assert modes(plan) == Counter({WFO: 15})
    assert {e.reason for e in plan.entries} == {Reason.POST_MINIMUM}
    assert plan.shortfalls == []


def test_leave_that_empties_a_post_below_minimum_is_a_shortfall():
    post = Post(10, "KTP", "Loket KTP", 3)
    people = staff(3, post=post.id)
    plan = plan_week(
        WeekInput(
            MONDAY,
            False,
            tuple(people),
            posts=(post,),
            leaves={1: {WED: "tahunan", THU: "tahunan"}},
            policies=(EVERY_DAY_HALF,),
        )
    )
    # Everyone left on the post is at the office; the gap is recorded per day.
    assert all(e.mode == WFO for e in plan.entries if e.person_id in (2, 3))
    assert [(s.date, s.post_code, s.required, s.available) for s in plan.shortfalls] == [
        (WED, "KTP", 3, 2),
        (THU, "KTP", 3, 2),
    ]


def test_shortfalls_are_reported_for_essential_opds_too():
    post = Post(10, "IGD", "Instalasi Gawat Darurat", 2)
    plan = plan_week(
        WeekInput(
            MONDAY,
            True,
            tuple(staff(2, post=post.id)),
            posts=(post,),
            leaves={2: {MONDAY: "sakit"}},
        )
    )
    assert [(s.date, s.available) for s in plan.shortfalls] == [(MONDAY, 1)]


def test_policy_change_mid_week():
    # Phase I (fixed Thursday) ends on Tuesday; phase II (rotation Tue-Fri) starts Wednesday.
    phase_one = PolicyRule(1, date(2026, 11, 1), TUE, PolicyKind.FIXED_DAYS, 1.0, frozenset({2}))
    phase_two = PolicyRule(
        2, WED, date(2027, 6, 30), PolicyKind.ROTATION, 0.5, frozenset({2, 3, 4, 5})
    )
    plan = plan_week(WeekInput(MONDAY, False, tuple(staff(4)), policies=(phase_one, phase_two)))
    by_day = {day: {e.policy_id for e in plan.entries if e.date == day} for day in WEEK}
    assert by_day == {MONDAY: {1}, TUE: {1}, WED: {2}, THU: {2}, FRI: {2}}
    assert modes(plan, TUE) == Counter({WFH: 4})  # phase I's fixed day
    assert modes(plan, WED) == Counter({WFH: 2, WFO: 2})


def test_fixed_thursday_sends_every_eligible_home_but_keeps_posts_staffed():
    people = staff(3, post=LOKET.id) + staff(4, start=10) + staff(1, start=20, wfh_eligible=False)
    plan = plan_week(WeekInput(MONDAY, False, tuple(people), posts=(LOKET,), policies=(THURSDAYS,)))
    thursday = grid(plan)
    assert all(thursday[(pid, THU)].mode == WFH for pid in range(10, 14))
    assert thursday[(20, THU)].mode == WFO
    assert sum(thursday[(pid, THU)].mode == WFO for pid in (1, 2, 3)) == 2
    assert modes(plan, WED) == Counter({WFO: 8})


def test_wfa_policy_gives_work_from_anywhere():
    plan = plan_week(WeekInput(MONDAY, False, tuple(staff(3)), policies=(LEBARAN_WFA,)))
    assert modes(plan) == Counter({WFA: 15})
    assert {e.reason for e in plan.entries} == {Reason.WFA}


def test_balances_carry_over_so_last_weeks_lucky_stay_in():
    people = staff(2)
    plan = plan_week(
        WeekInput(
            MONDAY,
            False,
            tuple(people),
            balances={1: 1.0, 2: 0.0},
            policies=(PolicyRule(5, MONDAY, FRI, PolicyKind.ROTATION, 0.5, frozenset({2})),),
        )
    )
    assert grid(plan)[(2, TUE)].mode == WFH and grid(plan)[(1, TUE)].mode == WFO
    assert plan.balances == {1: 0.5, 2: 0.5}


def test_same_input_gives_the_same_plan():
    people = tuple(staff(7, post=LOKET.id) + staff(9, start=20))
    week = WeekInput(
        MONDAY, False, people, posts=(LOKET,), policies=(PHASE_II,), leaves={3: {WED: "sakit"}}
    )
    assert plan_week(week) == plan_week(week)


def test_ties_fall_to_different_people_in_different_weeks():
    people = tuple(staff(2))
    policy = (
        PolicyRule(5, date(2026, 1, 1), date(2027, 1, 1), PolicyKind.ROTATION, 0.5, frozenset({2})),
    )
    winners = {
        next(
            e.person_id
            for e in plan_week(WeekInput(m, False, people, policies=policy)).entries
            if e.mode == WFH
        )
        for m in (MONDAY, MONDAY + timedelta(weeks=1))
    }
    assert winners == {1, 2}


def test_a_policy_sends_people_away_only_on_its_weekdays_in_its_own_mode_and_share():
    from scheduling.roster import remote_day, remote_mode_of, remote_share_of

    assert not remote_day(PHASE_II, MONDAY)  # Phase II keeps Monday at the office
    assert all(remote_day(PHASE_II, day) for day in (TUE, WED, THU, FRI))
    assert not remote_day(None, TUE)
    wfa = PolicyRule(4, MONDAY, FRI, PolicyKind.WFA, 0.3, frozenset({5}))
    fixed = PolicyRule(5, MONDAY, FRI, PolicyKind.FIXED_DAYS, 0.3, frozenset({5}))
    assert (remote_mode_of(PHASE_II), remote_share_of(PHASE_II)) == (WFH, 0.5)
    assert (remote_mode_of(wfa), remote_share_of(wfa)) == (WFA, 1.0)
    assert (remote_mode_of(fixed), remote_share_of(fixed)) == (WFH, 1.0)
