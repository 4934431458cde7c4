"""A head's adjustments of a draft roster, and its submission to BKPSDM.

An adjustment is a *pin* (``RosterPin``): planner input that every rebuild keeps. It is
checked before it is stored, in this order, and refused with the reason when it fails:

1. the roster is a draft of that OPD-week and the person and day are on it;
2. the change alone keeps the rules (``week_check.check_week``: no violation that
   the week did not already have), e.g. "pos Loket KTP tinggal 2 dari 3 orang di
   kantor pada Selasa 8 Des";
3. the planner, given every pin of the week, honours this one and every other pin it
   honours without this one (a pin already left unhonoured, on a day leave was taken
   since, say, does not block the change).

Then the week is planned again with the pin, exactly as a rebuild would plan it, and
only the entries that changed are written; the roster's input digest is the rebuild's,
so a rebuild of the same input writes nothing. When the roster was stored from the very
input loaded (same digest), only the days from the pinned one on are planned, read and
compared: a pin changes no earlier day (a property test holds the planner to that), and
``plan_week(week, since)`` makes exactly the tail of the whole week's plan (another).
"""

import json
from dataclasses import dataclass, replace
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from opd.batch import collector_paused
from opd.dates import day_text
from opd.history import save_with_history
from opd.models import Employee

from .. import roster as rules
from ..models import Roster, RosterEntry, RosterPin, RosterStatus, mode_label
from ..reasons import violation_text
from ..week_check import check_week
from . import notices
from .build import _built_state, _digests, stored_entry, week_inputs

# The roster's fields that follow from its plan (the rest of a build's state, status
# and decision, an adjustment leaves alone).
PLAN_FIELDS = ["shortfall_count", "shortfalls", "ratio_gaps", "balances", "input_digest"]


class AdjustmentError(Exception):
    """An adjustment or submission that cannot be made; the message is for the head."""


@dataclass(frozen=True)
class Change:
    employee_id: int
    date: date
    old: str
    new: str


def _locked_draft(roster_id: int) -> Roster:
    """The draft ``roster_id`` with its OPD, locked until the transaction ends."""
    return _draft_only(
        Roster.objects.select_for_update(of=("self",)).select_related("opd").get(pk=roster_id)
    )


def _draft_only(roster: Roster) -> Roster:
    """``roster``, when it is a draft; otherwise the reason it cannot be changed."""
    if roster.status != RosterStatus.DRAFT:
        raise AdjustmentError(
            _("Roster ini berstatus {status}; hanya draf yang dapat diubah.").format(
                status=roster.get_status_display().lower()
            )
        )
    return roster


# The roster's columns an adjustment reads and its history records: all but the plan's
# JSON, which the history leaves out and the adjustment writes without reading (the
# fairness balances of an OPD of 1,000 alone are 1,000 keys to decode).
_PLAN_JSON = {"shortfalls", "ratio_gaps", "balances"}
_LOCKED_COLUMNS = ", ".join(
    f"r.{field.column}" for field in Roster._meta.concrete_fields if field.name not in _PLAN_JSON
)


def _lock_for_adjustment(roster_id: int, employee_id: int, day: date) -> Roster:
    """``_locked_draft`` for an adjustment, in one statement written out: the draft
    ``roster_id`` locked, with the person's name (for the history) as ``person_name``
    and their pin on ``day`` if any as ``pin_id``. The ORM spent 3-4 ms of the 50 ms
    budget compiling this statement and decoding the plan's JSON; a raw query still
    builds the model instance, with the backend's conversions, in under 1 ms."""
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    # Only column and table names from the models are joined in; the values are bound.
    found = list(
        Roster.objects.raw(
            f"SELECT {_LOCKED_COLUMNS}, "  # noqa: S608
            f"(SELECT p.id FROM {RosterPin._meta.db_table} p "
            "WHERE p.employee_id = %s AND p.date = %s) AS pin_id, "
            f"(SELECT e.name FROM {Employee._meta.db_table} e WHERE e.id = %s) AS person_name "
            f"FROM {Roster._meta.db_table} r WHERE r.id = %s{lock}",
            [employee_id, day, employee_id, roster_id],
        )
    )
    if not found:
        raise Roster.DoesNotExist
    return _draft_only(found[0])


def _store_pin(roster: Roster, employee_id: int, day: date, mode: str, user, reason) -> None:
    """Create or update the pin, with its history record, in one statement: whether it
    exists (``roster.pin_id``) was read with the roster's row lock, which serialises
    adjustments of its people, so no savepoint is needed to settle a race."""
    pin = RosterPin(pk=roster.pin_id, employee_id=employee_id, date=day)
    pin.roster, pin.mode, pin.set_by = roster, mode, user
    save_with_history(pin, ["roster", "mode", "set_by", "set_at"], user=user, reason=reason)


def adjust_day(*, roster: Roster, employee_id: int, day: date, mode: str, user) -> list[Change]:
    """Pin ``employee_id`` to ``mode`` on ``day`` in a draft ``roster``; returns the
    entries that changed (the pinned one first). Raises ``AdjustmentError``."""
    with collector_paused():
        return _adjust_day(roster, employee_id, day, mode, user)


