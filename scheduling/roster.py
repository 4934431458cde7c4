"""Who works where on each day of a week, for one OPD. Pure: plain data in, plan out.

``plan_week`` applies the rules in this order, for every working day (Mon-Fri):

1. a holiday is ``HOLIDAY`` for everybody;
2. leave is ``LEAVE``;
3. essential OPDs, staff who may not work from home, and OPD heads are ``WFO``;
4. every service post keeps at least ``min_onsite`` of its present staff at ``WFO``;
   when leave leaves fewer than that, all of them are at the office and the gap is
   reported as a ``Shortfall``;
5. with no active policy, or on a weekday the policy keeps at the office, ``WFO``;
6. otherwise the OPD's eligible, present staff go remote in the policy's proportion
   (``rotation``: ``wfh_ratio``; ``fixed_days`` and ``wfa``: everybody), split over its
   groups (each post, and the back office) in proportion to their size, within the
   room rule 4 leaves; the OPD total is within 1 of ``ratio x n`` unless rule 4 holds
   people back;
7. inside a group the remote places go to the people with the lowest *balance*: WFH
   days received minus the fair share of the days they were available for. Balances
   carry over from earlier weeks (``WeekInput.balances``), so over consecutive weeks
   people of the same group with the same available days differ by at most one WFH day;
8. a policy may cap the remote days per person per week (``max_remote_days``,
   PermenPANRB 4/2025 Article 13): whoever has used them is ``WFO`` for the rest of the
   week, and a day whose remote places the cap leaves unfilled is reported as a
   ``RatioGap`` instead of the ratio being missed silently.

Ties are broken by NIP, rotated by the week, so the same input always gives the same
plan and the same people do not win every tie.

*Pins* (``WeekInput.pins``: a head's adjustment, person and day -> mode) are planner
input, not edits: inside a group, people pinned to the remote mode are chosen first
and people pinned to ``WFO`` last, so the rules above still decide how many places
each group has, and everybody else is planned around the pins. A pin the rules leave
no room for is not honoured (``unhonoured_pins`` says which); the adjustment service
refuses such a pin before storing it.
"""

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from operator import attrgetter
from typing import NamedTuple

from .calendar import working_days

WFH, WFA, WFO, LEAVE, HOLIDAY = "WFH", "WFA", "WFO", "LEAVE", "HOLIDAY"


class PolicyKind:
    """How a policy sends people out of the office (``Policy.mode`` holds one)."""

    ROTATION = "rotation"  # wfh_ratio of the eligible staff on the policy's weekdays
    FIXED_DAYS = "fixed_days"  # everybody eligible works from home on those weekdays
    WFA = "wfa"  # everybody eligible works from anywhere on those weekdays


class Reason:
    HOLIDAY = "holiday"
    LEAVE = "leave"
    ESSENTIAL = "essential"
    HEAD = "head"
    NOT_ELIGIBLE = "not_eligible"
    NO_POLICY = "no_policy"
    REMOTE_CAP = "remote_cap"
    PINNED = "pinned"
    OFFICE_DAY = "office_day"
    POST_MINIMUM = "post_minimum"
    ROTATION_WFO = "rotation_wfo"
    ROTATION_WFH = "rotation_wfh"
    FIXED_WFH = "fixed_wfh"
    WFA = "wfa"
    # Changes to a submitted or approved week (services.changes), never planned:
    SWAPPED = "swapped"  # args: {"with": colleague's name}
    RECALLED = "recalled"  # args: {"by": who recalled}
    REQUESTED = "requested"  # args: {"mode": "WFA"|"WFH"}, a request the head approved


# Reasons under which a person was one of the day's remote candidates: their fairness
# balance was charged the day's share, so a change of mode moves their balance.
CANDIDATE_REASONS = frozenset(
    {
        Reason.ROTATION_WFH,
        Reason.ROTATION_WFO,
        Reason.FIXED_WFH,
        Reason.WFA,
        Reason.PINNED,
        Reason.POST_MINIMUM,
        Reason.REMOTE_CAP,
        Reason.SWAPPED,
        Reason.RECALLED,
        Reason.REQUESTED,
    }
)


