"""Who is told what when a roster is decided or submitted (notifications.notify)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications.models import Notification
from notifications.services import Notice, notify, notify_many
from opd.dates import day_text, range_text
from opd.models import Employee, Role

from ..models import Roster


def _users(**filters) -> list[int]:
    return list(
        Employee.objects.filter(active=True, user__isnull=False, **filters).values_list(
            "user_id", flat=True
        )
    )


def rosters_approved(roster_ids: list[int]) -> int:
    """Every employee of each approved roster's OPD: their week's schedule is final."""
    rosters = Roster.objects.filter(pk__in=roster_ids, status="approved").select_related("opd")
    staff: dict[int, list[int]] = {}
    for user_id, opd_id in Employee.objects.filter(
        active=True, user__isnull=False, opd_id__in=[r.opd_id for r in rosters]
    ).values_list("user_id", "opd_id"):
        staff.setdefault(opd_id, []).append(user_id)
    url = reverse("scheduling:my-schedule")
    # One insert for every roster's notices (notify_many), not one notify per roster.
    return notify_many(
        Notice(
            recipients=tuple(staff.get(roster.opd_id, ())),
            kind="roster_approved",
            key=f"roster-approved:{roster.pk}:{roster.decided_at:%Y%m%d%H%M%S}",
            title=gettext_noop("Jadwal minggu {week} disetujui"),
            body=gettext_noop(
                "Jadwal kerja Anda untuk {period} sudah disetujui BKPSDM. Lihat "
                "hari WFH dan WFO Anda di menu Jadwal saya."
            ),
            params={
                "week": roster.week,
                "start": day_text(roster.week_start),
                "end": day_text(roster.week_start + timedelta(days=4)),
                "period": range_text(roster.week_start, roster.week_start + timedelta(days=4)),
            },
            url=url,
        )
        for roster in rosters
    )


def roster_rejected(roster: Roster) -> int:
    """The heads of the OPD: what BKPSDM wants fixed before the week is rebuilt."""
    return notify(
        recipients=_users(opd_id=roster.opd_id, role=Role.HEAD),
        kind="roster_rejected",
        key=f"roster-rejected:{roster.pk}:{roster.decided_at:%Y%m%d%H%M%S}",
        title=gettext_noop("Roster {opd} minggu {week} ditolak BKPSDM"),
        body=gettext_noop("Alasan: {reason}"),
        params={"opd": roster.opd.code, "week": roster.week, "reason": roster.reject_reason},
        url=reverse("scheduling:roster-week", args=[roster.opd.code, roster.week]),
    )


def roster_submitted(roster: Roster) -> int:
    """BKPSDM: a head has submitted a roster for approval."""
    return notify(
        recipients=_users(role=Role.BKPSDM),
        kind="roster_submitted",
        key=f"roster-submitted:{roster.pk}:{roster.submitted_at:%Y%m%d%H%M%S}",
        title=gettext_noop("Roster {opd} minggu {week} diajukan"),
        body=gettext_noop("{opd} mengajukan roster minggu {week} untuk disetujui."),
        params={"opd": roster.opd.code, "week": roster.week},
        url=reverse("admin:scheduling_roster_change", args=[roster.pk]),
    )


# Swaps (services.swaps): the colleague when proposed, the proposer when answered, the
# head when a swap waits for them, both when decided, the colleague when withdrawn.


def _swap_params(swap) -> dict:
    return {
        "proposer": swap.proposer.name,
        "partner": swap.partner.name,
        "date": day_text(swap.date),
        "proposer_mode": swap.proposer_mode,
        "partner_mode": swap.partner_mode,
        "note": swap.decision_note or swap.note,
    }


def swap_proposed(swap) -> int:
    """The colleague: someone offers to trade a day with them."""
    return notify(
        recipients=[swap.partner.user_id],
        kind="swap_proposed",
        key=f"swap-proposed:{swap.pk}",
        title=gettext_noop("{proposer} mengajak tukar jadwal pada {date}"),
        body=gettext_noop(
            "{proposer} ({proposer_mode}) ingin bertukar dengan Anda ({partner_mode}) pada "
            "{date}. Terima atau tolak di menu Tukar jadwal."
        ),
        params=_swap_params(swap),
        url=reverse("scheduling:swaps"),
    )


def swap_answered(swap) -> int:
    """The proposer: the colleague accepted (now waiting for the head) or declined."""
    accepted = swap.status == "accepted"
    return notify(
        recipients=[swap.proposer.user_id],
        kind="swap_answered",
        key=f"swap-answered:{swap.pk}",
        title=gettext_noop("{partner} menerima tukar jadwal {date}")
        if accepted
        else gettext_noop("{partner} menolak tukar jadwal {date}"),
        body=gettext_noop("Tukar jadwal kini menunggu persetujuan Kepala OPD.") if accepted else "",
        params=_swap_params(swap),
        url=reverse("scheduling:swaps"),
    ) + (swap_waiting(swap) if accepted else 0)


def swap_waiting(swap) -> int:
    """The heads of the OPD (BKPSDM when it has none): an accepted swap waits for them."""
    parties = {swap.proposer_id, swap.partner_id}
    heads = [
        user_id
        for pk, user_id in Employee.objects.filter(
            opd_id=swap.opd_id, role=Role.HEAD, active=True, user__isnull=False
        ).values_list("id", "user_id")
        if pk not in parties
    ]
    return notify(
        recipients=heads or _users(role=Role.BKPSDM),
        kind="swap_waiting",
        key=f"swap-waiting:{swap.pk}",
        title=gettext_noop("Tukar jadwal {proposer} dan {partner} menunggu persetujuan"),
        body=gettext_noop(
            "{proposer} ({proposer_mode}) dan {partner} ({partner_mode}) sepakat bertukar "
            "jadwal pada {date}. Setujui atau tolak di halaman Tukar jadwal OPD."
        ),
        params=_swap_params(swap),
        url=reverse("scheduling:opd-swaps", args=[swap.opd.code]),
    )


def swap_decided(swap) -> int:
    """Both colleagues: the head approved (the roster changed) or rejected, with why."""
    approved = swap.status == "approved"
    return notify(
        recipients=[swap.proposer.user_id, swap.partner.user_id],
        kind="swap_decided",
        key=f"swap-decided:{swap.pk}",
        title=gettext_noop("Tukar jadwal {date} disetujui")
        if approved
        else gettext_noop("Tukar jadwal {date} ditolak Kepala OPD"),
        body=gettext_noop(
            "Pada {date} {proposer} kini {partner_mode} dan {partner} kini {proposer_mode}."
        )
        if approved
        else gettext_noop("Alasan: {note}"),
        params=_swap_params(swap),
        url=reverse("scheduling:my-schedule") if approved else reverse("scheduling:swaps"),
    )


def _told(key: str) -> list[int]:
    """Who was told of ``key``: a withdrawal reaches the same people."""
    return list(Notification.objects.filter(key=key).values_list("recipient_id", flat=True))


def swap_cancelled(swap) -> int:
    """The colleague, and the deciders it was already waiting for: the proposer withdrew
    the swap."""
    return notify(
        recipients=[swap.partner.user_id, *_told(f"swap-waiting:{swap.pk}")],
        kind="swap_cancelled",
        key=f"swap-cancelled:{swap.pk}",
        title=gettext_noop("{proposer} membatalkan tukar jadwal {date}"),
        params=_swap_params(swap),
        url=reverse("scheduling:swaps"),
    )


def _request_params(request) -> dict:
    return {
        "name": request.employee.name,
        "kind": str(request.get_kind_display()),
        "start": day_text(request.start),
        "end": day_text(request.end),
        "period": range_text(request.start, request.end),
        "note": request.decision_note,
    }


def request_submitted(request) -> int:
    """Whoever decides it: the heads of the person's OPD, or BKPSDM for a head's own
    request (a head never decides their own)."""
    employee = request.employee
    heads = [
        user_id
        for user_id in _users(opd_id=employee.opd_id, role=Role.HEAD)
        if user_id != employee.user_id
    ]
    recipients = heads if employee.role != Role.HEAD and heads else _users(role=Role.BKPSDM)
    return notify(
        recipients=[r for r in recipients if r != employee.user_id],
        kind="request_submitted",
        key=f"request-submitted:{request.pk}",
        title=gettext_noop("Permohonan {kind} dari {name} menunggu keputusan"),
        body=gettext_noop("{name} mengajukan permohonan {kind} untuk {period}."),
        params=_request_params(request),
        url=reverse("scheduling:opd-requests", args=[employee.opd.code]),
    )


def request_decided(request) -> int:
    """The person: their request was approved or rejected, with the decider's note."""
    approved = request.status == "approved"
    return notify(
        recipients=[request.employee.user_id],
        kind="request_decided",
        key=f"request-decided:{request.pk}",
        title=gettext_noop("Permohonan {kind} Anda disetujui")
        if approved
        else gettext_noop("Permohonan {kind} Anda ditolak"),
        body=(
            gettext_noop("Permohonan {kind} untuk {period} disetujui. Catatan: {note}")
            if request.decision_note
            else gettext_noop("Permohonan {kind} untuk {period} disetujui.")
        )
        if approved
        else gettext_noop("Permohonan {kind} untuk {period} ditolak. Alasan: {note}"),
        params=_request_params(request),
        url=reverse("scheduling:requests"),
    )


def request_cancelled(request) -> int:
    """Whoever was asked to decide it: the person withdrew the request."""
    return notify(
        recipients=_told(f"request-submitted:{request.pk}"),
        kind="request_cancelled",
        key=f"request-cancelled:{request.pk}",
        title=gettext_noop("{name} membatalkan permohonan {kind}"),
        body=gettext_noop("Permohonan {kind} untuk {period} tidak perlu diputuskan lagi."),
        params=_request_params(request),
        url=reverse("scheduling:opd-requests", args=[request.employee.opd.code]),
    )