def _adjust_day(roster: Roster, employee_id: int, day: date, mode: str, user) -> list[Change]:
    with transaction.atomic():
        roster = _lock_for_adjustment(roster.pk, employee_id, day)
        _code, week = week_inputs(roster.week_start, [roster.opd_id])[roster.opd_id]
        pinned = replace(week, pins={**week.pins, (employee_id, day): mode})
        digest, pinned_digest = _digests(week, [week.pins, pinned.pins])
        # Stored from exactly this input (by the build or the last adjustment), the
        # entries are the plan of ``week``, and a pin on ``day`` changes no day before
        # it: only the days from ``day`` on are read and compared. Otherwise (leave or
        # staff changed since) the whole week, and also when a weekly cap (rule 8) makes
        # the check count remote days over the whole week.
        capped = any(policy.max_remote_days is not None for policy in week.policies)
        since = day if roster.input_digest == digest and not capped else None
        # (id, mode, reason) per person and day, and the modes alone for the rule check:
        # tuples, not model instances (5,000 of them for an OPD of 1,000 would cost more
        # than the rest of the adjustment).
        rows = _stored_entries(roster.pk, since)
        # (employee, date) -> the row: (id, employee id, date, mode, reason, ...).
        entries = {(row[1], row[2]): row for row in rows}
        # The rule check reads the modes of the pinned day only, unless a weekly cap
        # (rule 8) makes it count remote days over the whole week.
        checked = rows if capped else [row for row in rows if row[2] == day]
        current = {(row[1], row[2]): row[3] for row in checked}
        entry = entries.get((employee_id, day))
        # An entry left from someone who has since left the OPD is no one to pin.
        if entry is None or all(p.id != employee_id for p in week.people):
            raise AdjustmentError(_("Pegawai dan tanggal itu tidak ada di roster ini."))
        if mode not in (rules.WFO, rules.WFH, rules.WFA):
            raise AdjustmentError(_("Mode harus WFO, WFH atau WFA."))
        old_mode = entry[3]
        if old_mode == mode and entry[4] == rules.Reason.PINNED:
            return []
        proposed = {**current, (employee_id, day): mode}

        def key(v):
            return (v.rule, v.date, v.person_id, v.post_id)

        broken = check_week(week, proposed, days=[day])
        if broken:
            # Only what the week did not already have counts against the change.
            before = {key(v) for v in check_week(week, current, days=[day])}
            broken = [v for v in broken if key(v) not in before]
        if broken:
            names = dict(
                Employee.objects.filter(
                    pk__in={v.person_id for v in broken if v.person_id}
                ).values_list("id", "name")
            )
            raise AdjustmentError(
                _("Perubahan ditolak: {reasons}.").format(
                    reasons="; ".join(violation_text(v, names) for v in broken)
                )
            )
        # Entries from ``since`` on: the rest are neither compared nor written.
        plan = rules.plan_week(pinned, since)
        if _blocks_a_pin(week, pinned, plan, since, (employee_id, day)):
            raise AdjustmentError(
                _(
                    "Perubahan ditolak: aturan pembagian tidak menyisakan tempat untuk "
                    "perubahan ini bersama penyesuaian lain pada {day}. Ubah penyesuaian "
                    "lain di grup yang sama lebih dulu."
                ).format(day=day_text(day))
            )
        reason = _("disesuaikan: {name} {day} {old} -> {new}").format(
            name=roster.person_name,
            day=day_text(day),
            old=mode_label(old_mode),
            new=mode_label(mode),
        )
        _store_pin(roster, employee_id, day, mode, user, reason)
        changes, dirty, missing, found = [], [], [], 0
        for planned in plan.entries:
            stored = entries.get((planned.person_id, planned.date))
            if stored is None:
                # Someone who joined the OPD after the build (or moved into it
                # mid-week): the entry a rebuild would add.
                missing.append(planned)
                continue
            found += 1
            if stored[3] != planned.mode or stored[4] != planned.reason:
                changes.append(Change(planned.person_id, planned.date, stored[3], planned.mode))
                dirty.append(planned)
            elif since is None and (
                stored[5] != dict(planned.args) or stored[6] != planned.policy_id
            ):
                # The input changed since the entries were stored (a post renamed, a
                # policy replaced): the arguments and policy a rebuild would write.
                # With the stored digest equal to the input's they follow from mode and
                # reason, and are not read (5,000 JSON values are a fifth of the budget).
                dirty.append(planned)
        _rewrite_entries(entries, dirty)
        # And as a rebuild would: entries for whoever left the OPD or the service are
        # removed, and the missing ones added unless another roster holds that day.
        # Each planned (person, day) is one stored entry at most, so when every stored
        # one was matched nobody is gone, and the set of the plan's keys is not needed.
        gone = []
        if found < len(entries):
            planned_days = {(e.person_id, e.date) for e in plan.entries}
            gone = [row[0] for key, row in entries.items() if key not in planned_days]
        _add_and_remove(roster, missing, gone)
        state = _built_state(plan, pinned_digest, roster.built_at)
        for field in PLAN_FIELDS:
            setattr(roster, field, state[field])
        save_with_history(roster, PLAN_FIELDS, user=user, reason=reason)
    changes.sort(key=lambda c: (c.employee_id, c.date) != (employee_id, day))
    return changes


