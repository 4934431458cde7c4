"""The one path by which a submitted or approved roster changes after the fact.

Swaps (``services.swaps``), approved requests (``services.requests``) and recalls
(``attendance.coverage``) all end here. ``change_days``:

1. locks the OPD-week's roster; it must exist and be submitted or approved (a draft is
   the head's to adjust with pins, a rejected one is rebuilt);
2. checks the proposed week with ``week_check.check_week``, the builder's rules:
   a change may bring no violation the week did not already have, except those the
   caller tolerates (leave may leave a post short: sickness is not refused, the post
   is then reported short and someone recalled);
3. writes the changed entries with their new reason (``Reason.SWAPPED``,
   ``RECALLED``, ``REQUESTED`` or ``LEAVE``), so the check-in page says at once what
   changed and why;
4. moves the fairness balances the next week is planned from: a remote day given is
   +1, one taken away -1, and a candidate's day turned into leave gives back the
   day's share they were charged (``share``), so someone recalled from a WFH day is
   owed it later;
5. records one ``RosterChange`` per entry (who, when, why, old -> new) and a line on
   the roster's history, and after the commit sends ``signals.days_changed``.

``check_days`` runs steps 1-2 without writing, for the head's preview.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from opd.dates import day_text
from opd.history import change_reason
from opd.models import Employee

from .. import roster as rules
from ..calendar import week_start
from ..models import Roster, RosterChange, RosterEntry, RosterStatus, mode_label
from ..reasons import violation_text
from ..signals import days_changed
from ..week_check import Rule, Violation, check_week
from .build import week_inputs

CHANGEABLE = (RosterStatus.SUBMITTED, RosterStatus.APPROVED)
MODES = (rules.WFO, rules.WFH, rules.WFA, rules.LEAVE)


class ChangeError(Exception):
    """A change that cannot be made; the message names why, for the person acting."""


@dataclass(frozen=True)
class DayChange:
    employee_id: int
    date: date
    mode: str
    reason: str
    args: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    """What a set of changes would do to its weeks."""

    refused: list[str]  # reasons the change breaks a rule (words for the viewer)
    tolerated: list[Violation]  # rules it breaks that the caller accepts (a short post)
    warnings: list[str]  # those, in words
    missing_weeks: list[date]  # weeks of the changes with no changeable roster


def _by_week(changes):
    weeks = defaultdict(list)
    for change in changes:
        weeks[week_start(change.date)].append(change)
    return dict(sorted(weeks.items()))


def _share(week: rules.WeekInput, day: date) -> float:
    policy = rules.active_policy(week.policies, day)
    return rules.remote_share_of(policy) if rules.remote_day(policy, day) else 0.0


def _names(ids) -> dict[int, str]:
    return dict(Employee.objects.filter(pk__in=set(ids)).values_list("id", "name"))


def _evaluate(opd_id, monday, changes, tolerate, lock):
    rosters = Roster.objects.filter(opd_id=opd_id, week_start=monday)
    if lock:
        rosters = rosters.select_for_update(of=("self",))
    roster = rosters.first()
    if roster is None or roster.status not in CHANGEABLE:
        return roster, None, None, [], []
    entries = {
        (employee, day): (pk, mode, reason, args)
        for pk, employee, day, mode, reason, args in RosterEntry.objects.filter(
            roster=roster
        ).values_list("id", "employee_id", "date", "mode", "reason", "args")
    }
    _code, week = week_inputs(monday, [opd_id])[opd_id]
    current = {key: stored[1] for key, stored in entries.items()}
    after_week, broken, tolerated = assess(week, current, changes, tolerate)
    return roster, after_week, entries, broken, tolerated


def assess(
    week: rules.WeekInput, current: dict[tuple[int, date], str], changes, tolerate=frozenset()
) -> tuple[rules.WeekInput, list[Violation], list[Violation]]:
    """The rule check of ``changes`` (all in ``week``) against the roster's modes
    ``current`` ((person id, date) -> mode), pure: (the week with the changes' leave,
    the new violations it does not tolerate, those it tolerates). ``ChangeError`` for a
    person not in the roster that day or a mode no change may set. ``check_days``,
    ``change_days`` and the head's batched previews all decide through this."""
    proposed = dict(current)
    for change in changes:
        if (change.employee_id, change.date) not in current:
            raise ChangeError(
                _("{day}: pegawai itu tidak ada di roster minggu tersebut.").format(
                    day=day_text(change.date)
                )
            )
        if change.mode not in MODES:
            raise ChangeError(_("Mode harus WFO, WFH, WFA atau cuti."))
        proposed[(change.employee_id, change.date)] = change.mode

    def key(v):
        return (v.rule, v.date, v.person_id, v.post_id)

    # The week as it stood (without the leave these changes record, even if the Leave
    # row was written first) against the week with it.
    leave_days = {(c.employee_id, c.date): c.args.get("kind", "") for c in changes}
    stood, becomes = {}, {}
    for person in week.people:
        days_off = dict(week.leaves.get(person.id, {}))
        stood[person.id] = {d: k for d, k in days_off.items() if (person.id, d) not in leave_days}
        for (pid, d), kind in leave_days.items():
            if pid == person.id and proposed[(pid, d)] == rules.LEAVE:
                days_off[d] = kind
        becomes[person.id] = days_off
    before_week = replace(week, leaves={k: v for k, v in stood.items() if v})
    after_week = replace(week, leaves={k: v for k, v in becomes.items() if v})
    days = sorted({c.date for c in changes})
    before = {key(v) for v in check_week(before_week, current, days=days)}
    new = [v for v in check_week(after_week, proposed, days=days) if key(v) not in before]
    broken = [v for v in new if v.rule not in tolerate]
    tolerated = [v for v in new if v.rule in tolerate]
    return after_week, broken, tolerated


