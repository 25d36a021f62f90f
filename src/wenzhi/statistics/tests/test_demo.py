"""The demo statistics: all districts, every quarter to the last complete one, the plan's 2016 baseline."""

import datetime as dt
from decimal import Decimal

import pytest

from wenzhi.statistics import demo, selectors
from wenzhi.statistics.models import DataValue, Submission, ValidationResult

pytestmark = pytest.mark.django_db


def test_demo_fills_every_quarter_and_matches_the_baseline(reference_data):
    result = demo.generate(scale=0.01, today=dt.date(2026, 12, 1))
    assert result["last_quarter"] == "2026Q3" and result["districts"] == 16
    series = dict(selectors.indicator_series("value_added", period_type="yearly"))
    assert Decimal(780) < series["2016"] < Decimal(820)
    assert series["2025"] > series["2019"] > series["2016"]
    units = dict(selectors.indicator_series("units", period_type="yearly"))
    assert abs(units["2016"] - 22640) < 700
    screens = dict(selectors.indicator_series("screens"))
    assert screens["2016Q1"] < 500 < screens["2021Q1"]
    assert set(selectors.indicator_values("value_added", "2026Q3")) and len(
        selectors.indicator_values("value_added", "2018Q3")) == 16
    assert DataValue.objects.filter(is_demo=False).count() == 0
    # Late, invalid and explained reports exist; the latest quarter is still open.
    assert Submission.objects.filter(on_time=False).exists()
    assert ValidationResult.objects.filter(importance="error", period__code="2026Q3").exists()
    assert ValidationResult.objects.filter(importance="warning", period__code="2020Q1").exclude(comment="").exists()
    assert Submission.objects.filter(period__code="2026Q3", status="submitted").count() == 3
    # A second run adds nothing.
    assert "skipped" in demo.generate(scale=0.01, today=dt.date(2026, 12, 1))