class Person(NamedTuple):
    """Someone the planner places: a named tuple like ``Entry`` (the input of a
    100,000-employee week makes 100,000 of these, and an adjustment 1,000). Its repr is
    the one a frozen dataclass had, which the input digest hashes
    (test_the_input_digest_of_a_week_does_not_change_between_versions)."""

    id: int
    nip: str
    post_id: int | None = None
    is_head: bool = False
    wfh_eligible: bool = True


# The order the planner ranks people in (ties rotate over it), a function in C.
BY_NIP = attrgetter("nip")


@dataclass(frozen=True)
class Post:
    id: int
    code: str
    name: str
    min_onsite: int


@dataclass(frozen=True)
class PolicyRule:
    id: int
    start: date
    end: date
    mode: str
    wfh_ratio: float
    weekdays: frozenset[int]
    # Rule 8: remote days per person per week at most (None: no cap).
    max_remote_days: int | None = None


@dataclass(frozen=True)
class WeekInput:
    week_start: date
    essential: bool
    people: tuple[Person, ...]
    posts: tuple[Post, ...] = ()
    holidays: Mapping[date, str] = field(default_factory=dict)
    # person id -> date -> kind of leave
    leaves: Mapping[int, Mapping[date, str]] = field(default_factory=dict)
    policies: tuple[PolicyRule, ...] = ()
    # person id -> balance carried from earlier weeks (missing = 0)
    balances: Mapping[int, float] = field(default_factory=dict)
    # (person id, date) -> mode a head pinned (WFO, or the policy's remote mode)
    pins: Mapping[tuple[int, date], str] = field(default_factory=dict)


class Entry(NamedTuple):
    """One person's mode on one day, with the reason and its arguments.

    A named tuple, not a frozen dataclass like the rest of this module: a plan makes
    5,000 of these for an OPD of 1,000 and 500,000 for a province of 100,000, and a
    named tuple is made in 1.4 ms per 5,000 where the frozen dataclass took 3.3 ms
    (2.1 ms with its instance dictionary set at once). Just as immutable."""

    person_id: int
    date: date
    mode: str
    reason: str
    args: Mapping[str, object]
    policy_id: int | None


# ``Entry((...))`` without the named tuple's own ``__new__``, a Python function: a plan
# makes one entry per person and day, and this way each costs half as much (0.4 us
# instead of 0.8 us on the 2-core machine; 2 ms of an adjustment for an OPD of 1,000).
_entry = partial(tuple.__new__, Entry)


@dataclass(frozen=True)
class Shortfall:
    date: date
    post_id: int
    post_code: str
    post_name: str
    required: int
    available: int


@dataclass(frozen=True)
class PostDay:
    """One service post on one day: how many of its staff are present (not on leave)
    and how many of them are at the office. The one home of the post-minimum
    arithmetic: the planner (rule 4's room and shortfalls), the rule check
    (``week_check``) and the roster grid's coverage row all read it."""

    date: date | None
    post: Post
    present: int
    onsite: int = 0

    @property
    def required(self) -> int:
        """At the office at least: the minimum, or everyone present when fewer."""
        return min(self.post.min_onsite, self.present)

    @property
    def room(self) -> int:
        """How many of the present staff may be away from the office."""
        return max(0, self.present - self.post.min_onsite)

    @property
    def understaffed(self) -> bool:
        """Leave left fewer than the minimum: a shortfall no plan can fix."""
        return self.present < self.post.min_onsite

    @property
    def short(self) -> bool:
        """Fewer at the office than ``required``: a plan or a change broke rule 4."""
        return self.onsite < self.required


def post_days(day, posts, present, modes) -> list[PostDay]:
    """Each post (sorted by code) on ``day``: its staff among ``present`` (anything with
    ``id`` and ``post_id``), and those ``modes`` (person id -> mode; None to skip)
    puts at ``WFO``."""
    counts: dict[int, int] = defaultdict(int)
    onsite: dict[int, int] = defaultdict(int)
    for person in present:
        if person.post_id is not None:
            counts[person.post_id] += 1
            if modes is not None and modes.get(person.id) == WFO:
                onsite[person.post_id] += 1
    return [
        PostDay(day, post, counts[post.id], onsite[post.id])
        for post in sorted(posts, key=lambda p: p.code)
    ]


