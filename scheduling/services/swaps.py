"""Swap requests: two colleagues trade their modes on one day, with their head's approval.

An ASN proposes to trade one of their days with a colleague of the same service post
(or, both being back office, of the back office): proposed -> accepted or declined by
the colleague -> approved or rejected by the OPD head (or BKPSDM). The proposer may
cancel while it is open. Every step runs in a transaction with the ``Swap`` row locked,
so a double click or two tabs cannot move it twice.

A swap is checked when it is proposed, when it is accepted and when it is approved:

1. both are active employees of the same OPD, of the same post or both back office;
2. the day is not past (today, in WIB, still counts);
3. the week's roster is submitted or approved, and both work that day (WFO, WFH or
   WFA) in different modes, the same modes as when the swap was proposed (a roster
   that changed under the swap leaves it stale: it must be rejected or cancelled);
4. neither has another open (proposed or accepted) swap for that day;
5. the builder's rules (``changes.check_days``, a dry run of ``change_days``): a swap
   keeps each post's count at the office, but it can break a person's rule (a head or
   a clerk who may not work from home must be at the office) or the weekly remote cap.

An approved swap is applied by ``changes.change_days`` (both entries in one call, with
``Reason.SWAPPED`` and the colleague's name), which checks the rules again under the
roster's lock, moves the fairness balances (+1 for the one who gains a remote day, -1
for the one who gives it) and logs a ``RosterChange`` per entry.
"""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.access import employee_of, role_of
from opd.dates import day_text
from opd.models import Employee, Role

from .. import roster as rules
from ..calendar import week_start
from ..models import Roster, RosterChange, RosterEntry, Swap, mode_label
from ..reasons import violation_text
from ..week_check import check_week
from . import notices
from .build import week_inputs
from .changes import CHANGEABLE, ChangeError, DayChange, change_days, check_days

SWAPPABLE = (rules.WFO, rules.WFH, rules.WFA)
NOTE_MAX = 300


class SwapError(Exception):
    """A swap step that cannot be taken; the message says why, for the person acting."""


def _day(day: date) -> str:
    return day_text(day)


def _changes(swap: Swap, proposer_name: str, partner_name: str) -> list[DayChange]:
    """Both entries of a swap: each takes the other's mode, "ditukar dengan <name>"."""
    return [
        DayChange(
            swap.proposer_id, swap.date, swap.partner_mode, rules.Reason.SWAPPED,
            {"with": partner_name},
        ),
        DayChange(
            swap.partner_id, swap.date, swap.proposer_mode, rules.Reason.SWAPPED,
            {"with": proposer_name},
        ),
    ]  # fmt: skip


def _not_past(day: date) -> None:
    if day < timezone.localdate():
        raise SwapError(
            _("{day} sudah lewat; tukar jadwal hanya untuk hari ini atau hari mendatang.").format(
                day=_day(day)
            )
        )


def _current(proposer: Employee, partner: Employee, day: date) -> tuple[str, str]:
    """Both people's modes on ``day`` in their submitted or approved roster."""
    rows = {
        employee_id: (mode, status)
        for employee_id, mode, status in RosterEntry.objects.filter(
            employee_id__in=(proposer.pk, partner.pk), date=day, roster__opd_id=proposer.opd_id
        ).values_list("employee_id", "mode", "roster__status")
    }
    if any(status not in CHANGEABLE for _mode, status in rows.values()) or not rows:
        raise SwapError(
            _(
                "Roster untuk {day} belum diajukan atau disetujui; tukar jadwal hanya untuk "
                "roster yang sudah diajukan atau disetujui."
            ).format(day=_day(day))
        )
    for person in (proposer, partner):
        if person.pk not in rows:
            raise SwapError(
                _("{name} tidak ada di roster pada {day}.").format(name=person.name, day=_day(day))
            )
    return rows[proposer.pk][0], rows[partner.pk][0]


def _modes(proposer: Employee, partner: Employee, day: date) -> tuple[str, str]:
    """Both people's modes on ``day``: both working, in different modes."""
    mine, theirs = _current(proposer, partner, day)
    for person, mode in ((proposer, mine), (partner, theirs)):
        if mode not in SWAPPABLE:
            raise SwapError(
                _("{name} tidak bekerja pada {day} ({mode}); hari itu tidak dapat ditukar.").format(
                    name=person.name, day=_day(day), mode=mode_label(mode)
                )
            )
    if mine == theirs:
        raise SwapError(
            _(
                "{proposer} dan {partner} sama-sama {mode} pada {day}; tukar jadwal hanya untuk "
                "mode yang berbeda."
            ).format(proposer=proposer.name, partner=partner.name, mode=mine, day=_day(day))
        )
    return mine, theirs


def _still_as_proposed(swap: Swap) -> None:
    """The roster has not changed under the swap since it was proposed."""
    mine, theirs = _current(swap.proposer, swap.partner, swap.date)
    if (mine, theirs) != (swap.proposer_mode, swap.partner_mode):
        raise SwapError(
            _(
                "Jadwal pada {day} sudah berubah sejak tukar jadwal diajukan ({proposer} kini "
                "{mine}, {partner} kini {theirs}); ajukan tukar jadwal baru."
            ).format(
                day=_day(swap.date),
                proposer=swap.proposer.name,
                mine=mode_label(mine),
                partner=swap.partner.name,
                theirs=mode_label(theirs),
            )
        )


