"""Requests by an ASN, decided by their head: izin, sakit, cuti, dinas luar, WFA, WFH.

``submit_request`` checks a request before anything is written and refuses it with a
message naming what is wrong (``RequestError``):

- the dates run forward, lie in the window the kind allows (izin and sakit may start
  up to ``BACKDATE_DAYS`` back, the others from today; at most ``MAX_AHEAD_DAYS``
  ahead) and span at most ``MAX_DAYS[kind]`` days, with at least one working day;
- cuti names its kind (``Leave.Kind``, as in ``leaves.csv``);
- a WFA day only where a WFA policy is active, a WFH day only where the active policy
  has ``approval_required``, and only for someone whose work may leave the office;
- no overlap with the person's other pending request (or an approved WFA/WFH day) or
  recorded leave;
- an attachment is optional: PDF, JPEG or PNG by its first bytes (not its name nor the
  browser's word), at most ``MAX_ATTACHMENT_BYTES``, stored under a generated name on
  the private storage (outside ``static/``, no URL).

``decide_request`` is for the head of the person's OPD or BKPSDM (a head never decides
their own request: BKPSDM does). In one transaction, with the request row locked and
its status checked (a double click applies nothing twice), an approval becomes the
same thing the importer or a change would make, by the one path into the roster:

- izin, sakit, cuti, dinas luar: a ``Leave`` (``full_clean``), then its days in
  submitted or approved rosters become ``LEAVE`` through ``changes.change_days`` (a
  post left short is tolerated: sickness is not refused; ``preview_request`` warns
  the head first and names who could be recalled); a draft week is rebuilt so it
  shows the leave; a week not built yet needs nothing (the build reads ``Leave``);
- WFA, WFH: ``change_days`` with ``Reason.REQUESTED`` on submitted or approved weeks
  (no rule may break), a pin (``adjust.adjust_day``) on a draft week; a week without a
  roster is refused.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.access import role_of
from opd.dates import day_text
from opd.models import Employee, Role

from .. import roster as rules
from ..calendar import holidays_between, is_working_day, week_label, week_start
from ..models import DayRequest, Holiday, Leave, Policy, Roster, RosterChange, RosterEntry
from ..models import RosterStatus as Status
from ..periods import format_period
from ..reasons import violation_text
from ..selectors import Candidate, recall_candidates_on
from ..week_check import Rule, Violation
from . import notices
from .adjust import AdjustmentError, adjust_day
from .build import build_roster, weeks_inputs
from .changes import CHANGEABLE, ChangeError, DayChange, _by_week, assess, change_days

Kind = DayRequest.Kind

# How far back a request may start (izin and sakit are often told the same morning or
# after the fact); the others start today at the earliest.
BACKDATE_DAYS = {Kind.PERMIT: 3, Kind.SICK: 3}
MAX_AHEAD_DAYS = 180
# Calendar days a request may span, both ends counted.
MAX_DAYS = {
    Kind.PERMIT: 5,
    Kind.SICK: 14,
    Kind.LEAVE: 92,  # cuti besar and cuti melahirkan: up to three months
    Kind.DUTY: 30,
    Kind.WFA: 5,
    Kind.WFH: 5,
}
# The leave an approved request records; cuti records the kind the person chose.
LEAVE_KINDS = {
    Kind.PERMIT: Leave.Kind.PERMIT,
    Kind.SICK: Leave.Kind.SICK,
    Kind.DUTY: Leave.Kind.DUTY,
}
# Kinds of cuti a person may ask for (izin and dinas luar are kinds of request of their
# own; cuti bersama is decreed, not requested).
CUTI_KINDS = [
    k for k in Leave.Kind if k not in (Leave.Kind.DUTY, Leave.Kind.PERMIT, Leave.Kind.JOINT)
]
REMOTE_KINDS = {Kind.WFA: rules.WFA, Kind.WFH: rules.WFH}
# Leave may leave a post short or move the day's remote count: warned, not refused.
LEAVE_TOLERATE = frozenset({Rule.POST_MINIMUM, Rule.TOO_FEW_REMOTE, Rule.TOO_MANY_REMOTE})

MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
# First bytes -> (content type, file extension).
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


class RequestError(Exception):
    """A request that cannot be submitted, decided or cancelled; the message says why."""


def _day(value: date) -> str:
    return day_text(value)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG by its first bytes, else None."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def _read_attachment(upload) -> tuple[bytes, str]:
    """The upload's bytes and extension, or ``RequestError``: too big, wrong type."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_ATTACHMENT_BYTES:
        raise RequestError(_("Lampiran terlalu besar: paling besar 2 MB."))
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise RequestError(_("Lampiran terlalu besar: paling besar 2 MB."))
    found = sniff(data[:8])
    if found is None:
        raise RequestError(
            _(
                "Lampiran harus berupa PDF, JPEG atau PNG; isi berkas ini bukan salah satunya "
                "(nama berkas saja tidak cukup)."
            )
        )
    return data, found[1]


