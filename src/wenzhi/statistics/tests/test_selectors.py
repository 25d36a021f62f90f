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


def test_registry_derived_indicators_need_no_entry(heping, binhai):
    from wenzhi.registry.models import Enterprise, EnterpriseYearFigure
    from wenzhi.registry.tests.factories import EnterpriseFactory

    big, small, other = (EnterpriseFactory(district=heping), EnterpriseFactory(district=heping),
                         EnterpriseFactory(district=binhai))
    Enterprise.objects.filter(pk__in=[big.pk, other.pk]).update(above_scale=True)
    for ent, revenue, employees in ((big, "25000", 120), (small, "300", 8), (other, "15000", 60)):
        EnterpriseYearFigure.objects.create(enterprise=ent, year=2018, revenue=Decimal(revenue), employees=employees)
    assert Indicator.objects.get(code="registry_above_scale_revenue").is_derived
    assert selectors.indicator_series("registry_above_scale_revenue") == [("2018", Decimal("4.00"))]
    assert selectors.indicator_series("registry_enterprises", district=heping) == [("2018", Decimal(2))]
    assert selectors.indicator_values("registry_above_scale_units", "2018") == {heping.id: 1, binhai.id: 1}
    assert selectors.indicator_values("registry_employees", "2018Q1") == {}


def test_completeness_by_period_and_reporter(reference_data):
    import datetime as dt

    from wenzhi.statistics import demo
    from wenzhi.statistics.models import ReportingForm

    demo.generate(scale=0.01, today=dt.date(2026, 12, 1))
    form = ReportingForm.objects.get(code="district_quarterly")
    latest = selectors.completeness(form=form, period="2026Q3")
    assert (latest.expected, latest.reported) == (16, 13)
    assert sorted(o.name for o in selectors.late_reporters(form=form, period="2026Q3")) == ["宁河区", "红桥区", "静海区"]
    records = selectors.completeness_by_reporter(form=form, period_codes=["2026Q1", "2026Q2", "2026Q3"])
    by_name = {r.organisation.name: r for r in records}
    assert by_name["红桥区"].reported == 2 and by_name["和平区"].reported == 3
    assert all(r.on_time <= r.reported for r in records)