def _same_group(proposer: Employee, partner: Employee) -> None:
    if partner.opd_id != proposer.opd_id or not partner.active:
        raise SwapError(_("Rekan itu tidak ditemukan di OPD Anda."))
    if partner.post_id != proposer.post_id:
        raise SwapError(
            _(
                "{name} bukan rekan satu pos pelayanan (atau sesama back office); tukar jadwal "
                "hanya dengan rekan satu pos."
            ).format(name=partner.name)
        )


def _no_other_open_swap(swap_id, day: date, people: list[Employee]) -> None:
    busy = (
        Swap.objects.filter(date=day, status__in=Swap.OPEN)
        .filter(Q(proposer__in=people) | Q(partner__in=people))
        .exclude(pk=swap_id)
        .values_list("proposer_id", "partner_id")
    )
    taken = {pk for pair in busy for pk in pair}
    for person in people:
        if person.pk in taken:
            raise SwapError(
                _(
                    "{name} sudah punya tukar jadwal yang belum selesai pada {day}; selesaikan "
                    "atau batalkan yang itu lebih dulu."
                ).format(name=person.name, day=_day(day))
            )


def _rules_allow(swap: Swap) -> None:
    checked = check_days(
        opd_id=swap.opd_id, changes=_changes(swap, swap.proposer.name, swap.partner.name)
    )
    if checked.missing_weeks:
        raise SwapError(
            _("Roster untuk {day} belum diajukan atau disetujui.").format(day=_day(swap.date))
        )
    if checked.refused:
        raise SwapError(
            _("Tukar jadwal ditolak aturan roster: {reasons}.").format(
                reasons="; ".join(checked.refused)
            )
        )


def _locked_people(*ids: int) -> dict[int, Employee]:
    """The two people, locked in id order: two proposals for the same person and day
    wait for each other, so the one-open-swap rule holds under concurrency. ``FOR NO
    KEY UPDATE``, which a build's ``FOR KEY SHARE`` on the same rows does not wait for."""
    return {
        person.pk: person
        for person in Employee.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
    }


def _locked_swap(swap_id: int, **scope) -> Swap:
    swap = (
        Swap.objects.select_for_update(of=("self",))
        .select_related("proposer", "partner", "opd")
        .filter(pk=swap_id, **scope)
        .first()
    )
    if swap is None:
        raise SwapError(_("Tukar jadwal itu tidak ditemukan."))
    return swap


def _status_is(swap: Swap, status: str) -> None:
    if swap.status != status:
        raise SwapError(
            _("Tukar jadwal ini sudah berstatus {status}; tidak dapat diubah lagi.").format(
                status=swap.get_status_display()
            )
        )


def propose_swap(*, proposer: Employee, partner_id: int, day: date, note: str = "") -> Swap:
    """``proposer`` offers to trade ``day`` with the colleague ``partner_id``."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise SwapError(_("Alasan paling panjang {max} karakter.").format(max=NOTE_MAX))
    if partner_id == proposer.pk:
        raise SwapError(_("Pilih rekan lain; Anda tidak dapat bertukar dengan diri sendiri."))
    with transaction.atomic():
        people = _locked_people(proposer.pk, partner_id)
        proposer = people.get(proposer.pk)
        partner = people.get(partner_id)
        if proposer is None or not proposer.active:
            raise SwapError(_("Akun Anda tidak terhubung dengan data pegawai yang aktif."))
        if partner is None:
            raise SwapError(_("Rekan itu tidak ditemukan di OPD Anda."))
        _same_group(proposer, partner)
        _not_past(day)
        mine, theirs = _modes(proposer, partner, day)
        _no_other_open_swap(None, day, [proposer, partner])
        swap = Swap(
            opd_id=proposer.opd_id,
            date=day,
            proposer=proposer,
            partner=partner,
            proposer_mode=mine,
            partner_mode=theirs,
            note=note,
        )
        _rules_allow(swap)
        swap.save()
        transaction.on_commit(lambda: notices.swap_proposed(swap))
    return swap


def answer_swap(*, swap_id: int, partner: Employee, accept: bool) -> Swap:
    """The colleague accepts (checked again) or declines a proposed swap."""
    with transaction.atomic():
        swap = _locked_swap(swap_id, partner_id=partner.pk)
        _status_is(swap, Swap.Status.PROPOSED)
        if accept:
            _not_past(swap.date)
            _still_as_proposed(swap)
            _rules_allow(swap)
        swap.status = Swap.Status.ACCEPTED if accept else Swap.Status.DECLINED
        swap.answered_at = timezone.now()
        swap.save(update_fields=["status", "answered_at"])
        transaction.on_commit(lambda: notices.swap_answered(swap))
    return swap


def may_decide(user, swap: Swap) -> bool:
    """The head of the swap's OPD, or BKPSDM; never one of the two who swap."""
    role = role_of(user)
    me = employee_of(user)
    if me is not None and me.pk in (swap.proposer_id, swap.partner_id):
        return False
    if role == Role.BKPSDM:
        return True
    return role == Role.HEAD and me is not None and me.opd_id == swap.opd_id


