"""A head's adjustments of a draft roster, and its submission to BKPSDM.

An adjustment is a *pin* (``RosterPin``): planner input that every rebuild keeps. It is
checked before it is stored, in this order, and refused with the reason when it fails:

1. the roster is a draft of that OPD-week and the person and day are on it;
2. the change alone keeps the rules (``week_check.check_week``: no violation that
   the week did not already have), e.g. "pos Loket KTP tinggal 2 dari 3 orang di
   kantor pada Selasa 8 Des";
3. the planner, given every pin of the week, honours this one and the earlier ones.

Then the week is planned again with the pin, exactly as a rebuild would plan it, and
only the entries that changed are written; the roster's input digest is the rebuild's,
so a rebuild of the same input writes nothing.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from opd.dates import day_text
from opd.models import Employee

from .. import roster as rules
from ..models import Roster, RosterEntry, RosterPin, RosterStatus, mode_label
from ..reasons import violation_text
from ..week_check import check_week
from . import notices
from .build import _built_state, _digest, week_inputs

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
    roster = Roster.objects.select_for_update(of=("self",)).select_related("opd").get(pk=roster_id)
    if roster.status != RosterStatus.DRAFT:
        raise AdjustmentError(
            _("Roster ini berstatus {status}; hanya draf yang dapat diubah.").format(
                status=roster.get_status_display().lower()
            )
        )
    return roster


def adjust_day(*, roster: Roster, employee_id: int, day: date, mode: str, user) -> list[Change]:
    """Pin ``employee_id`` to ``mode`` on ``day`` in a draft ``roster``; returns the
    entries that changed (the pinned one first). Raises ``AdjustmentError``."""
    with transaction.atomic():
        roster = _locked_draft(roster.pk)
        # (id, mode, reason) per person and day: tuples, not model instances (5,000 of
        # them for an OPD of 1,000 would cost more than the rest of the adjustment).
        entries = {
            (employee, when): (pk, stored_mode, reason)
            for pk, employee, when, stored_mode, reason in RosterEntry.objects.filter(
                roster=roster
            ).values_list("id", "employee_id", "date", "mode", "reason")
        }
        entry = entries.get((employee_id, day))
        if entry is None:
            raise AdjustmentError(_("Pegawai dan tanggal itu tidak ada di roster ini."))
        if mode not in (rules.WFO, rules.WFH, rules.WFA):
            raise AdjustmentError(_("Mode harus WFO, WFH atau WFA."))
        old_mode = entry[1]
        if old_mode == mode and entry[2] == rules.Reason.PINNED:
            return []
        _code, week = week_inputs(roster.week_start, [roster.opd_id])[roster.opd_id]
        current = {key: stored[1] for key, stored in entries.items()}
        proposed = {**current, (employee_id, day): mode}

        def key(v):
            return (v.rule, v.date, v.person_id, v.post_id)

        before = {key(v) for v in check_week(week, current, days=[day])}
        broken = [v for v in check_week(week, proposed, days=[day]) if key(v) not in before]
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
        pinned = replace(week, pins={**week.pins, (employee_id, day): mode})
        plan = rules.plan_week(pinned)
        if rules.unhonoured_pins(pinned, plan):
            raise AdjustmentError(
                _(
                    "Perubahan ditolak: aturan pembagian tidak menyisakan tempat untuk "
                    "perubahan ini bersama penyesuaian lain pada {day}. Ubah penyesuaian "
                    "lain di grup yang sama lebih dulu."
                ).format(day=day_text(day))
            )
        RosterPin.objects.update_or_create(
            employee_id=employee_id,
            date=day,
            defaults={"roster": roster, "mode": mode, "set_by": user},
        )
        changes, dirty = [], []
        for planned in plan.entries:
            pk, stored_mode, reason = entries[(planned.person_id, planned.date)]
            # The arguments follow from the reason and the week's data, which this
            # adjustment does not change: mode and reason tell what changed.
            if (stored_mode, reason) != (planned.mode, planned.reason):
                changes.append(Change(planned.person_id, planned.date, stored_mode, planned.mode))
                dirty.append(
                    RosterEntry(
                        pk=pk, mode=planned.mode, reason=planned.reason, args=dict(planned.args)
                    )
                )
        RosterEntry.objects.bulk_update(dirty, ["mode", "reason", "args"], batch_size=2000)
        state = _built_state(plan, _digest(pinned), roster.built_at)
        for field in PLAN_FIELDS:
            setattr(roster, field, state[field])
        name = Employee.objects.filter(pk=employee_id).values_list("name", flat=True).first()
        bulk_update_with_history(
            [roster],
            Roster,
            PLAN_FIELDS,
            default_user=user,
            default_change_reason=_("disesuaikan: {name} {day} {old} -> {new}").format(
                name=name, day=day_text(day), old=mode_label(old_mode), new=mode_label(mode)
            ),
        )
    changes.sort(key=lambda c: (c.employee_id, c.date) != (employee_id, day))
    return changes


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
