"""Celery tasks of the evaluation app."""

from datetime import date, timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services

# Days recomputed each night: reports are reviewed and records corrected for weeks after
# the day, so the whole previous month stays up to date.
REFRESH_DAYS = 45


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), max_retries=5)
def refresh_evaluation(
    start: str | None = None, end: str | None = None, opd_ids: list[int] | None = None
) -> int:
    """Nightly (02:00 WIB, after the absences are marked): the daily aggregates of the
    last 45 days and the next 31 for every OPD; queued for some OPDs and days when their
    rosters are decided or changed (``receivers``)."""
    today = timezone.localdate()
    first = date.fromisoformat(start) if start else today - timedelta(days=REFRESH_DAYS)
    last = date.fromisoformat(end) if end else today + timedelta(days=31)
    return services.refresh_days(first, last, opd_ids)


@shared_task(acks_late=True)
def run_scenario(scenario_id: int) -> int:
    """A proposed policy over a large organisation, with progress (``scenarios``)."""
    from .scenarios import run_scenario as run

    return run(scenario_id).pk
