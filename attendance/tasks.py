"""Celery tasks of the attendance app."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from scheduling.calendar import holidays_between, is_working_day

from . import services
from .config import config


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


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), max_retries=5)
def check_coverage(day: str | None = None) -> dict | None:
    """Working days at 08:00 WIB (editable in the admin): every service post's people at
    the office against its minimum; short posts open an alert and tell the head."""
    target = date.fromisoformat(day) if day else timezone.localdate()
    if not is_working_day(target, holidays_between(target, target, config().extra_holidays)):
        return None
    result = services.check_coverage(target)
    return {
        "date": result.date.isoformat(),
        "posts": result.posts,
        "short": result.short,
        "opened": result.opened,
        "closed": result.closed,
        "notified": result.notified,
    }
