"""Property tests: the roster rules hold on random organisations (hypothesis)."""

import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

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
    active_policy,
    plan_week,
)
from scheduling.week_check import Rule, check_week

FIRST_MONDAY = date(2026, 11, 30)
WEEKS = 4


def monday(week_index):
    return FIRST_MONDAY + timedelta(weeks=week_index)


def days_of(week_index):
    return [monday(week_index) + timedelta(days=d) for d in range(5)]


ALL_DAYS = [day for w in range(WEEKS) for day in days_of(w)]


@st.composite
def organisations(draw):
    posts = tuple(
        Post(id=100 + i, code=f"P{i}", name=f"Pos {i}", min_onsite=draw(st.integers(0, 4)))
        for i in range(draw(st.integers(0, 4)))
    )
    size = draw(st.integers(1, 30))
    people = []
    for i in range(size):
        post = draw(st.sampled_from([None, *[p.id for p in posts]]))
        people.append(
            Person(
                id=i + 1,
                nip=f"19850412201001{i + 1:04d}",
                post_id=post,
                is_head=draw(st.booleans()) if i < 2 else False,
                wfh_eligible=draw(st.integers(0, 9)) > 0,
            )
        )
    return draw(st.booleans()), tuple(people), posts


@st.composite
def policies(draw):
    kind = draw(st.sampled_from(["none", "rotation", "fixed", "wfa", "change"]))
    weekdays = frozenset(draw(st.sets(st.integers(1, 5), min_size=1)))
    ratio = draw(st.sampled_from([0.0, 0.25, 0.4, 0.5, 0.6, 1.0]))
    # Rule 8: a weekly cap on remote days, often none.
    cap = draw(st.sampled_from([None, None, 1, 2, 3]))
    end = date(2027, 12, 31)
    if kind == "none":
        return ()
    if kind == "rotation":
        return (PolicyRule(1, date(2025, 1, 1), end, PolicyKind.ROTATION, ratio, weekdays, cap),)
    if kind == "fixed":
        return (PolicyRule(1, date(2025, 1, 1), end, PolicyKind.FIXED_DAYS, 1.0, weekdays, cap),)
    if kind == "wfa":
        return (PolicyRule(1, date(2025, 1, 1), end, PolicyKind.WFA, 1.0, weekdays, cap),)
    switch = draw(st.sampled_from(ALL_DAYS))
    return (
        PolicyRule(
            1,
            date(2025, 1, 1),
            switch - timedelta(days=1),
            PolicyKind.FIXED_DAYS,
            1.0,
            frozenset({4}),
        ),
        PolicyRule(2, switch, end, PolicyKind.ROTATION, ratio, weekdays, cap),
    )


@st.composite
def calendars(draw, people):
    holidays = {d: "Libur" for d in draw(st.sets(st.sampled_from(ALL_DAYS), max_size=3))}
    leaves = defaultdict(dict)
    for person in people:
        for day in draw(st.sets(st.sampled_from(ALL_DAYS), max_size=4)):
            leaves[person.id][day] = "tahunan"
    return holidays, dict(leaves)


@st.composite
def scenarios(draw):
    essential, people, posts = draw(organisations())
    holidays, leaves = draw(calendars(people))
    return essential, people, posts, draw(policies()), holidays, leaves


def run_weeks(essential, people, posts, rules, holidays, leaves):
    """Build four consecutive weeks, carrying balances forward as the service does."""
    balances, plans = {}, []
    for w in range(WEEKS):
        plan = plan_week(
            WeekInput(monday(w), essential, people, posts, holidays, leaves, rules, balances)
        )
        balances = plan.balances
        plans.append(plan)
    return plans