@dataclass(frozen=True)
class RatioGap:
    """A policy day on which the weekly cap (rule 8) left remote places unfilled."""

    date: date
    wanted: int  # remote places the ratio asks for
    planned: int  # remote places given
    capped: int  # people held at the office by the cap
    cap: int


@dataclass(frozen=True)
class WeekPlan:
    # Day by day: all of a day's entries come before the next day's.
    entries: list[Entry]
    shortfalls: list[Shortfall]
    balances: dict[int, float]
    ratio_gaps: list[RatioGap] = field(default_factory=list)


def remote_day(policy: PolicyRule | None, day: date) -> bool:
    """Whether ``policy`` (the one in force on ``day``, or None) sends its eligible staff
    away from the office on ``day``: one of its weekdays (the rest are office days)."""
    return policy is not None and day.isoweekday() in policy.weekdays


def remote_mode_of(policy: PolicyRule) -> str:
    """The mode a policy's remote days have: WFA under a WFA policy, otherwise WFH."""
    return WFA if policy.mode == PolicyKind.WFA else WFH


def remote_share_of(policy: PolicyRule) -> float:
    """The share of the eligible staff a policy sends away on its remote days:
    ``wfh_ratio`` for a rotation, everybody for fixed days and WFA."""
    return policy.wfh_ratio if policy.mode == PolicyKind.ROTATION else 1.0


def active_policy(policies: tuple[PolicyRule, ...], day: date) -> PolicyRule | None:
    """The policy in force on ``day``; with overlapping policies the latest start wins."""
    active = [p for p in policies if p.start <= day <= p.end]
    return max(active, key=lambda p: (p.start, p.id)) if active else None


