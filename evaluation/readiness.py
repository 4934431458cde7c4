"""Readiness and what-if (kajian kesiapan): a proposed policy run over the current
organisation, leave and holidays with the builder's own planner, writing nothing. Pure.

``assess_opd`` plans an OPD's weeks one after another (each week starting from the
balances the previous one left, as the builder does) with the policies given, or with
the ones in force, and reads off what BKPSDM asks before adopting a policy.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from scheduling import roster as rules

REMOTE = (rules.WFH, rules.WFA)
AWAY = (rules.LEAVE, rules.HOLIDAY)


@dataclass(frozen=True)
class HeldPost:
    name: str
    min_onsite: int
    staff: int


@dataclass(frozen=True)
class OpdReadiness:
    staff: int
    eligible: int  # people who may work away at all: not essential, not the head, eligible
    held_posts: tuple[HeldPost, ...]  # posts whose minimum kept eligible people in
    capacity: int  # the most people coverage lets work away on one day
    person_days: int  # working person-days (staff x working days, leave included)
    available_days: int  # of them not on leave
    remote_days: int  # of them planned away (WFH/WFA): office-days avoided
    shortfalls: int  # post-days below their minimum (leave), whatever the policy
    fairness_spread: int | None  # worst max - min of remote days in a comparable group

    @property
    def eligible_share(self) -> float | None:
        return 100 * self.eligible / self.staff if self.staff else None

    @property
    def max_share(self) -> float | None:
        """The largest WFH share coverage allows on a policy day, in percent."""
        return 100 * self.capacity / self.staff if self.staff else None

    @property
    def projected_share(self) -> float | None:
        """Working days (leave not counted) planned away from the office, in percent."""
        return 100 * self.remote_days / self.available_days if self.available_days else None

    def saving_percent(self, fixed_share: int) -> float | None:
        if not self.person_days:
            return None
        return (100 - fixed_share) * self.remote_days / self.person_days


def capacity(week: rules.WeekInput) -> tuple[int, int, tuple[HeldPost, ...]]:
    """(eligible people, the most of them coverage lets away on one day, the posts whose
    minimum holds eligible people in), from the organisation of ``week`` (no leave)."""
    if week.essential:
        return 0, 0, ()
    eligible = [p for p in week.people if p.wfh_eligible and not p.is_head]
    free = sum(1 for p in eligible if p.post_id is None)
    held = []
    # The post-minimum arithmetic is the builder's (``PostDay.room``), with everyone present.
    for day in rules.post_days(None, week.posts, week.people, None):
        candidates = sum(1 for p in eligible if p.post_id == day.post.id)
        free += min(candidates, day.room)
        if candidates > day.room:
            held.append(HeldPost(day.post.name, day.post.min_onsite, day.present))
    return len(eligible), free, tuple(held)


def assess_opd(
    weeks: list[rules.WeekInput], policies=None, essential=None, within=None
) -> OpdReadiness:
    """Plan ``weeks`` (one OPD's, in order) with ``policies`` (None: those in force in
    the weeks) and ``essential`` (None: the OPD's own flag); nothing is stored. Only the
    days ``within`` (first, last) are counted, when given (whole weeks are planned)."""
    balances: dict[int, float] = {}
    person_days = available = remote = shortfalls = 0
    remote_by_person: dict[int, int] = defaultdict(int)
    available_by_person: dict[int, int] = defaultdict(int)
    eligible = room = 0
    held: tuple[HeldPost, ...] = ()
    for index, week in enumerate(weeks):
        week = replace(
            week,
            policies=week.policies if policies is None else tuple(policies),
            essential=week.essential if essential is None else essential,
            balances=balances if index else week.balances,
            pins={},
        )
        if index == 0:
            eligible, room, held = capacity(week)
        plan = rules.plan_week(week)
        balances = plan.balances
        shortfalls += len(plan.shortfalls)
        for entry in plan.entries:
            if entry.mode == rules.HOLIDAY:
                continue
            if within is not None and not within[0] <= entry.date <= within[1]:
                continue
            person_days += 1
            if entry.mode != rules.LEAVE:
                available += 1
                available_by_person[entry.person_id] += 1
            if entry.mode in REMOTE:
                remote += 1
                remote_by_person[entry.person_id] += 1
    people = weeks[0].people if weeks else ()
    is_essential = weeks[0].essential if essential is None and weeks else bool(essential)
    groups: dict[tuple, list[int]] = defaultdict(list)
    if not is_essential:
        for person in people:
            if person.wfh_eligible and not person.is_head:
                key = (person.post_id, available_by_person[person.id])
                groups[key].append(remote_by_person[person.id])
    spreads = [max(days) - min(days) for days in groups.values() if days]
    return OpdReadiness(
        staff=len(people),
        eligible=eligible,
        held_posts=held,
        capacity=room,
        person_days=person_days,
        available_days=available,
        remote_days=remote,
        shortfalls=shortfalls,
        fairness_spread=max(spreads) if spreads else None,
    )


def combine(parts: list[OpdReadiness]) -> OpdReadiness:
    """The city: every count added up; the spread is the worst OPD's."""
    spreads = [p.fairness_spread for p in parts if p.fairness_spread is not None]
    return OpdReadiness(
        staff=sum(p.staff for p in parts),
        eligible=sum(p.eligible for p in parts),
        held_posts=(),
        capacity=sum(p.capacity for p in parts),
        person_days=sum(p.person_days for p in parts),
        available_days=sum(p.available_days for p in parts),
        remote_days=sum(p.remote_days for p in parts),
        shortfalls=sum(p.shortfalls for p in parts),
        fairness_spread=max(spreads) if spreads else None,
    )