def _blocks_a_pin(week, pinned, plan, since, new_pin: tuple[int, date]) -> bool:
    """Whether ``plan`` (of ``pinned``: ``week`` with the new pin) leaves the new pin
    unhonoured, or another pin that the plan of ``week`` alone honours. The second plan
    is made only when some other pin is unhonoured, which is rare."""
    unhonoured = rules.unhonoured_pins(pinned, plan, since)
    others = [pin for pin in unhonoured if pin[:2] != new_pin]
    if len(others) < len(unhonoured):
        return True
    if not others:
        return False
    already = set(rules.unhonoured_pins(week, rules.plan_week(week, since), since))
    return any(pin not in already for pin in others)


def _stored_entries(roster_id: int, since: date | None) -> list[tuple]:
    """(id, employee id, date, mode, reason) of the roster's entries from ``since`` on;
    without ``since``, all of them, each with its arguments and policy id as well. On
    PostgreSQL a plain cursor: the 5,000 rows of an OPD of 1,000 in 3.0 ms instead of
    the ORM's 4.4 ms (the ORM converts row by row, which the driver did)."""
    columns = ["id", "employee_id", "date", "mode", "reason"]
    if since is None:
        columns += ["args", "policy_id"]
    if connection.vendor != "postgresql":
        found = RosterEntry.objects.filter(roster_id=roster_id)
        if since is not None:
            found = found.filter(date__gte=since)
        return list(found.values_list(*columns))
    with connection.cursor() as cursor:
        # The column names are the fixed ones above; the values are bound.
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM scheduling_rosterentry "  # noqa: S608
            "WHERE roster_id = %s AND date >= %s",
            [roster_id, since or date.min],
        )
        return cursor.fetchall()


def _add_and_remove(roster: Roster, missing: list[rules.Entry], gone: list[int]) -> None:
    """Add the ``missing`` planned entries to ``roster`` (but a day another roster holds
    for that person: the build leaves it there too) and delete the entries ``gone``.
    Both are rare, so the common adjustment runs no query here."""
    if gone:
        RosterEntry.objects.filter(pk__in=gone).delete()
    if not missing:
        return
    held = set(
        RosterEntry.objects.filter(
            employee_id__in={e.person_id for e in missing},
            date__in={e.date for e in missing},
        )
        .exclude(roster=roster)
        .values_list("employee_id", "date")
    )
    RosterEntry.objects.bulk_create(
        [stored_entry(roster.pk, e) for e in missing if (e.person_id, e.date) not in held]
    )


def _rewrite_entries(stored: dict, planned: list[rules.Entry]) -> None:
    """Give the stored entries (``stored``: (person, day) -> (id, ...)) the mode, reason,
    arguments and policy ``planned`` has for them: one ``UPDATE ... FROM (VALUES ...)`` on
    PostgreSQL, ``bulk_update`` elsewhere."""
    if not planned:
        return
    if connection.vendor != "postgresql":
        RosterEntry.objects.bulk_update(
            # Only the listed fields are written: the rows' roster stays as it is.
            [stored_entry(None, e, pk=stored[e.person_id, e.date][0]) for e in planned],
            ["mode", "reason", "args", "policy"],
            batch_size=2000,
        )
        return
    rows = ", ".join(["(%s, %s, %s, %s::jsonb, %s::bigint)"] * len(planned))
    params = []
    for e in planned:
        params += [
            stored[e.person_id, e.date][0],
            e.mode,
            e.reason,
            json.dumps(dict(e.args)),
            e.policy_id,
        ]
    with connection.cursor() as cursor:
        # Only placeholders are joined into the statement; every value is bound.
        cursor.execute(
            "UPDATE scheduling_rosterentry AS e SET mode = v.mode, reason = v.reason, "  # noqa: S608
            "args = v.args, policy_id = v.policy_id "
            f"FROM (VALUES {rows}) AS v (id, mode, reason, args, policy_id) WHERE e.id = v.id",
            params,
        )


def submit_roster(*, roster: Roster, user) -> Roster:
    """The head's "Ajukan ke BKPSDM": a draft becomes submitted, in the history."""
    with transaction.atomic():
        roster = _locked_draft(roster.pk)
        roster.status = RosterStatus.SUBMITTED
        roster.submitted_by, roster.submitted_at = user, timezone.now()
        bulk_update_with_history(
            [roster],
            Roster,
            ["status", "submitted_by", "submitted_at"],
            default_user=user,
            default_change_reason=_("diajukan ke BKPSDM"),
        )
        transaction.on_commit(lambda: notices.roster_submitted(roster))
    return roster
