"""Does a proposed week keep the builder's rules? One check for every change. Pure.

``check_week`` takes the same ``WeekInput`` the planner takes and a proposed mode for
every person and working day, and returns what breaks the rules of ``roster.py``, in
the order of the days:

1. a holiday is ``HOLIDAY`` for everybody, and only a holiday;
2. leave is ``LEAVE``, and only leave;
3. in an essential OPD, an OPD head and staff who may not work from home are ``WFO``;
4. each service post keeps ``min(min_onsite, present)`` of its staff at ``WFO``
   (``PostDay.required``): leave may leave a post short, a change may not;
5. with no active policy, or on a weekday the policy keeps at the office, nobody is
   remote;
6. on a policy day the remote mode is the policy's (``WFH``, or ``WFA`` under a WFA
   policy), and the OPD's remote count is within 1 of ``ratio x n`` (``n``: the staff
   who may go remote), less the places the post minimums hold back; at least, that
   is, of those not held at the office by rule 8;
8. nobody works remotely on more days of the week than the policy's
   ``max_remote_days`` allows.

Rule 7 (who gets the remote places) is a balance, not a limit: a change that moves a
remote day moves the balances the next week is planned from, so whoever lost a day is
owed it. It is not a violation here.

Every week ``plan_week`` makes passes this check (a property test holds it to that).
The words for a violation are chosen when it is shown (``reasons.violation_text``).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from .calendar import working_days
from .roster import (
    BY_NIP,
    HOLIDAY,
    LEAVE,
    WFA,
    WFH,
    PostDay,
    WeekInput,
    active_policy,
    post_days,
    remote_day,
    remote_mode_of,
    remote_share_of,
)

REMOTE = (WFH, WFA)


class Rule:
    """What a violation breaks (the numbering of ``roster.py``)."""

    MISSING = "missing"  # no mode for a person on a working day
    HOLIDAY = "holiday"  # rule 1
    LEAVE = "leave"  # rule 2
    MUST_BE_AT_OFFICE = "must_be_at_office"  # rule 3
    POST_MINIMUM = "post_minimum"  # rule 4
    NOT_A_REMOTE_DAY = "not_a_remote_day"  # rule 5
    WRONG_REMOTE_MODE = "wrong_remote_mode"  # rule 6
    REMOTE_CAP = "remote_cap"  # rule 8
    TOO_FEW_REMOTE = "too_few_remote"  # rule 6
    TOO_MANY_REMOTE = "too_many_remote"  # rule 6


@dataclass(frozen=True)
class Violation:
    rule: str
    date: date
    person_id: int | None = None
    post_id: int | None = None
    # What the words need: a post's name and counts, a mode, a ratio's bounds.
    args: Mapping[str, object] = field(default_factory=dict)


def check_week(
    week: WeekInput, modes: Mapping[tuple[int, date], str], days: Iterable[date] | None = None
) -> list[Violation]:
    """What in ``modes`` ((person id, date) -> mode) breaks the rules for ``week``.

    ``days``: check the day rules (1-6) on these days only (a change to one day cannot
    break them on another); rule 8 always counts the whole week."""
    found: list[Violation] = []
    week_days = working_days(week.week_start)
    remote_days = _remote_days(week, modes, week_days)
    for day in week_days if days is None else sorted(set(days) & set(week_days)):
        found.extend(_check_day(week, modes, day, remote_days))
    for person in sorted(week.people, key=BY_NIP) if remote_days else ():
        mine = remote_days.get(person.id, [])
        caps = [cap for _day, cap in mine if cap is not None]
        if caps and len(mine) > min(caps):
            found.append(
                Violation(
                    Rule.REMOTE_CAP,
                    mine[-1][0],
                    person.id,
                    args={"max": min(caps), "days": len(mine)},
                )
            )
    return found


def _remote_days(week: WeekInput, modes, days) -> dict[int, list[tuple[date, int | None]]]:
    """Per person, the remote days of the week and the cap of the policy of each; none
    at all when no policy of the week caps them (rule 8 then has nothing to count)."""
    caps = {}
    for day in days:
        policy = active_policy(week.policies, day)
        caps[day] = policy.max_remote_days if policy else None
    remote: dict[int, list[tuple[date, int | None]]] = defaultdict(list)
    if all(cap is None for cap in caps.values()):
        return remote
    for day, cap in caps.items():
        for person in week.people:
            if modes.get((person.id, day)) in REMOTE:
                remote[person.id].append((day, cap))
    return remote


def _check_day(week: WeekInput, modes, day: date, remote_days) -> list[Violation]:
    people = sorted(week.people, key=BY_NIP)
    today = {p.id: modes.get((p.id, day)) for p in people}
    if day in week.holidays:
        found = [Violation(Rule.MISSING, day, p.id) for p in people if today[p.id] is None]
        for person in people:
            if today[person.id] not in (None, HOLIDAY):
                found.append(Violation(Rule.HOLIDAY, day, person.id, args={"holiday": True}))
        return found
    # One pass over the staff (an OPD of 1,000 is checked on every change): who has no
    # mode, who has a holiday's or leave's mode wrongly, and who is present.
    missing, found, present = [], [], []
    leaves = week.leaves
    for person in people:
        mode = today[person.id]
        if mode is None:
            missing.append(Violation(Rule.MISSING, day, person.id))
            continue
        days_off = leaves.get(person.id)
        on_leave = days_off is not None and day in days_off
        if mode == HOLIDAY:
            found.append(Violation(Rule.HOLIDAY, day, person.id, args={"holiday": False}))
        elif on_leave != (mode == LEAVE):
            found.append(Violation(Rule.LEAVE, day, person.id, args={"on_leave": on_leave}))
        if not on_leave:
            present.append(person)
    found = missing + found

    remote_people = [p for p in present if today[p.id] in REMOTE]
    for person in remote_people:
        if week.essential or person.is_head or not person.wfh_eligible:
            reason = "essential" if week.essential else "head" if person.is_head else "eligible"
            found.append(Violation(Rule.MUST_BE_AT_OFFICE, day, person.id, args={"why": reason}))

    for post_day in post_days(day, week.posts, present, today):
        if post_day.short:
            found.append(
                Violation(
                    Rule.POST_MINIMUM,
                    day,
                    post_id=post_day.post.id,
                    args={
                        "post": post_day.post.name,
                        "onsite": post_day.onsite,
                        "required": post_day.required,
                        "minimum": post_day.post.min_onsite,
                        "present": post_day.present,
                    },
                )
            )

    policy = active_policy(week.policies, day)
    if not remote_day(policy, day):
        found.extend(
            Violation(Rule.NOT_A_REMOTE_DAY, day, p.id, args={"policy": policy is not None})
            for p in remote_people
        )
        return found

    mode = remote_mode_of(policy)
    found.extend(
        Violation(Rule.WRONG_REMOTE_MODE, day, p.id, args={"mode": mode})
        for p in remote_people
        if today[p.id] != mode
    )
    if week.essential:
        return found
    candidates = [p for p in present if not p.is_head and p.wfh_eligible]
    ratio = remote_share_of(policy)
    lowest, highest = remote_bounds(ratio, candidates, present, week.posts)
    # Rule 8: who has the week's remote days elsewhere cannot be counted on today.
    cap = policy.max_remote_days
    if cap is not None:
        free = [p for p in candidates if sum(d != day for d, _c in remote_days.get(p.id, ())) < cap]
        lowest, _highest = remote_bounds(ratio, free, present, week.posts)
    remote = sum(not p.is_head and p.wfh_eligible for p in remote_people)
    if remote < lowest - 1e-9 or remote > highest + 1e-9:
        found.append(
            Violation(
                Rule.TOO_FEW_REMOTE if remote < lowest else Rule.TOO_MANY_REMOTE,
                day,
                args={
                    "remote": remote,
                    "lowest": max(0, _ceil(lowest)),
                    "highest": int(highest + 1e-9),
                    "candidates": len(candidates),
                },
            )
        )
    return found


def remote_bounds(ratio: float, candidates, present, posts) -> tuple[float, float]:
    """How many of ``candidates`` may be remote on a policy day: within 1 of
    ``ratio x n``, less what the post minimums hold back (rule 6)."""
    by_group: dict[int | None, int] = defaultdict(int)
    for person in candidates:
        by_group[person.post_id] += 1
    room = {d.post.id: d.room for d in post_days(None, posts, present, None)}
    held_back = sum(
        max(0.0, ratio * size - min(size, room.get(key, 0)))
        for key, size in by_group.items()
        if key is not None
    )
    n = len(candidates)
    return ratio * n - 1 - held_back, ratio * n + 1


def _ceil(value: float) -> int:
    whole = int(value)
    return whole if whole >= value - 1e-9 else whole + 1


__all__ = ["PostDay", "Rule", "Violation", "check_week", "remote_bounds"]