def remote_groups(people, posts, rules, day, present, essential):
    """Candidates per group and each group's capacity, recomputed independently."""
    candidates = [p for p in present if not essential and not p.is_head and p.wfh_eligible]
    groups = defaultdict(list)
    for person in candidates:
        groups[person.post_id].append(person)
    minimum = {post.id: post.min_onsite for post in posts}
    on_post = Counter(p.post_id for p in present if p.post_id is not None)
    capacity = {
        key: len(members) if key is None else max(0, min(len(members), on_post[key] - minimum[key]))
        for key, members in groups.items()
    }
    return candidates, groups, capacity


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_rules_one_to_six_hold_on_every_day(scenario):
    essential, people, posts, rules, holidays, leaves = scenario
    for plan in run_weeks(*scenario):
        cells = {(e.person_id, e.date): e for e in plan.entries}
        # One entry per person per working day.
        assert len(cells) == len(plan.entries) == 5 * len(people)
        shortfalls = {(s.date, s.post_id): s for s in plan.shortfalls}
        for day in sorted({e.date for e in plan.entries}):
            today = {p.id: cells[(p.id, day)] for p in people}
            # Rule 1: a holiday is HOLIDAY for everybody.
            if day in holidays:
                assert {e.mode for e in today.values()} == {HOLIDAY}
                continue
            assert HOLIDAY not in {e.mode for e in today.values()}
            present = [p for p in people if day not in leaves.get(p.id, {})]
            # Rule 2: leave is LEAVE, and only leave.
            for person in people:
                assert (today[person.id].mode == LEAVE) == (day in leaves.get(person.id, {}))
            # Rule 3: essential OPD, not eligible, heads -> WFO.
            for person in present:
                if essential or person.is_head or not person.wfh_eligible:
                    assert today[person.id].mode == WFO
            # Rule 4: each post keeps its minimum (or everyone it has) at the office,
            # and a shortfall is recorded exactly when the minimum cannot be met.
            for post in posts:
                staff = [p for p in present if p.post_id == post.id]
                at_office = sum(today[p.id].mode == WFO for p in staff)
                assert at_office >= min(post.min_onsite, len(staff))
                short = len(staff) < post.min_onsite
                assert ((day, post.id) in shortfalls) == short
                if short:
                    assert at_office == len(staff)
                    assert shortfalls[(day, post.id)].available == len(staff)
            # Rule 5: no active policy -> WFO.
            policy = active_policy(rules, day)
            if policy is None or day.isoweekday() not in policy.weekdays:
                assert all(today[p.id].mode == WFO for p in present)
                continue
            remote = sum(today[p.id].mode in (WFH, WFA) for p in present)
            candidates, groups, capacity = remote_groups(
                people, posts, rules, day, present, essential
            )
            # Rule 6: within 1 of ratio x n, unless post minimums hold people back, or
            # rule 8 holds people who used their week's remote days at the office.
            ratio = policy.wfh_ratio if policy.mode == PolicyKind.ROTATION else 1.0
            capped = {p.id for p in candidates if today[p.id].reason == "remote_cap"}
            assert not capped or policy.max_remote_days is not None
            free = defaultdict(list)
            for person in candidates:
                if person.id not in capped:
                    free[person.post_id].append(person)
            on_post = Counter(p.post_id for p in present if p.post_id is not None)
            minimum = {post.id: post.min_onsite for post in posts}
            room = {
                key: len(members) if key is None else max(0, on_post[key] - minimum[key])
                for key, members in free.items()
            }
            held_back = sum(
                max(0.0, ratio * len(members) - min(len(members), room[key]))
                for key, members in free.items()
            )
            n, n_free = len(candidates), len(candidates) - len(capped)
            assert ratio * n_free - 1 - held_back - 1e-9 <= remote <= ratio * n + 1 + 1e-9
            gaps = {g.date for g in plan.ratio_gaps}
            if remote < ratio * n - 1 - 1e-9 and not held_back:
                assert day in gaps  # the cap, not the posts, missed the ratio: said so
            expected_mode = WFA if policy.mode == PolicyKind.WFA else WFH
            assert {today[p.id].mode for p in present} <= {WFO, expected_mode}


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_comparable_people_differ_by_at_most_one_wfh_day_over_four_weeks(scenario):
    essential, people, posts, rules, holidays, leaves = scenario
    plans = run_weeks(*scenario)
    remote = Counter(e.person_id for plan in plans for e in plan.entries if e.mode in (WFH, WFA))

    # Comparable: same post (or both back office), both eligible, same days available.
    def profile(person):
        available = tuple(
            d for d in ALL_DAYS if d not in holidays and d not in leaves.get(person.id, {})
        )
        return (person.post_id, available)

    groups = defaultdict(list)
    for person in people:
        if not essential and not person.is_head and person.wfh_eligible:
            groups[profile(person)].append(remote[person.id])
    for counts in groups.values():
        assert max(counts) - min(counts) <= 1


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_the_same_input_always_gives_the_same_plan(scenario):
    assert run_weeks(*scenario) == run_weeks(*scenario)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_every_week_the_planner_makes_passes_the_one_rule_check(scenario):
    essential, people, posts, rules, holidays, leaves = scenario
    balances = {}
    for w in range(WEEKS):
        week = WeekInput(monday(w), essential, people, posts, holidays, leaves, rules, balances)
        plan = plan_week(week)
        balances = plan.balances
        modes = {(e.person_id, e.date): e.mode for e in plan.entries}
        assert check_week(week, modes) == []


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_the_rule_check_finds_a_post_left_below_its_minimum(scenario, data):
    """Send one more person of a post home on a day its minimum is exactly met: the
    check names that post and day."""
    essential, people, posts, rules, holidays, leaves = scenario
    week = WeekInput(monday(0), essential, people, posts, holidays, leaves, rules, {})
    modes = {(e.person_id, e.date): e.mode for e in plan_week(week).entries}
    tight = [
        (day, post, person)
        for day in days_of(0)
        if day not in holidays
        for post in posts
        if post.min_onsite > 0
        for person in people
        if person.post_id == post.id
        and modes[(person.id, day)] == WFO
        and sum(modes[(p.id, day)] == WFO for p in people if p.post_id == post.id)
        == post.min_onsite
    ]
    if not tight:
        return
    day, post, person = data.draw(st.sampled_from(tight))
    modes[(person.id, day)] = WFH
    found = check_week(week, modes)
    assert any(
        v.rule == Rule.POST_MINIMUM and v.date == day and v.post_id == post.id for v in found
    )


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_rule_eight_nobody_works_remotely_more_days_a_week_than_the_cap(scenario):
    essential, people, posts, rules, holidays, leaves = scenario
    for plan in run_weeks(*scenario):
        remote = defaultdict(list)
        for entry in plan.entries:
            if entry.mode in (WFH, WFA):
                remote[entry.person_id].append(active_policy(rules, entry.date))
        for policies_used in remote.values():
            caps = [p.max_remote_days for p in policies_used if p.max_remote_days is not None]
            assert not caps or len(policies_used) <= min(caps)


