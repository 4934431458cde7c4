"""Working days, ISO weeks and holidays. Pure: no database.

A roster week is an ISO week, written ``2026-W50`` and stored as its Monday. Working
days are Monday to Friday. National holidays and joint leave (cuti bersama) come from
the ``holidays`` package; regional extras are passed in by the caller.
"""

import re
from calendar import monthrange
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_lib
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

WORKING_DAYS = (1, 2, 3, 4, 5)  # ISO weekday numbers, Monday..Friday
WEEKDAY_CODES = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5}
# Indonesian day names are accepted in CSV files too.
WEEKDAY_ALIASES = {
    **WEEKDAY_CODES,
    "senin": 1,
    "selasa": 2,
    "rabu": 3,
    "kamis": 4,
    "jumat": 5,
    "jum'at": 5,
}
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)


class DateTextError(ValueError, BadRequest):
    """A week, month or date written wrongly; the message says why, in the reader's
    language. Raised in a view it answers 400 with that message (``wfh.views.bad_request``),
    so views parse their parameters without a try block."""


class WeekError(DateTextError):
    """A week label that is not a real ISO week."""


# Years the app plans and records. Outside them date arithmetic (the day before
# 1 January of year 1) would overflow; no roster or attendance lives there anyway.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateTextError(
            _("Tahun harus antara {first} dan {last}, bukan {year}.").format(
                first=FIRST_YEAR, last=LAST_YEAR, year=year
            )
        )


def parse_week(text: str) -> date:
    """``"2026-W50"`` -> the Monday of that ISO week; ``WeekError`` when invalid."""
    match = _WEEK.match(text.strip())
    if not match:
        raise WeekError(
            _(
                'Minggu harus ditulis seperti 2026-W50 (tahun, "-W", nomor minggu), bukan "{v}".'
            ).format(v=text)
        )
    year, week = int(match[1]), int(match[2])
    check_year(year)
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(
            _("Tahun {year} tidak punya minggu ke-{week} (ISO: 1 sampai 52 atau 53).").format(
                year=year, week=week
            )
        ) from None


def parse_date(text: str) -> date:
    """``"2026-12-08"`` -> that date; ``DateTextError`` when invalid or out of range."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise DateTextError(
            _('Tanggal harus ditulis seperti 2026-12-08, bukan "{v}".').format(v=text)
        ) from None
    check_year(day.year)
    return day


def parse_month(text: str) -> date:
    """``"2026-12"`` -> 1 December 2026; ``DateTextError`` when invalid or out of range."""
    try:
        year, month = text.strip().split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        first = date(int(year), int(month), 1)
    except ValueError:
        raise DateTextError(
            _('Bulan harus ditulis seperti 2026-12 (tahun-bulan), bukan "{v}".').format(v=text)
        ) from None
    check_year(first.year)
    return first


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last day of the month holding ``month``."""
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def week_label(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def current_week(today: date) -> date:
    """The roster week people care about today: this week on a working day, the coming
    week on Saturday and Sunday (this week's work is over)."""
    monday = week_start(today)
    return monday + timedelta(weeks=1) if today.isoweekday() > 5 else monday


def is_working_day(day: date, holidays: Mapping[date, str] | None = None) -> bool:
    """Monday to Friday and not in ``holidays`` (pass ``holidays_between`` for a range)."""
    return day.isoweekday() in WORKING_DAYS and not (holidays and day in holidays)


def working_days(monday: date) -> list[date]:
    """Monday to Friday of the week starting on ``monday``."""
    return [monday + timedelta(days=offset) for offset in range(5)]


def parse_weekdays(text: str) -> frozenset[int]:
    """``"tue,wed,thu,fri"`` -> ``{2, 3, 4, 5}``; empty means Monday to Friday."""
    text = text.strip().lower()
    if not text:
        return frozenset(WORKING_DAYS)
    days = set()
    for part in re.split(r"[,;\s]+", text):
        if part not in WEEKDAY_ALIASES:
            raise ValueError(
                _(
                    'hari "{v}" tidak dikenal; pakai mon,tue,wed,thu,fri (atau senin..jumat).'
                ).format(v=part)
            )
        days.add(WEEKDAY_ALIASES[part])
    return frozenset(days)


def format_weekdays(days) -> str:
    by_number = {number: code for code, number in WEEKDAY_CODES.items()}
    return ",".join(by_number[d] for d in sorted(days))


@lru_cache(maxsize=32)
def _national(year: int) -> dict[date, str]:
    calendar = holidays_lib.country_holidays(
        "ID", years=year, categories=("public", "government"), language="id"
    )
    return dict(calendar.items())


def national_holidays(start: date, end: date) -> dict[date, str]:
    """National holidays and cuti bersama between ``start`` and ``end`` inclusive."""
    found = {}
    for year in range(start.year, end.year + 1):
        found.update((day, name) for day, name in _national(year).items() if start <= day <= end)
    return found


def holidays_between(start: date, end: date, extra: dict[date, str]) -> dict[date, str]:
    """National holidays plus the region's extra days (which win on the same date)."""
    return {**national_holidays(start, end), **extra}