def check_days(*, opd_id: int, changes: list[DayChange], tolerate=frozenset()) -> Checked:
    """What ``change_days`` would refuse or tolerate, without writing anything."""
    refused, tolerated, missing = [], [], []
    for monday, week_changes in _by_week(changes).items():
        roster, _week, _entries, broken, accepted = _evaluate(
            opd_id, monday, week_changes, tolerate, lock=False
        )
        if _week is None:
            missing.append(monday)
            continue
        names = _names(v.person_id for v in broken + accepted if v.person_id)
        refused += [violation_text(v, names) for v in broken]
        tolerated += accepted
    names = _names(v.person_id for v in tolerated if v.person_id)
    return Checked(refused, tolerated, [violation_text(v, names) for v in tolerated], missing)


def change_days(
    *,
    opd_id: int,
    changes: list[DayChange],
    kind: str,
    user,
    note: str = "",
    tolerate=frozenset(),
    skip_missing: bool = False,
) -> list[RosterChange]:
    """Apply ``changes`` (all of one OPD) to their submitted or approved rosters.

    Raises ``ChangeError`` when a change breaks a rule not in ``tolerate``, or when a
    week has no changeable roster (unless ``skip_missing``: leave on a week not yet
    approved needs no entry change, the build will plan it). All or nothing."""
    recorded: list[RosterChange] = []
    with transaction.atomic():
        for monday, week_changes in _by_week(changes).items():
            roster, week, entries, broken, _tolerated = _evaluate(
                opd_id, monday, week_changes, tolerate, lock=True
            )
            if week is None:
                if skip_missing:
                    continue
                raise ChangeError(
                    _(
                        "Roster minggu {week} belum diajukan atau disetujui, jadi belum "
                        "dapat diubah dengan cara ini."
                    ).format(week=day_text(monday))
                )
            if broken:
                names = _names(v.person_id for v in broken if v.person_id)
                raise ChangeError(
                    _("Perubahan ditolak: {reasons}.").format(
                        reasons="; ".join(violation_text(v, names) for v in broken)
                    )
                )
            recorded += _write(roster, week, entries, week_changes, kind, user, note)
        dates = sorted({c.date for c in changes})
        if recorded:
            transaction.on_commit(
                lambda: days_changed.send(sender=RosterChange, opd_id=opd_id, dates=dates)
            )
    return recorded


def _write(roster, week, entries, changes, kind, user, note) -> list[RosterChange]:
    dirty, log = [], []
    balances = dict(roster.balances)
    for change in changes:
        pk, old_mode, old_reason, _args = entries[(change.employee_id, change.date)]
        if (old_mode, old_reason) == (change.mode, change.reason):
            continue
        dirty.append(
            RosterEntry(pk=pk, mode=change.mode, reason=change.reason, args=dict(change.args))
        )
        delta = (change.mode in (rules.WFH, rules.WFA)) - (old_mode in (rules.WFH, rules.WFA))
        if change.mode == rules.LEAVE and old_reason in rules.CANDIDATE_REASONS:
            delta += _share(week, change.date)
        if old_mode == rules.LEAVE and change.reason in rules.CANDIDATE_REASONS:
            delta -= _share(week, change.date)
        if delta:
            person = str(change.employee_id)
            balances[person] = round(balances.get(person, 0.0) + delta, 6)
        log.append(
            RosterChange(
                roster=roster,
                employee_id=change.employee_id,
                date=change.date,
                old_mode=old_mode,
                new_mode=change.mode,
                kind=kind,
                reason=change.reason,
                args=dict(change.args),
                note=note[:300],
                changed_by=user if getattr(user, "pk", None) else None,
            )
        )
    if not dirty:
        return []
    RosterEntry.objects.bulk_update(dirty, ["mode", "reason", "args"])
    RosterChange.objects.bulk_create(log)
    roster.balances = balances
    names = _names(c.employee_id for c in log)
    summary = ", ".join(
        f"{names.get(c.employee_id, c.employee_id)} {c.date:%d-%m} "
        f"{mode_label(c.old_mode)} -> {mode_label(c.new_mode)}"
        for c in log
    )
    bulk_update_with_history(
        [roster],
        Roster,
        ["balances"],
        default_user=user if getattr(user, "pk", None) else None,
        default_change_reason=change_reason(
            Roster, f"{RosterChange.Kind(kind).label}: {summary}" + (f" ({note})" if note else "")
        ),
    )
    return log


__all__ = [
    "ChangeError",
    "Checked",
    "DayChange",
    "Rule",
    "assess",
    "change_days",
    "check_days",
]