def working_days_between(start: date, end: date) -> list[date]:
    """Monday-Friday days from ``start`` to ``end`` that are not holidays."""
    extra = dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "name"))
    return _working_days(start, end, holidays_between(start, end, extra))


def _working_days(start: date, end: date, holidays) -> list[date]:
    days, day = [], start
    while day <= end:
        if is_working_day(day, holidays):
            days.append(day)
        day += timedelta(days=1)
    return days


def _check_remote_days(employee: Employee, kind: str, days: list[date]) -> None:
    if employee.role == Role.HEAD:
        raise RequestError(_("Kepala OPD selalu bekerja di kantor; WFA/WFH tidak dapat diajukan."))
    if employee.opd.essential:
        raise RequestError(
            _("{opd} adalah OPD esensial: pegawainya selalu bekerja di kantor.").format(
                opd=employee.opd.name
            )
        )
    if not employee.wfh_eligible:
        raise RequestError(_("Tugas Anda tidak dapat dikerjakan dari luar kantor."))
    stored = {p.pk: p for p in Policy.objects.filter(start__lte=days[-1], end__gte=days[0])}
    in_force = tuple(p.as_rule() for p in stored.values())
    for day in days:
        # The planner's choice of policy and of its remote days, so that a request is
        # open exactly where the roster would send the person away from the office.
        rule = rules.active_policy(in_force, day)
        policy = stored[rule.id] if rule else None
        on_policy_day = rules.remote_day(rule, day)
        if kind == Kind.WFA and not (on_policy_day and policy.mode == rules.PolicyKind.WFA):
            raise RequestError(
                _(
                    "Tidak ada kebijakan WFA yang berlaku pada {day}; WFA hanya dapat diajukan "
                    "pada hari WFA."
                ).format(day=_day(day))
            )
        if kind == Kind.WFH and not (
            on_policy_day and policy.approval_required and policy.mode != rules.PolicyKind.WFA
        ):
            raise RequestError(
                _(
                    "WFH pada {day} tidak dapat diajukan: kebijakan yang berlaku pada hari itu "
                    "tidak membuka WFH dengan persetujuan Kepala OPD."
                ).format(day=_day(day))
            )


def _check_overlap(employee_id: int, start: date, end: date, exclude_pk=None) -> None:
    open_or_remote = Q(status=DayRequest.Status.PENDING) | Q(
        status=DayRequest.Status.APPROVED, kind__in=list(REMOTE_KINDS)
    )
    others = (
        DayRequest.objects.filter(employee_id=employee_id, start__lte=end, end__gte=start)
        .filter(open_or_remote)
        .exclude(pk=exclude_pk)
        .order_by("start")
        .first()
    )
    if others is not None:
        raise RequestError(
            _("Tanggal itu bertumpuk dengan permohonan {kind} {period} yang {status}.").format(
                kind=others.get_kind_display(),
                period=format_period(others),
                status=others.get_status_display(),
            )
        )
    leave = (
        Leave.objects.filter(employee_id=employee_id, start__lte=end, end__gte=start)
        .order_by("start")
        .first()
    )
    if leave is not None:
        raise RequestError(
            _("Tanggal itu bertumpuk dengan {kind} {period} yang sudah tercatat.").format(
                kind=leave.get_kind_display(), period=format_period(leave)
            )
        )


