"""Celery tasks of the attendance app."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=5,
)
def mark_absent(day: str | None = None) -> dict:
    """Nightly (01:30 WIB): the previous working day's no-shows become absent."""
    target = date.fromisoformat(day) if day else services.previous_working_day(timezone.localdate())
    result = services.mark_absent(day=target)
    return {
        "date": result.date.isoformat(),
        "absent": result.absent,
        "missing_check_out": result.missing_check_out,
    }


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), max_retries=5)
def remind_check_in() -> int:
    """Working days at the start of working hours (07:30 WIB, editable in the admin):
    a notice to everyone expected who has not checked in yet."""
    return services.remind_check_in(day=timezone.localdate())
