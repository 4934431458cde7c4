"""The one way the interface writes a date: "Rab, 9 Des 2026" (weekday, day, short
month, year, in the reader's language). Files (CSV, XLSX, iCal, URLs) keep ISO dates."""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

DAY_FORMAT = "D, j M Y"  # Rab, 9 Des 2026
SHORT_DAY_FORMAT = "D, j M"  # Rab, 9 Des: inside a week or a month already named


def _local(day: date) -> date:
    """A moment's day in WIB (the active time zone); a date as it is."""
    if isinstance(day, datetime):
        from django.utils import timezone

        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


def day_text(day: date) -> str:
    return date_format(_local(day), DAY_FORMAT)


def short_day_text(day: date) -> str:
    return date_format(_local(day), SHORT_DAY_FORMAT)


def range_text(start: date, end: date) -> str:
    """One day as one date, a range as "Rab, 9 Des 2026 s.d. Jum, 11 Des 2026"."""
    if start == end:
        return day_text(start)
    return _("{start} s.d. {end}").format(start=day_text(start), end=day_text(end))


MOMENT_FORMAT = "D, j M Y H:i"  # Rab, 9 Des 2026 08:02 (WIB: the active time zone)


def moment_text(value) -> str:
    from django.utils import timezone

    return date_format(timezone.localtime(value), MOMENT_FORMAT)