def validate_request(
    *, employee: Employee, kind: str, start: date, end: date, leave_kind: str = ""
) -> list[date]:
    """The request's working days, or ``RequestError`` naming what is wrong."""
    if kind not in Kind.values:
        raise RequestError(_("Pilih jenis permohonan."))
    if not employee.active:
        raise RequestError(_("Pegawai ini tidak aktif."))
    if start is None or end is None:
        raise RequestError(_("Isi tanggal mulai dan tanggal selesai."))
    if end < start:
        raise RequestError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    today = timezone.localdate()
    back = BACKDATE_DAYS.get(kind, 0)
    if start < today - timedelta(days=back):
        if back:
            raise RequestError(
                _(
                    "Permohonan {kind} paling lambat diajukan {days} hari setelah tanggal "
                    "mulainya; {day} sudah lewat."
                ).format(kind=Kind(kind).label, days=back, day=_day(start))
            )
        raise RequestError(
            _("Permohonan {kind} hanya untuk hari ini atau sesudahnya; {day} sudah lewat.").format(
                kind=Kind(kind).label, day=_day(start)
            )
        )
    if start > today + timedelta(days=MAX_AHEAD_DAYS):
        raise RequestError(
            _("Permohonan paling jauh untuk {days} hari ke depan.").format(days=MAX_AHEAD_DAYS)
        )
    length = (end - start).days + 1
    if length > MAX_DAYS[kind]:
        raise RequestError(
            _("Permohonan {kind} paling lama {max} hari; yang diajukan {days} hari.").format(
                kind=Kind(kind).label, max=MAX_DAYS[kind], days=length
            )
        )
    if kind == Kind.LEAVE:
        if leave_kind not in CUTI_KINDS:
            raise RequestError(_("Pilih jenis cuti."))
    elif leave_kind:
        raise RequestError(_("Jenis cuti hanya diisi untuk permohonan cuti."))
    days = working_days_between(start, end)
    if not days:
        raise RequestError(
            _("Tidak ada hari kerja antara {start} dan {end}.").format(
                start=_day(start), end=_day(end)
            )
        )
    if kind in REMOTE_KINDS:
        _check_remote_days(employee, kind, days)
    _check_overlap(employee.pk, start, end)
    return days


def submit_request(
    *,
    employee: Employee,
    kind: str,
    start: date,
    end: date,
    leave_kind: str = "",
    note: str = "",
    attachment=None,
) -> DayRequest:
    """Check and store a request, and tell whoever decides it. Raises ``RequestError``
    (nothing written)."""
    note = (note or "").strip()
    if len(note) > 500:
        raise RequestError(_("Keterangan paling panjang 500 karakter."))
    content = _read_attachment(attachment) if attachment else None
    stored = None
    try:
        with transaction.atomic():
            # One submission at a time per person, so two cannot both pass the overlap check.
            employee = (
                Employee.objects.select_for_update(of=("self",))
                .select_related("opd")
                .get(pk=employee.pk)
            )
            validate_request(
                employee=employee, kind=kind, start=start, end=end, leave_kind=leave_kind
            )
            request = DayRequest(
                employee=employee,
                kind=kind,
                leave_kind=leave_kind if kind == Kind.LEAVE else "",
                start=start,
                end=end,
                note=note,
            )
            if content is not None:
                data, extension = content
                request.attachment.save(
                    f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False
                )
                stored = request.attachment.name
            request.save()
            # In the transaction: the notice exists exactly when the request does.
            notices.request_submitted(request)
    except BaseException:
        # Django has no rollback hook: a file whose request row never appeared goes.
        if stored:
            DayRequest._meta.get_field("attachment").storage.delete(stored)
        raise
    return request


def cancel_request(*, request_id: int, employee: Employee) -> DayRequest:
    """The person withdraws their own pending request (``DoesNotExist`` for another's)."""
    with transaction.atomic():
        request = DayRequest.objects.select_for_update().get(pk=request_id, employee_id=employee.pk)
        if request.status != DayRequest.Status.PENDING:
            raise RequestError(
                _(
                    "Permohonan ini sudah {status}; hanya permohonan yang menunggu keputusan "
                    "yang dapat dibatalkan."
                ).format(status=request.get_status_display())
            )
        request.status = DayRequest.Status.CANCELLED
        request.save(update_fields=["status"])
        notices.request_cancelled(request)
    return request


