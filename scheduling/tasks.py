"""Celery tasks: a few lines each, calling the services."""

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from .calendar import parse_week, week_label, week_start
from .services import notices, queued

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True)
def queue_week_build(self, week: str, requested_by_id: int | None = None) -> int:
    """Build one ISO week (``2026-W50``) for every OPD: one subtask per OPD."""
    build, pending = queued.start_week_build(
        week_start=parse_week(week), task_id=self.request.id or week, user_id=requested_by_id
    )
    transaction.on_commit(lambda: [build_opd_roster.delay(build.pk, opd_id) for opd_id in pending])
    return build.pk


@shared_task(acks_late=True)
def build_next_week() -> str:
    """The weekly schedule (Thursday 20:00 WIB): build next week's rosters."""
    monday = week_start(timezone.localdate()) + timedelta(weeks=1)
    week = week_label(monday)
    queue_week_build.delay(week)
    return week


class BuildItemTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Retries are spent: record the failure so the build can still finish and report.
        build_id, opd_id = args
        queued.fail_build_item(build_id=build_id, opd_id=opd_id, message=repr(exc))


@shared_task(
    base=BuildItemTask,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=6,
)
def build_opd_roster(build_id: int, opd_id: int) -> str:
    """One OPD's part of a week build; transient database errors are retried."""
    return queued.run_build_item(build_id=build_id, opd_id=opd_id)


@shared_task(acks_late=True)
def notify_rosters_approved(roster_ids: list[int]) -> int:
    """Tell every employee of the approved rosters' OPDs; a redelivery adds nothing."""
    return notices.rosters_approved(roster_ids)
