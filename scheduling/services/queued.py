"""Week builds through the queue: one record per request, one item per OPD, and the
e-mail to BKPSDM when the last item is done."""

from collections import Counter
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from opd.models import Opd, Role

from ..calendar import week_label
from ..models import Roster, RosterBuild, RosterBuildItem
from .build import build_roster


def start_week_build(*, week_start: date, task_id: str, user_id: int | None = None):
    """Record a build of one week for every OPD; a redelivered task finds its record.

    Returns the build and the OPD ids whose part is still pending (all of them the
    first time), for the caller to fan out.
    """
    with transaction.atomic():
        build, created = RosterBuild.objects.get_or_create(
            task_id=task_id, defaults={"week_start": week_start, "requested_by_id": user_id}
        )
        if created:
            RosterBuildItem.objects.bulk_create(
                RosterBuildItem(build=build, opd_id=opd_id)
                for opd_id in Opd.objects.order_by("code").values_list("id", flat=True)
            )
    pending = list(
        build.items.filter(outcome=RosterBuildItem.Outcome.PENDING).values_list("opd_id", flat=True)
    )
    return build, pending


def run_build_item(*, build_id: int, opd_id: int) -> str:
    """Build one OPD's part of a queued week build; a duplicate delivery does nothing."""
    build = RosterBuild.objects.select_related("requested_by").get(pk=build_id)
    item = RosterBuildItem.objects.get(build=build, opd_id=opd_id)
    if item.outcome != RosterBuildItem.Outcome.PENDING:
        return item.outcome
    [outcome] = build_roster(week_start=build.week_start, opd_ids=[opd_id], user=build.requested_by)
    RosterBuildItem.objects.filter(pk=item.pk, outcome=RosterBuildItem.Outcome.PENDING).update(
        outcome=outcome.outcome, message=outcome.message, finished_at=timezone.now()
    )
    notify_if_finished(build_id=build_id)
    return outcome.outcome


def fail_build_item(*, build_id: int, opd_id: int, message: str) -> None:
    RosterBuildItem.objects.filter(
        build_id=build_id, opd_id=opd_id, outcome=RosterBuildItem.Outcome.PENDING
    ).update(
        outcome=RosterBuildItem.Outcome.FAILED, message=message[:2000], finished_at=timezone.now()
    )
    notify_if_finished(build_id=build_id)


def notify_if_finished(*, build_id: int) -> bool:
    """E-mail BKPSDM once, when the last OPD of a build is done. True if it sent."""
    if RosterBuildItem.objects.filter(
        build_id=build_id, outcome=RosterBuildItem.Outcome.PENDING
    ).exists():
        return False
    # Two parts finishing at once both get here; only one wins this update.
    if not RosterBuild.objects.filter(pk=build_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    ):
        return False
    build = RosterBuild.objects.get(pk=build_id)
    items = list(build.items.select_related("opd").order_by("opd__code"))
    by_outcome = Counter(item.outcome for item in items)
    week = week_label(build.week_start)
    context = {
        "week": week,
        "built": by_outcome[RosterBuildItem.Outcome.BUILT],
        "unchanged": by_outcome[RosterBuildItem.Outcome.UNCHANGED],
        "refused": by_outcome[RosterBuildItem.Outcome.REFUSED],
        "failed": [i for i in items if i.outcome == RosterBuildItem.Outcome.FAILED],
        "short": list(
            Roster.objects.filter(week_start=build.week_start, shortfall_count__gt=0)
            .select_related("opd")
            .order_by("opd__code")
        ),
        "url": f"{settings.SITE_URL}/admin/scheduling/roster/?week={week}&status__exact=draft",
    }
    recipients = set(settings.BKPSDM_EMAILS)
    recipients |= set(
        get_user_model()
        .objects.filter(is_active=True, employee__role=Role.BKPSDM)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            _("Roster minggu {week} menunggu persetujuan").format(week=week),
            render_to_string("scheduling/email/week_built.txt", context),
            None,
            sorted(recipients),
        )
    return True