def can_decide(request: DayRequest, user) -> bool:
    """The head of the person's OPD or BKPSDM, and never the person themselves."""
    if request.employee.user_id == user.pk:
        return False
    role = role_of(user)
    if role == Role.BKPSDM:
        return True
    if role == Role.HEAD:
        return user.employee.opd_id == request.employee.opd_id
    return False


def decide_request(*, request_id: int, user, approve: bool, note: str = "") -> DayRequest:
    """Approve or reject a pending request (a rejection needs a note). An approval is
    applied to the roster in the same transaction; raises ``RequestError``, writing
    nothing, when it cannot be."""
    note = (note or "").strip()
    if len(note) > 300:
        raise RequestError(_("Catatan paling panjang 300 karakter."))
    if not approve and not note:
        raise RequestError(_("Tuliskan alasan penolakan agar pegawai tahu apa yang kurang."))
    with transaction.atomic():
        request = (
            DayRequest.objects.select_for_update(of=("self",))
            .select_related("employee__opd", "employee__user")
            .get(pk=request_id)
        )
        if request.employee.user_id == user.pk:
            raise RequestError(
                _("Permohonan Anda sendiri diputuskan oleh BKPSDM, bukan oleh Anda.")
            )
        if not can_decide(request, user):
            raise RequestError(
                _("Hanya Kepala OPD pegawai itu atau BKPSDM yang dapat memutuskan permohonan ini.")
            )
        if request.status != DayRequest.Status.PENDING:
            raise RequestError(
                _("Permohonan ini sudah {status}; tidak ada yang diubah.").format(
                    status=request.get_status_display()
                )
            )
        if approve:
            _apply(request, user, note)
        request.status = DayRequest.Status.APPROVED if approve else DayRequest.Status.REJECTED
        request.decided_by = user
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "leave"])
        notices.request_decided(request)
    return request


def _change_note(request: DayRequest) -> str:
    return _("permohonan {kind} {name}").format(
        kind=request.get_kind_display(), name=request.employee.name
    )


def _apply(request: DayRequest, user, note: str) -> None:
    if request.kind in REMOTE_KINDS:
        _apply_remote(request, user)
    else:
        _apply_leave(request, user)


def _leave_kind(request: DayRequest) -> str:
    return LEAVE_KINDS.get(request.kind) or request.leave_kind


def _leave_plan(request: DayRequest, kind: str, days) -> dict[int, list[DayChange]]:
    """The approval preview's changes: the person's (OPD id, date) in submitted or
    approved rosters, not holidays, in date order, as leave (``leave_on_rosters`` makes
    them). Pure."""
    changes: dict[int, list[DayChange]] = {}
    for opd_id, day in days:
        changes.setdefault(opd_id, []).append(
            DayChange(request.employee_id, day, rules.LEAVE, rules.Reason.LEAVE, {"kind": kind})
        )
    return changes


def _apply_leave(request: DayRequest, user) -> None:
    leave = Leave(
        employee_id=request.employee_id,
        start=request.start,
        end=request.end,
        kind=_leave_kind(request),
    )
    try:
        leave.full_clean()
        with transaction.atomic():
            leave.save()
    except ValidationError as error:
        raise RequestError(" ".join(error.messages)) from None
    except IntegrityError:
        raise RequestError(
            _("Cuti pegawai ini baru saja berubah; muat ulang halaman lalu coba lagi.")
        ) from None
    request.leave = leave
    try:
        leave_on_rosters(
            [LeavePeriod(request.employee_id, request.start, request.end, leave.kind)],
            user=user,
            note=_change_note(request),
        )
    except ChangeError as error:
        raise RequestError(str(error)) from None


@dataclass(frozen=True)
class LeavePeriod:
    employee_id: int
    start: date
    end: date
    kind: str


