"""Growth maths: year-on-year, quarter-on-quarter, cumulative, share, aggregation rules, records."""

from decimal import Decimal as D

import pytest

from wenzhi.statistics import growth

SERIES = {"2017Q1": D(100), "2017Q2": D(110), "2017Q3": D(120), "2017Q4": D(130),
          "2018Q1": D(110), "2018Q2": D(121), "2018Q3": D(114)}


def test_period_codes_shift_and_step_back_across_years():
    assert growth.shift_year("2018Q3") == "2017Q3"
    assert growth.previous_period("2018Q1") == "2017Q4"
    assert growth.previous_period("2018-01") == "2017-12"
    assert growth.year_to_date("2018Q3") == ["2018Q1", "2018Q2", "2018Q3"]
    with pytest.raises(ValueError, match="2018Q5"):
        growth.PeriodCode.parse("2018Q5")


def test_year_on_year_and_decline():
    assert growth.year_on_year(SERIES, "2018Q2") == D(10)
    assert growth.year_on_year(SERIES, "2018Q3") == D(-5)
    assert growth.year_on_year(SERIES, "2017Q3") is None  # no 2016Q3: no rate, never zero


def test_quarter_on_quarter_crosses_the_year():
    assert growth.round_half_up(growth.quarter_on_quarter(SERIES, "2018Q1"), 1) == D("-15.4")


def test_cumulative_by_rule():
    assert growth.cumulative(SERIES, "2018Q3", "sum") == D(345)
    assert growth.cumulative(SERIES, "2018Q3", "last") == D(114)
    assert growth.cumulative(SERIES, "2018Q3", "average") == D(115)
    # 345 / 330 - 1
    assert growth.round_half_up(growth.cumulative_growth(SERIES, "2018Q3", "sum"), 2) == D("4.55")
    gap = {k: v for k, v in SERIES.items() if k != "2018Q2"}
    assert growth.cumulative(gap, "2018Q3", "sum") is None


def test_aggregate_missing_and_unknown_rule():
    assert growth.aggregate([None, None], "sum") is None
    assert growth.aggregate([D(1), None, D(3)], "average") == D(2)
    with pytest.raises(ValueError, match="median"):
        growth.aggregate([D(1)], "median")


def test_share_and_zero_base():
    assert growth.share(D(50), D(1000)) == D(5)
    assert growth.share(D(50), D(0)) is None
    assert growth.growth(D(5), D(0)) is None


def test_round_half_up_not_bankers():
    assert growth.round_half_up(D("0.25"), 1) == D("0.3")
    assert growth.round_half_up(D("-0.25"), 1) == D("-0.3")


def test_highest_since():
    rising = {f"{y}Q{q}": D(y * 10 + q) for y in (2016, 2017, 2018) for q in (1, 2, 3, 4)}
    assert growth.highest_since(rising, "2018Q4") == "2016Q1"  # the highest ever
    dip = dict(rising, **{"2016Q2": D(99999)})
    assert growth.highest_since(dip, "2018Q4") == "2016Q3"
    assert growth.highest_since(dict(rising, **{"2018Q2": D(99999)}), "2018Q4") is None
