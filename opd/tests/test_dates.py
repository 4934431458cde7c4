"""The interface's one date format (opd.dates)."""

from datetime import UTC, date, datetime

from django.utils import translation

from opd.dates import day_text, moment_text, range_text, short_day_text


def test_a_date_reads_weekday_day_short_month_and_year_in_the_readers_language():
    assert day_text(date(2026, 12, 9)) == "Rab, 9 Des 2026"
    assert short_day_text(date(2026, 12, 9)) == "Rab, 9 Des"
    with translation.override("en"):
        assert day_text(date(2026, 12, 9)) == "Wed, 9 Dec 2026"


def test_a_moment_is_dated_and_timed_in_wib_not_utc():
    late_evening_utc = datetime(2026, 12, 3, 22, 9, tzinfo=UTC)  # Fri 05:09 WIB
    assert day_text(late_evening_utc) == "Jum, 4 Des 2026"
    assert moment_text(late_evening_utc) == "Jum, 4 Des 2026 05:09"


def test_a_one_day_period_is_one_date_and_a_range_names_both_ends():
    assert range_text(date(2026, 12, 8), date(2026, 12, 8)) == "Sel, 8 Des 2026"
    assert range_text(date(2026, 12, 8), date(2026, 12, 10)) == (
        "Sel, 8 Des 2026 s.d. Kam, 10 Des 2026"
    )
