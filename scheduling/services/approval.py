"""BKPSDM's decision on draft rosters, recorded in the roster history."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from opd.history import change_reason

from ..models import Roster, RosterStatus
from ..signals import rosters_decided
from . import notices


@dataclass(frozen=True)
class DecisionResult:
    changed: list[Roster]
    skipped: list[Roster]


def _decide(roster_ids, *, user, status: str, reason: str = "") -> DecisionResult:
    with transaction.atomic():
        rosters = list(
            Roster.objects.select_for_update(of=("self",))
            .select_related("opd")
            .filter(pk__in=roster_ids)
        )
        undecided = (RosterStatus.DRAFT, RosterStatus.SUBMITTED)
        changed = [r for r in rosters if r.status in undecided]
        skipped = [r for r in rosters if r.status not in undecided]
        now = timezone.now()
        for roster in changed:
            roster.status, roster.decided_by, roster.decided_at = status, user, now
            roster.reject_reason = reason
        if changed:
            bulk_update_with_history(
                changed,
                Roster,
                ["status", "decided_by", "decided_at", "reject_reason"],
                default_user=user,
                default_change_reason=change_reason(Roster, reason or _("disetujui")),
            )
            _tell(changed, status)
            decided = [(r.opd_id, r.week_start) for r in changed]
            transaction.on_commit(
                lambda: rosters_decided.send(sender=Roster, decided=decided, status=status)
            )
    return DecisionResult(changed, skipped)


def _tell(rosters: list[Roster], status: str) -> None:
    """After the commit: the OPD's staff hear of an approval (many people: a task),
    its head of a rejection."""
    if status == RosterStatus.APPROVED:
        from ..tasks import notify_rosters_approved

        ids = [r.pk for r in rosters]
        transaction.on_commit(lambda: notify_rosters_approved.delay(ids))
    elif status == RosterStatus.REJECTED:
        transaction.on_commit(lambda: [notices.roster_rejected(r) for r in rosters])


def approve_rosters(*, roster_ids, user) -> DecisionResult:
    """Approve draft or submitted rosters (others are skipped); each change is kept in
    the history, which so shows whether the head had submitted it first."""
    return _decide(roster_ids, user=user, status=RosterStatus.APPROVED)


def reject_rosters(*, roster_ids, user, reason: str) -> DecisionResult:
    """Reject draft or submitted rosters with a reason; the OPD's data is fixed and the
    week rebuilt."""
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Alasan penolakan wajib diisi."))
    return _decide(roster_ids, user=user, status=RosterStatus.REJECTED, reason=reason)
