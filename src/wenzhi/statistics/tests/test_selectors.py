"""The figures contract other modules read: indicator_series and indicator_values."""

from decimal import Decimal

import pytest

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.statistics import selectors
from wenzhi.statistics.models import DataValue, Indicator, Period
from wenzhi.statistics.periods import parse

pytestmark = pytest.mark.django_db


def _put(code, district, period_code, value):
    spec = parse(period_code)
    period, _ = Period.objects.get_or_create(code=spec.code, defaults=dict(type=spec.type, start=spec.start,
                                                                            end=spec.end))
    DataValue.objects.create(indicator=Indicator.objects.get(code=code), organisation=district, district=district,
                             period=period, value=Decimal(value))


def test_series_is_city_total_by_the_indicator_rule(heping, binhai):
    for q, (a, b) in zip(("2018Q1", "2018Q2", "2018Q3", "2018Q4"), ((10, 5), (11, 6), (12, 7), (13, 8)),
                         strict=True):
        _put("value_added", heping, q, a)
        _put("value_added", binhai, q, b)
        _put("screens", heping, q, 100 + a)
        _put("consumption", heping, q, 200)
        _put("consumption", binhai, q, 100)
    assert selectors.indicator_series("value_added")[:2] == [("2018Q1", Decimal("15.00")),
                                                             ("2018Q2", Decimal("17.00"))]
    assert selectors.indicator_series("value_added", district=heping)[-1] == ("2018Q4", Decimal("13.00"))
    # A year: sum adds the quarters, last takes Q4, average over districts then quarters.
    assert selectors.indicator_series("value_added", period_type="yearly") == [("2018", Decimal("72.00"))]
    assert selectors.indicator_series("screens", period_type="yearly") == [("2018", Decimal("113"))]
    assert selectors.indicator_series("consumption") == [(q, Decimal("150.00")) for q in
                                                         ("2018Q1", "2018Q2", "2018Q3", "2018Q4")]
    assert selectors.indicator_values("value_added", "2018Q3") == {heping.id: Decimal("12.00"),
                                                                   binhai.id: Decimal("7.00")}
    assert selectors.indicator_values("value_added", "2018") == {heping.id: Decimal("46.00"),
                                                                 binhai.id: Decimal("26.00")}


def test_incomplete_year_is_not_rolled_up(heping):
    _put("value_added", heping, "2019Q1", 10)
    assert selectors.indicator_series("value_added", period_type="yearly") == []
    assert selectors.indicator_values("value_added", "2019") == {}


def test_unknown_indicator_raises(reference_data):
    with pytest.raises(Indicator.DoesNotExist):
        selectors.indicator_series("no_such_code")


def test_enterprise_reports_are_not_counted_in_district_totals(heping):
    ent = Organisation.objects.create(level=Level.ENTERPRISE, name="某企业", parent=heping, district=heping)
    _put("value_added", heping, "2018Q1", 10)
    spec = parse("2018")
    year = Period.objects.create(code="2018", type=spec.type, start=spec.start, end=spec.end)
    DataValue.objects.create(indicator=Indicator.objects.get(code="value_added"), organisation=ent,
                             district=heping, period=year, value=Decimal(3))
    assert selectors.indicator_series("value_added") == [("2018Q1", Decimal("10.00"))]