def decide_swap(*, swap_id: int, user, approve: bool, note: str = "") -> Swap:
    """The head approves (the roster changes) or rejects (with a reason) an accepted swap."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise SwapError(_("Catatan paling panjang {max} karakter.").format(max=NOTE_MAX))
    with transaction.atomic():
        swap = _locked_swap(swap_id)
        if not may_decide(user, swap):
            raise SwapError(
                _(
                    "Anda tidak dapat memutuskan tukar jadwal ini: hanya Kepala OPD-nya (atau "
                    "BKPSDM) yang bukan pihak dalam tukar jadwal itu."
                )
            )
        _status_is(swap, Swap.Status.ACCEPTED)
        if approve:
            _not_past(swap.date)
            _still_as_proposed(swap)
            try:
                change_days(
                    opd_id=swap.opd_id,
                    changes=_changes(swap, swap.proposer.name, swap.partner.name),
                    kind=RosterChange.Kind.SWAP,
                    user=user,
                    note=" · ".join(part for part in (swap.note, note) if part),
                )
            except ChangeError as error:
                raise SwapError(str(error)) from None
        elif not note:
            raise SwapError(_("Tuliskan alasan penolakan agar kedua pegawai tahu sebabnya."))
        swap.status = Swap.Status.APPROVED if approve else Swap.Status.REJECTED
        swap.decided_by = user
        swap.decided_at = timezone.now()
        swap.decision_note = note
        swap.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        transaction.on_commit(lambda: notices.swap_decided(swap))
    return swap


def cancel_swap(*, swap_id: int, proposer: Employee) -> Swap:
    """The proposer withdraws a swap that is still open."""
    with transaction.atomic():
        swap = _locked_swap(swap_id, proposer_id=proposer.pk)
        if swap.status not in Swap.OPEN:
            _status_is(swap, Swap.Status.PROPOSED)
        swap.status = Swap.Status.CANCELLED
        swap.save(update_fields=["status"])
        transaction.on_commit(lambda: notices.swap_cancelled(swap))
    return swap


def previews(opd_id: int, swaps: list[Swap]) -> dict[int, list[str]]:
    """For each swap of one OPD: what would stop its approval now, in words ([] = none).

    The same check as ``check_days`` (the week as it stands against the week with the
    swap, no violation tolerated), with each week's input loaded once for all its
    swaps, so the head's page costs the same queries for one swap or twenty. Approval
    itself goes through ``change_days``, which checks again under the roster's lock."""
    found: dict[int, list[str]] = {swap.pk: [] for swap in swaps}
    by_week = defaultdict(list)
    for swap in swaps:
        by_week[week_start(swap.date)].append(swap)
    violations = []
    for monday, group in sorted(by_week.items()):
        roster = Roster.objects.filter(opd_id=opd_id, week_start=monday).only("status").first()
        if roster is None or roster.status not in CHANGEABLE:
            for swap in group:
                found[swap.pk].append(
                    _("Roster untuk {day} belum diajukan atau disetujui.").format(
                        day=_day(swap.date)
                    )
                )
            continue
        current = {
            (employee_id, day): mode
            for employee_id, day, mode in RosterEntry.objects.filter(roster=roster).values_list(
                "employee_id", "date", "mode"
            )
        }
        _code, week = week_inputs(monday, [opd_id])[opd_id]
        for swap in group:
            now = (
                current.get((swap.proposer_id, swap.date)),
                current.get((swap.partner_id, swap.date)),
            )
            if now != (swap.proposer_mode, swap.partner_mode):
                found[swap.pk].append(
                    _(
                        "jadwal pada {day} sudah berubah sejak diajukan ({proposer} kini "
                        "{mine}, {partner} kini {theirs})"
                    ).format(
                        day=_day(swap.date),
                        proposer=swap.proposer.name,
                        mine=mode_label(now[0] or "-"),
                        partner=swap.partner.name,
                        theirs=mode_label(now[1] or "-"),
                    )
                )
                continue
            proposed = {
                **current,
                (swap.proposer_id, swap.date): swap.partner_mode,
                (swap.partner_id, swap.date): swap.proposer_mode,
            }

            def key(v):
                return (v.rule, v.date, v.person_id, v.post_id)

            before = {key(v) for v in check_week(week, current, days=[swap.date])}
            violations += [
                (swap.pk, v)
                for v in check_week(week, proposed, days=[swap.date])
                if key(v) not in before
            ]
    if violations:
        names = dict(
            Employee.objects.filter(
                pk__in={v.person_id for _pk, v in violations if v.person_id}
            ).values_list("id", "name")
        )
        for pk, violation in violations:
            found[pk].append(violation_text(violation, names))
    return found


__all__ = [
    "SwapError",
    "answer_swap",
    "cancel_swap",
    "decide_swap",
    "may_decide",
    "previews",
    "propose_swap",
]
