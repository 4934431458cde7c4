"""The savings arithmetic and the chart geometry: pure functions over many cases."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluation import charts
from evaluation.savings import MonthSavings, Target, combine

NOV = date(2026, 11, 1)


def figures(**values):
    base = dict(
        month=NOV,
        before=1000,
        planned_avoided=300,
        elapsed_before=500,
        actual_avoided=100,
        cost=100_000_000,
        fixed_share=30,
    )
    return MonthSavings(**{**base, **values})


def test_the_saving_is_the_variable_cost_times_the_share_of_office_days_avoided():
    month = figures()
    # (100 % - 30 % fixed) x 300 / 1000 = 21 % of the cost; 70 M x 0.3 = 21 M.
    assert month.planned_percent == pytest.approx(21.0)
    assert month.planned_rupiah == 21_000_000
    # Actual: 100 avoided of the 500 office-days already past.
    assert month.actual_percent == pytest.approx(14.0)
    assert month.actual_rupiah == 14_000_000


def test_without_a_known_cost_the_percentage_is_known_and_the_rupiah_is_not():
    month = figures(cost=None)
    assert month.planned_percent == pytest.approx(21.0)
    assert month.planned_rupiah is None and month.bill_percent is None


def test_a_month_with_no_approved_roster_has_no_figures_rather_than_zero():
    month = figures(before=0, planned_avoided=0, elapsed_before=0, actual_avoided=0)
    assert month.planned_percent is None and month.actual_percent is None


def test_the_bill_is_compared_with_the_cost_before_wfh():
    assert figures(bill=80_000_000).bill_percent == pytest.approx(20.0)
    assert figures(bill=None).bill_percent is None


def test_the_target_says_below_within_or_above():
    target = Target(35, 40)
    assert [target.judge(v) for v in (20, 35, 40, 41, None)] == [
        "below",
        "within",
        "within",
        "above",
        "",
    ]


def test_the_city_adds_office_days_and_weights_the_fixed_share_by_cost():
    city = combine(
        NOV,
        [
            figures(cost=100_000_000, fixed_share=20, bill=90_000_000),
            figures(cost=300_000_000, fixed_share=40, bill=200_000_000),
            figures(cost=None),  # counted in office-days, not in rupiah
        ],
        default_fixed_share=30,
    )
    assert city.before == 3000 and city.planned_avoided == 900
    assert city.cost == 400_000_000
    assert city.fixed_share == 35  # (20 x 100 + 40 x 300) / 400
    assert city.bill == 290_000_000


def test_the_city_has_no_bill_unless_every_costed_opd_has_one():
    city = combine(NOV, [figures(bill=90_000_000), figures(bill=None)], default_fixed_share=30)
    assert city.bill is None
    assert combine(NOV, [figures(cost=None)], default_fixed_share=25).fixed_share == 25


@given(
    before=st.integers(1, 10**6),
    share=st.floats(0, 1),
    fixed=st.integers(0, 100),
    cost=st.integers(0, 10**12),
)
def test_a_saving_never_exceeds_the_variable_cost(before, share, fixed, cost):
    month = figures(
        before=before, planned_avoided=int(before * share), fixed_share=fixed, cost=cost
    )
    assert 0 <= month.planned_percent <= 100 - fixed + 1e-9
    assert 0 <= month.planned_rupiah <= cost * (100 - fixed) / 100 + 1


@given(st.floats(min_value=1e-3, max_value=1e9, allow_nan=False))
def test_an_axis_ends_at_a_round_number_at_or_above_the_largest_value(value):
    top = charts.nice_ceiling(value)
    assert value <= top + 1e-9 <= 2.5 * value + 1e-9


def test_bars_are_as_long_as_their_values_and_the_target_band_sits_at_its_range():
    chart = charts.hbar_chart(
        [("A", 20.0, "20 %", "low"), ("B", 40.0, "40 %", "ok")], maximum=50, band=(35, 40)
    )
    a, b = chart.bars
    assert b.width == pytest.approx(2 * a.width)
    assert b.width == pytest.approx(chart.plot_width * 40 / 50)
    assert chart.band[0] == pytest.approx(chart.label_width + chart.plot_width * 35 / 50)
    assert chart.band[1] == pytest.approx(chart.plot_width * 5 / 50)
    assert [bar.y for bar in chart.bars] == sorted(bar.y for bar in chart.bars)


def test_a_line_leaves_out_unknown_months_and_higher_values_sit_higher():
    chart = charts.line_chart(["09", "10", "11"], [("Rencana", "planned", [None, 10.0, 30.0])])
    (series,) = chart.series
    assert len(series.points) == 2
    assert series.points[1].y < series.points[0].y  # SVG y grows downwards
    assert series.points[0].x == chart.xticks[1].position


def test_a_histogram_counts_every_value_including_the_empty_ones_between():
    assert charts.histogram([3, 1, 3, 4]) == [(1, 1), (2, 0), (3, 2), (4, 1)]
    assert charts.histogram([]) == []
    columns = charts.column_chart([(1, 1), (2, 0), (3, 2)]).columns
    assert columns[2].height == pytest.approx(2 * columns[0].height)
    assert columns[1].height == 0