def leave_changes(
    periods: list[LeavePeriod], *, skip_modes=(rules.HOLIDAY,)
) -> dict[int, list[DayChange]]:
    """Per OPD, the days of ``periods`` in submitted or approved rosters as LEAVE, in
    date order (one query); days already in ``skip_modes`` left out."""
    people = {p.employee_id for p in periods}
    low, high = min(p.start for p in periods), max(p.end for p in periods)
    by_person: dict[int, list[LeavePeriod]] = {}
    for period in periods:
        by_person.setdefault(period.employee_id, []).append(period)
    changes: dict[int, list[DayChange]] = {}
    entries = (
        RosterEntry.objects.filter(
            employee_id__in=people, date__range=(low, high), roster__status__in=CHANGEABLE
        )
        .exclude(mode__in=skip_modes)
        .order_by("date")
        .values_list("roster__opd_id", "employee_id", "date")
    )
    for opd_id, employee_id, day in entries:
        for period in by_person[employee_id]:
            if period.start <= day <= period.end:
                changes.setdefault(opd_id, []).append(
                    DayChange(
                        employee_id, day, rules.LEAVE, rules.Reason.LEAVE, {"kind": period.kind}
                    )
                )
    return changes


def _leave_changes(request: DayRequest, kind: str) -> dict[int, list[DayChange]]:
    """Per OPD, one request's days in submitted or approved rosters, as leave."""
    return leave_changes([LeavePeriod(request.employee_id, request.start, request.end, kind)])


def leave_on_rosters(
    periods: list[LeavePeriod], *, user, note: str, skip_modes=(rules.HOLIDAY,)
) -> None:
    """Recorded leave reaches the rosters, as for an approved leave request: the days in
    submitted or approved rosters become LEAVE through ``change_days`` (post minimums
    tolerated), and draft weeks are planned again (pins kept). ``ChangeError`` when a
    change cannot be made. Days already in ``skip_modes`` are left as they are."""
    if not periods:
        return
    changes = leave_changes(periods, skip_modes=skip_modes)
    for opd_id, opd_changes in sorted(changes.items()):
        change_days(
            opd_id=opd_id,
            changes=opd_changes,
            kind=RosterChange.Kind.REQUEST,
            user=user,
            note=note,
            tolerate=LEAVE_TOLERATE,
            skip_missing=True,
        )
    people = {p.employee_id for p in periods}
    low, high = min(p.start for p in periods), max(p.end for p in periods)
    drafts = (
        RosterEntry.objects.filter(
            employee_id__in=people, date__range=(low, high), roster__status=Status.DRAFT
        )
        .values_list("roster__opd_id", "roster__week_start")
        .distinct()
    )
    for opd_id, monday in sorted(set(drafts)):
        build_roster(week_start=monday, opd_ids=[opd_id], user=user)


def _remote_plan(request: DayRequest):
    """(mode, changes per OPD for submitted/approved weeks, draft (roster, day) pairs,
    refusals for weeks without a roster)."""
    days = working_days_between(request.start, request.end)
    mondays = sorted({week_start(d) for d in days})
    rosters = {
        r.week_start: r
        for r in Roster.objects.filter(opd_id=request.employee.opd_id, week_start__in=mondays)
    }
    entries = dict(
        RosterEntry.objects.filter(
            employee_id=request.employee_id, date__in=days, roster__opd_id=request.employee.opd_id
        ).values_list("date", "mode")
    )
    return _plan_remote(request, days, rosters, entries)


def _plan_remote(request: DayRequest, days: list[date], rosters: dict, entries: dict):
    """``_remote_plan`` from the request's working days, its OPD's rosters of those
    weeks by Monday and the person's modes there by date. Pure."""
    mode = REMOTE_KINDS[request.kind]
    mondays = sorted({week_start(d) for d in days})
    changes, drafts, missing = [], [], []
    for monday in mondays:
        roster = rosters.get(monday)
        if roster is None or roster.status == Status.REJECTED:
            missing.append(
                _(
                    "Roster minggu {week} belum dibuat, jadi permohonan {kind} untuk minggu itu "
                    "belum dapat diputuskan."
                ).format(week=week_label(monday), kind=request.get_kind_display())
            )
            continue
        for day in (d for d in days if monday <= d < monday + timedelta(days=7)):
            if roster.status == Status.DRAFT:
                drafts.append((roster, day))
            elif entries.get(day) != mode:
                changes.append(
                    DayChange(
                        request.employee_id, day, mode, rules.Reason.REQUESTED, {"mode": mode}
                    )
                )
    return mode, changes, drafts, missing


