"""Who is told what when a roster is decided or submitted (notifications.notify)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_noop

from notifications.services import notify
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
    sent = 0
    for roster in rosters:
        sent += notify(
            recipients=staff.get(roster.opd_id, []),
            kind="roster_approved",
            key=f"roster-approved:{roster.pk}:{roster.decided_at:%Y%m%d%H%M%S}",
            title=gettext_noop("Jadwal minggu {week} disetujui"),
            body=gettext_noop(
                "Jadwal kerja Anda untuk {start} s.d. {end} sudah disetujui BKPSDM. Lihat "
                "hari WFH dan WFO Anda di menu Jadwal saya."
            ),
            params={
                "week": roster.week,
                "start": roster.week_start.strftime("%d-%m-%Y"),
                "end": (roster.week_start + timedelta(days=4)).strftime("%d-%m-%Y"),
            },
            url=reverse("scheduling:my-schedule"),
        )
    return sent


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
