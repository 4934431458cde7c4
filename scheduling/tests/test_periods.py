"""The overlap rule for leave and policy periods. Pure: no database."""

from dataclasses import dataclass
from datetime import date

import pytest

from scheduling.periods import first_overlap, format_period, overlapping, overlaps


@dataclass(frozen=True)
class Span:
    start: date
    end: date


def span(first: int, last: int) -> Span:
    return Span(date(2026, 12, first), date(2026, 12, last))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # the same period
        (span(8, 10), span(8, 10), True),
        # sharing only the last day: both ends are inclusive
        (span(8, 10), span(10, 14), True),
        # one inside the other
        (span(7, 14), span(9, 9), True),
        # the day after ends: adjacent, not overlapping
        (span(8, 10), span(11, 14), False),
        # far apart
        (span(1, 2), span(20, 21), False),
    ],
)
def test_periods_overlap_when_they_share_a_day(a, b, expected):
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


def test_a_period_is_not_its_own_rival():
    own = span(8, 10)
    assert first_overlap(own, [own]) is None
    assert overlapping(own, [own, span(9, 9)]) == [span(9, 9)]


def test_first_overlap_keeps_the_given_order():
    early, late = span(1, 9), span(10, 20)
    assert first_overlap(span(9, 10), [late, early]) is late
    assert first_overlap(span(25, 26), [early, late]) is None


def test_period_reads_as_day_month_year():
    assert format_period(span(8, 10)) == "Sel, 8 Des 2026 s.d. Kam, 10 Des 2026"