def _apply_remote(request: DayRequest, user) -> None:
    mode, changes, drafts, missing = _remote_plan(request)
    if missing:
        raise RequestError(" ".join(missing))
    try:
        if changes:
            change_days(
                opd_id=request.employee.opd_id,
                changes=changes,
                kind=RosterChange.Kind.REQUEST,
                user=user,
                note=_change_note(request),
            )
        for roster, day in drafts:
            adjust_day(
                roster=roster, employee_id=request.employee_id, day=day, mode=mode, user=user
            )
    except (ChangeError, AdjustmentError) as error:
        raise RequestError(str(error)) from None


@dataclass(frozen=True)
class ShortPost:
    """A post an approval would leave short on a day, and who could be recalled."""

    text: str
    date: date
    candidates: list[Candidate]


@dataclass
class Preview:
    """What approving a request would do, for the head before they decide."""

    refused: list[str] = field(default_factory=list)  # why it cannot be approved
    warnings: list[str] = field(default_factory=list)  # rules it bends (a post short)
    notes: list[str] = field(default_factory=list)  # draft weeks, weeks not built yet
    short: list[ShortPost] = field(default_factory=list)

    @property
    def can_approve(self) -> bool:
        return not self.refused


def preview_request(request: DayRequest) -> Preview:
    """The dry run of an approval: nothing is written."""
    return preview_requests([request])[request.pk]


@dataclass
class _Draft:
    """A preview before the names of the people in its violations are known."""

    refused: list = field(default_factory=list)  # words, or a Violation
    warnings: list = field(default_factory=list)  # (OPD id, Violation)
    notes: list[str] = field(default_factory=list)