def plan_week(week: WeekInput, since: date | None = None) -> WeekPlan:
    """Plan one OPD's week. Deterministic: the same input always gives the same plan.

    ``since``: make the entries of the days from ``since`` on only (an adjustment
    compares no earlier day); the balances, shortfalls and gaps are the whole week's."""
    people = sorted(week.people, key=BY_NIP)
    posts = {post.id: post for post in week.posts}
    tie_start = _tie_start(people, week.week_start)
    position = {p.id: i for i, p in enumerate(people)}  # each person's place in NIP order
    balances = {p.id: float(week.balances.get(p.id, 0.0)) for p in people}
    entries: list[Entry] = []
    add = entries.append
    shortfalls: list[Shortfall] = []
    ratio_gaps: list[RatioGap] = []
    # Remote days per person so far, counted only when a policy caps them (rule 8).
    remote_days: dict[int, int] = defaultdict(int)
    counted = any(policy.max_remote_days is not None for policy in week.policies)
    carry = 0.0
    # An OPD of 1,000 has 5,000 entries: the loops below look each day's leave and pins
    # up once per day rather than once per person.
    pins_by_day: dict[date, dict[int, str]] = defaultdict(dict)
    for (person_id, pinned_day), pinned_mode in week.pins.items():
        pins_by_day[pinned_day][person_id] = pinned_mode

    # Who is never a candidate, and why: the same every day of the week.
    if week.essential:
        fixed = dict.fromkeys((p.id for p in people), Reason.ESSENTIAL)
    else:
        fixed = {
            p.id: Reason.HEAD if p.is_head else Reason.NOT_ELIGIBLE
            for p in people
            if p.is_head or not p.wfh_eligible
        }
    # The staff held at the office, and those who may go remote, in NIP order.
    office_bound = [p for p in people if p.id in fixed]
    movable = [p for p in people if p.id not in fixed]
    movable_by_post = _by_post(movable)

    for day in working_days(week.week_start):
        made = since is None or day >= since
        if day in week.holidays:
            name = week.holidays[day]
            if made:
                entries.extend(
                    _entry((p.id, day, HOLIDAY, Reason.HOLIDAY, {"name": name}, None))
                    for p in people
                )
            continue
        policy = active_policy(week.policies, day)
        policy_id = policy.id if policy else None
        away = {
            person_id: days[day]
            for person_id, days in week.leaves.items()
            if days.get(day) is not None
        }
        present = people
        if away:
            present = []
            for person in people:
                kind = away.get(person.id)
                if kind is None:
                    present.append(person)
                elif made:
                    add(_entry((person.id, day, LEAVE, Reason.LEAVE, {"kind": kind}, policy_id)))
        day_posts = post_days(day, week.posts, present, None)
        shortfalls.extend(
            Shortfall(day, d.post.id, d.post.code, d.post.name, d.post.min_onsite, d.present)
            for d in day_posts
            if d.understaffed
        )

        if away:
            at_office = [p for p in office_bound if p.id not in away]
            candidates = [p for p in movable if p.id not in away]
        else:
            at_office, candidates = office_bound, movable
        if made:
            entries.extend(_entry((p.id, day, WFO, fixed[p.id], {}, policy_id)) for p in at_office)
        if not candidates:
            continue
        if not remote_day(policy, day):
            reason = Reason.NO_POLICY if policy is None else Reason.OFFICE_DAY
            if made:
                entries.extend(_entry((p.id, day, WFO, reason, {}, policy_id)) for p in candidates)
            continue

        remote_mode, ratio = remote_mode_of(policy), remote_share_of(policy)
        remote_reason = {
            PolicyKind.ROTATION: Reason.ROTATION_WFH,
            PolicyKind.FIXED_DAYS: Reason.FIXED_WFH,
            PolicyKind.WFA: Reason.WFA,
        }[policy.mode]
        cap = policy.max_remote_days
        capped = []
        if cap is not None:
            capped = [p for p in candidates if remote_days[p.id] >= cap]
            if made:
                entries.extend(
                    _entry((p.id, day, WFO, Reason.REMOTE_CAP, {"max": cap}, policy_id))
                    for p in capped
                )
        # Error diffusion keeps each day within 1 of ratio x n and the week close to it.
        exact = ratio * len(candidates) + carry
        target = math.floor(exact + 0.5)
        carry = exact - target
        if capped:
            held = {p.id for p in capped}
            free = [p for p in candidates if p.id not in held]
            # The OPD's remote places fall to those who still have days left.
            ratio = min(1.0, ratio * len(candidates) / len(free)) if free else ratio
            candidates = free
        # Everyone who may go remote, on most days: grouped once for the week.
        groups = _groups(
            movable_by_post if candidates is movable else _by_post(candidates), day_posts
        )
        quotas, ideal = _apportion(groups, ratio, target, balances)
        given = 0
        pins = pins_by_day.get(day, {})
        # Inside a group, people pinned to the remote mode first, those pinned to WFO
        # last, then the lowest balance, then the tie rank.
        pin_rank = {
            person_id: 0 if pinned_mode == remote_mode else 2 if pinned_mode == WFO else 1
            for person_id, pinned_mode in pins.items()
        }

        for key, group in groups.items():
            members = group.members
            # Ranked by pin (remote pins first, WFO pins last), then balance, then tie
            # rank, as stable sorts from the last key to the first: the tie order
            # first, then by balance (floats, which sort far faster than the tuples
            # of all three keys did), then by pin on a day with pins.
            ranked = _tie_order(members, tie_start, position)
            ranked.sort(key=balances.__getitem__)
            if pin_rank:
                ranked.sort(key=lambda pid: pin_rank.get(pid, 1))
            remote = set(ranked[: quotas[key]])
            share = ideal[key] / len(members)
            gain, loss = 1.0 - share, 0.0 - share
            held_back = group.capacity < ratio * len(members) - 1e-9
            given += len(remote)
            if held_back:
                post = posts[key]
                rest_reason, rest_args = (
                    Reason.POST_MINIMUM,
                    {"post": post.name, "min": post.min_onsite},
                )
            else:
                rest_reason, rest_args = Reason.ROTATION_WFO, None
            if not made:
                # A day before ``since``: its balances only.
                for person in members:
                    balances[person.id] += gain if person.id in remote else loss
            else:
                for person in members:
                    pid = person.id
                    if pid in remote:
                        why = remote_reason if pins.get(pid) != remote_mode else Reason.PINNED
                        add(_entry((pid, day, remote_mode, why, {}, policy_id)))
                        balances[pid] += gain
                        continue
                    if pins and pins.get(pid) == WFO:
                        add(_entry((pid, day, WFO, Reason.PINNED, {}, policy_id)))
                    else:
                        args = dict(rest_args) if rest_args else {}
                        add(_entry((pid, day, WFO, rest_reason, args, policy_id)))
                    balances[pid] += loss
            if counted:
                for pid in remote:
                    remote_days[pid] += 1
        # Whoever the cap held at the office was available too: charged the day's share
        # of their group like everyone in it, so that two people with the same remote
        # days keep the same balance whichever of them used the cap first.
        for person in capped:
            group = groups.get(person.post_id)
            balances[person.id] -= ideal[person.post_id] / len(group.members) if group else ratio
        if capped and given < target:
            ratio_gaps.append(RatioGap(day, target, given, len(capped), cap))

    return WeekPlan(
        entries=entries,
        shortfalls=shortfalls,
        balances={pid: round(value, 6) for pid, value in balances.items()},
        ratio_gaps=ratio_gaps,
    )


