"""Inclusive date periods and the one rule about them. Pure: no database.

Two periods overlap when they share at least one day (both ends count). The rule is
written here once and applied to both things that may not overlap:

- the leaves of one employee (``Leave.clean()`` and ``leaves.csv``), and
- policies, whoever they are for (``Policy.clean()`` and ``policies.csv``).

Callers choose which periods compete (the same employee's leaves, every policy) and
word the refusal for their reader (a form, a file line); this module decides only
whether and with what two periods clash.
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

from opd.dates import range_text


class Period(Protocol):
    start: date
    end: date


P = TypeVar("P", bound=Period)


def overlaps(a: Period, b: Period) -> bool:
    """True when ``a`` and ``b`` share a day; a period ending the day before another
    starts does not overlap it."""
    return a.start <= b.end and b.start <= a.end


def overlapping(period: Period, others: Iterable[P]) -> list[P]:
    """Every one of ``others`` that shares a day with ``period``, in the given order.

    ``period`` itself is skipped when it is among ``others`` (an edited row is not its
    own rival).
    """
    return [other for other in others if other is not period and overlaps(period, other)]


def first_overlap(period: Period, others: Iterable[P]) -> P | None:
    """The first of ``others`` that shares a day with ``period``, or None."""
    return next((o for o in others if o is not period and overlaps(period, o)), None)


def format_period(period: Period) -> str:
    """``Sel, 8 Des 2026 s.d. Kam, 10 Des 2026`` (one day as one date): the interface's
    date format, opd.dates."""
    return range_text(period.start, period.end)