def preview_requests(requests: list[DayRequest]) -> dict[int, Preview]:
    """``preview_request`` for each of ``requests`` (by id), with what they need loaded
    once for all of them: a fixed number of queries whether one request is previewed
    or twenty, whatever weeks they cover (the head's page). Each request is checked as
    ``check_days`` checks it (``changes.assess`` on the week's roster and inputs), on
    its own against the roster as it stands; nothing is written."""
    found = {request.pk: Preview() for request in requests}
    pending = [r for r in requests if r.status == DayRequest.Status.PENDING]
    if not pending:
        return found
    first, last = min(r.start for r in pending), max(r.end for r in pending)
    people = {r.employee_id for r in pending}
    remote = [r for r in pending if r.kind in REMOTE_KINDS]

    extra = dict(Holiday.objects.filter(date__range=(first, last)).values_list("date", "name"))
    holidays = holidays_between(first, last, extra)
    recorded: dict[int, list[Leave]] = defaultdict(list)
    for leave in Leave.objects.filter(
        employee_id__in=people, start__lte=last, end__gte=first
    ).order_by("start"):
        recorded[leave.employee_id].append(leave)
    # The people's roster days: (employee, date, mode, roster id, OPD, Monday, status).
    entries = list(
        RosterEntry.objects.filter(employee_id__in=people, date__range=(first, last))
        .order_by("date")
        .values_list(
            "employee_id",
            "date",
            "mode",
            "roster_id",
            "roster__opd_id",
            "roster__week_start",
            "roster__status",
        )
    )
    days = {r.pk: _working_days(r.start, r.end, holidays) for r in remote}
    rosters: dict[tuple[int, date], Roster] = {}
    if remote:
        for roster in Roster.objects.filter(
            opd_id__in={r.employee.opd_id for r in remote},
            week_start__in={week_start(d) for r in remote for d in days[r.pk]},
        ).only("id", "opd_id", "week_start", "status"):
            rosters[(roster.opd_id, roster.week_start)] = roster

    # Each request's changes per OPD, with the roster each week's changes go to.
    drafts: dict[int, _Draft] = {}
    checks: dict[int, list[tuple[int, list[DayChange], frozenset]]] = {}
    changeable: dict[tuple[int, date], int] = {}
    for request in pending:
        draft = drafts[request.pk] = _Draft()
        mine = [row for row in entries if row[0] == request.employee_id]
        mine = [row for row in mine if request.start <= row[1] <= request.end]
        if request.kind in REMOTE_KINDS:
            opd_id = request.employee.opd_id
            plan_rosters = {
                monday: roster for (opd, monday), roster in rosters.items() if opd == opd_id
            }
            modes = {day: mode for _e, day, mode, _r, opd, _m, _s in mine if opd == opd_id}
            _mode, changes, week_drafts, missing = _plan_remote(
                request, days[request.pk], plan_rosters, modes
            )
            draft.refused += missing
            checks[request.pk] = [(opd_id, changes, frozenset())] if changes else []
            for change in changes:
                roster = plan_rosters[week_start(change.date)]
                changeable[(opd_id, roster.week_start)] = roster.pk
            for monday in sorted({roster.week_start for roster, _day in week_drafts}):
                draft.notes.append(
                    _(
                        "Roster minggu {week} masih draf: hari itu disimpan sebagai penyesuaian "
                        "Kepala OPD dan diperiksa terhadap aturan saat disetujui."
                    ).format(week=week_label(monday))
                )
            continue
        clash = next(
            (
                leave
                for leave in recorded.get(request.employee_id, ())
                if leave.start <= request.end and leave.end >= request.start
            ),
            None,
        )
        if clash is not None:
            draft.refused.append(
                _("Sudah tercatat {kind} {period} pada tanggal itu.").format(
                    kind=clash.get_kind_display(), period=format_period(clash)
                )
            )
        in_rosters = [row for row in mine if row[6] in CHANGEABLE and row[2] != rules.HOLIDAY]
        for _e, _day, _mode, roster_id, opd_id, monday, _s in in_rosters:
            changeable[(opd_id, monday)] = roster_id
        plan = _leave_plan(request, _leave_kind(request), [(row[4], row[1]) for row in in_rosters])
        checks[request.pk] = [(opd_id, changes, LEAVE_TOLERATE) for opd_id, changes in plan.items()]
        for monday in sorted({row[5] for row in mine if row[6] == Status.DRAFT}):
            draft.notes.append(
                _(
                    "Roster minggu {week} masih draf: roster itu dibangun ulang dengan cuti ini."
                ).format(week=week_label(monday))
            )

    # The weeks' rosters and inputs, once for all requests; then the check, in Python.
    current: dict[int, dict[tuple[int, date], str]] = defaultdict(dict)
    if changeable:
        for roster_id, employee_id, day, mode in RosterEntry.objects.filter(
            roster_id__in=set(changeable.values())
        ).values_list("roster_id", "employee_id", "date", "mode"):
            current[roster_id][(employee_id, day)] = mode
    inputs = weeks_inputs(
        {monday for _opd, monday in changeable}, sorted({opd for opd, _monday in changeable})
    )
    for request in pending:
        draft = drafts[request.pk]
        for opd_id, changes, tolerate in checks[request.pk]:
            for monday, week_changes in _by_week(changes).items():
                roster_id = changeable[(opd_id, monday)]
                _code, week = inputs[(monday, opd_id)]
                try:
                    _week, broken, accepted = assess(
                        week, current[roster_id], week_changes, tolerate
                    )
                except ChangeError as error:
                    draft.refused.append(str(error))
                    continue
                draft.refused += broken
                draft.warnings += [(opd_id, violation) for violation in accepted]

    violations = [v for d in drafts.values() for v in d.refused if isinstance(v, Violation)]
    violations += [v for d in drafts.values() for _opd, v in d.warnings]
    names = {}
    if any(v.person_id for v in violations):
        names = dict(
            Employee.objects.filter(
                pk__in={v.person_id for v in violations if v.person_id}
            ).values_list("id", "name")
        )
    short = {
        (opd_id, v.date, v.post_id)
        for d in drafts.values()
        for opd_id, v in d.warnings
        if v.rule == Rule.POST_MINIMUM and v.post_id
    }
    candidates = recall_candidates_on(short)
    for request in pending:
        draft, preview = drafts[request.pk], found[request.pk]
        preview.refused = [
            violation_text(v, names) if isinstance(v, Violation) else v for v in draft.refused
        ]
        for opd_id, violation in draft.warnings:
            text = violation_text(violation, names)
            preview.warnings.append(text)
            if violation.rule == Rule.POST_MINIMUM and violation.post_id:
                preview.short.append(
                    ShortPost(
                        text,
                        violation.date,
                        [
                            c
                            for c in candidates[(opd_id, violation.date, violation.post_id)]
                            if c.employee_id != request.employee_id
                        ],
                    )
                )
        preview.notes = draft.notes
    return found