def pinned_week(scenario, data):
    """The scenario's first week with up to four drawn pins and drawn balances, and the
    strategy of a (person, day) of that week."""
    essential, people, posts, rules, holidays, leaves = scenario
    ids = [p.id for p in people]
    day_pins = st.tuples(st.sampled_from(ids), st.sampled_from(days_of(0)))
    pins = data.draw(st.dictionaries(day_pins, st.sampled_from([WFO, WFH, WFA]), max_size=4))
    balances = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from([-1.5, 0.5, 1.0])))
    week = WeekInput(monday(0), essential, people, posts, holidays, leaves, rules, balances, pins)
    return week, day_pins


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_a_pin_changes_nothing_on_the_days_before_it(scenario, data):
    """What lets an adjustment compare only the days from the pinned one on."""
    week, day_pins = pinned_week(scenario, data)
    (person, day), mode = data.draw(day_pins), data.draw(st.sampled_from([WFO, WFH, WFA]))
    before = plan_week(week)
    after = plan_week(replace(week, pins={**week.pins, (person, day): mode}))
    assert [e for e in after.entries if e.date < day] == [e for e in before.entries if e.date < day]
    # And the plan lists its entries day by day, so those from a day on are a tail of it.
    dates = [e.date for e in after.entries]
    assert dates == sorted(dates)


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.data())
def test_a_plan_made_from_a_day_is_the_tail_of_the_whole_weeks_plan(scenario, data):
    """What an adjustment plans: the entries from the pinned day on, and the whole
    week's balances, shortfalls and gaps."""
    week, day_pins = pinned_week(scenario, data)
    since = data.draw(st.sampled_from(days_of(0)))
    whole, tail = plan_week(week), plan_week(week, since)
    assert tail.entries == [e for e in whole.entries if e.date >= since]
    assert (tail.balances, tail.shortfalls, tail.ratio_gaps) == (
        whole.balances,
        whole.shortfalls,
        whole.ratio_gaps,
    )


