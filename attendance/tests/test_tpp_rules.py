"""TPP deductions and the PP 94/2021 absence ladder: pure rules."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attendance.rules import (
    ABSENCE_LADDER,
    Band,
    Tpp,
    absence_step,
    longest_run,
    tpp_deduction,
)

BANDS = (
    Band("TL1", 1, 30, 0.5),
    Band("TL2", 31, 60, 1.0),
    Band("TL3", 61, 90, 1.5),
    Band("TL4", 91, None, 2.0),
    Band("PSW1", 1, 30, 0.5),
    Band("PSW4", 91, None, 2.0),
)
TPP = Tpp(absent_day=3.0, missing_report=0.5, monthly_cap=40.0)


def test_each_grade_absent_day_and_missing_report_is_deducted_at_its_percentage():
    grades = {"TL1": 2, "TL3": 1, "PSW4": 1}
    # 2 x 0.5 + 1.5 + 2 + 2 absent x 3 + 1 report x 0.5
    assert tpp_deduction(BANDS, TPP, grades, absent=2, missing_reports=1) == 11.0


def test_a_month_never_loses_more_than_the_cap():
    assert tpp_deduction(BANDS, TPP, {}, absent=20, missing_reports=0) == 40.0


def test_a_grade_without_a_band_costs_nothing():
    assert tpp_deduction(BANDS, TPP, {"TL9": 4}, absent=0, missing_reports=0) == 0.0


@given(
    st.dictionaries(st.sampled_from([b.code for b in BANDS]), st.integers(0, 30)),
    st.integers(0, 23),
    st.integers(0, 23),
)
def test_a_deduction_is_never_negative_never_above_the_cap_and_grows_with_absence(
    grades, absent, missing
):
    value = tpp_deduction(BANDS, TPP, grades, absent, missing)
    assert 0 <= value <= TPP.monthly_cap
    assert tpp_deduction(BANDS, TPP, grades, absent + 1, missing) >= value


@pytest.mark.parametrize(
    ("days", "penalty"),
    [
        (2, None),
        (3, "teguran lisan"),
        (6, "teguran tertulis"),
        (10, "pernyataan tidak puas secara tertulis"),
        (11, "pemotongan tunjangan kinerja 25% selama 6 bulan"),
        (15, "pemotongan tunjangan kinerja 25% selama 9 bulan"),
        (20, "pemotongan tunjangan kinerja 25% selama 12 bulan"),
        (24, "penurunan jabatan setingkat lebih rendah selama 12 bulan"),
        (27, "pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
        (28, "pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"),
    ],
)
def test_the_year_total_of_unexcused_absence_reaches_the_pp_94_2021_step(days, penalty):
    step = absence_step(days)
    assert (step.penalty if step else None) == penalty


def test_ten_working_days_absent_in_a_row_is_the_last_step_whatever_the_total():
    assert absence_step(10, longest_run=10).rank == len(ABSENCE_LADDER)
    assert absence_step(10, longest_run=9).rank == 3


def test_a_run_continues_over_a_weekend_but_not_over_a_day_present():
    monday = date(2026, 11, 2)
    weekdays = [
        monday + timedelta(days=d)
        for d in range(14)
        if (monday + timedelta(days=d)).isoweekday() <= 5
    ]
    absent = weekdays[:7]  # Monday to the next Tuesday, the weekend between
    assert longest_run(absent, weekdays) == 7
    assert longest_run(absent[:3] + absent[4:], weekdays) == 3