def unhonoured_pins(
    week: WeekInput, plan: WeekPlan, since: date | None = None
) -> list[tuple[int, date, str]]:
    """The pins of ``week`` that ``plan`` does not give, as (person id, date, mode);
    from ``since`` on only, for a plan made from ``since``."""
    pinned = {person_id for person_id, _day in week.pins}
    given = {(e.person_id, e.date): e.mode for e in plan.entries if e.person_id in pinned}
    return sorted(
        (person_id, day, mode)
        for (person_id, day), mode in week.pins.items()
        if (since is None or day >= since) and given.get((person_id, day)) != mode
    )


@dataclass
class _Group:
    members: list[Person]
    capacity: int  # how many may go remote without breaking the post's minimum


def _by_post(people) -> dict[int | None, list[Person]]:
    """``people`` by post (``None`` = back office), each in the order given."""
    members: dict[int | None, list[Person]] = defaultdict(list)
    for person in people:
        members[person.post_id].append(person)
    return members


def _groups(members, day_posts: list[PostDay]) -> dict[int | None, _Group]:
    """The candidates (``members``: by post, as ``_by_post`` gives them), each group
    with its remote capacity (``day_posts``: the posts that day, from ``post_days``)."""
    room = {d.post.id: d.room for d in day_posts}
    return {
        key: _Group(people, len(people) if key is None else min(len(people), room[key]))
        for key, people in members.items()
    }


def _apportion(groups, ratio, target, balances) -> tuple[dict, dict]:
    """Split ``target`` remote places over the groups (largest remainder, capped).

    Each group gets ``ratio x size`` rounded down or up, never more than its capacity.
    The rounded-up places go first to the largest remainders, then to the groups whose
    members are furthest behind (lowest mean balance), so rounding evens out over days.
    Returns the quota and the ideal (fractional) number of remote places per group.
    """
    ideal = {key: min(ratio * len(g.members), g.capacity) for key, g in groups.items()}
    quotas = {key: math.floor(value + 1e-9) for key, value in ideal.items()}
    spare = target - sum(quotas.values())
    if spare > 0:

        def priority(key):
            group = groups[key]
            remainder = ideal[key] - quotas[key]
            mean = sum(balances[p.id] for p in group.members) / len(group.members)
            return (-round(remainder, 9), mean, -1 if key is None else key)

        open_groups = [
            key
            for key in groups
            if quotas[key] < min(math.ceil(ideal[key] - 1e-9), groups[key].capacity)
        ]
        for key in sorted(open_groups, key=priority)[:spare]:
            quotas[key] += 1
    return quotas, ideal


def _tie_start(people: list[Person], monday: date) -> int:
    """Where in NIP order (``people``) the tie order of ``monday``'s week starts: NIP
    order rotated by the week number, so ties fall to different people each week."""
    return (monday.toordinal() // 7) % len(people) if people else 0


def _tie_order(members: list[Person], start: int, position: dict[int, int]) -> list[int]:
    """The ids of ``members`` (in NIP order; ``position``: id -> place in that order) in
    the week's tie order: those from place ``start`` on, then those before it."""
    split = bisect_left(members, start, key=lambda p: position[p.id])
    return [p.id for p in members[split:]] + [p.id for p in members[:split]]