def seeded_weeks(seed):
    """Three consecutive weeks of a random OPD (posts, leave, pins, a policy that
    changes mid-week with a weekly cap), from ``random.Random(seed)``."""
    rnd = random.Random(seed)
    posts = tuple(
        Post(100 + i, f"P{i}", f"Pos {i}", rnd.randint(0, 5)) for i in range(rnd.randint(0, 4))
    )
    people = tuple(
        Person(
            id=rnd.randint(1, 10**6) * 100 + i,
            nip=f"19{rnd.randint(0, 10**15):016d}",
            post_id=rnd.choice([None, None, *[p.id for p in posts]]),
            is_head=i == 0,
            wfh_eligible=rnd.random() > 0.1,
        )
        for i in range(rnd.randint(20, 90))
    )
    switch = rnd.choice(ALL_DAYS[:15])
    policies = (
        PolicyRule(
            1,
            date(2025, 1, 1),
            switch - timedelta(days=1),
            PolicyKind.ROTATION,
            0.5,
            frozenset({2, 3, 4, 5}),
        ),
        PolicyRule(
            2,
            switch,
            date(2027, 12, 31),
            rnd.choice([PolicyKind.ROTATION, PolicyKind.WFA]),
            rnd.choice([0.4, 0.5, 0.6]),
            frozenset(rnd.sample(range(1, 6), 3)),
            rnd.choice([None, 1, 2]),
        ),
    )
    holidays = {rnd.choice(ALL_DAYS[:15]): "Libur"}
    leaves = defaultdict(dict)
    for person in rnd.sample(people, len(people) // 5):
        for day in rnd.sample(ALL_DAYS[:15], 3):
            leaves[person.id][day] = "tahunan"
    balances, plans = {}, []
    for w in range(3):
        pins = {
            (rnd.choice(people).id, rnd.choice(days_of(w))): rnd.choice([WFO, WFH, WFA])
            for _ in range(rnd.randint(0, 5))
        }
        plan = plan_week(
            WeekInput(
                monday(w), False, people, posts, holidays, dict(leaves), policies, balances, pins
            )
        )
        balances = plan.balances
        plans.append(plan)
    return plans


def test_the_plans_of_a_fixed_input_do_not_change_between_versions():
    # A faster planner must plan the same weeks: these are the plans of 20 seeded OPDs,
    # three weeks each, as the planner before issue 9's speed work made them.
    text = repr([seeded_weeks(seed) for seed in range(20)])
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "c83d8132b9801ab3ed152ee2ad885c77563e0de05eae26e423b1c6a2495919c1"
    )
    # Not trivial weeks: pins honoured, caps and posts held people at the office.
    reasons = Counter(e.reason for seed in range(20) for p in seeded_weeks(seed) for e in p.entries)
    assert {"pinned", "remote_cap", "post_minimum", "leave", "holiday"} <= set(reasons)
