"""Reads of the analysis pages: an indicator in a period for the city and by district (value, year-on-year,
quarter-on-quarter, year-to-date and its growth, share of the city and of GDP), its trend, and the registry's
structure by sector and culture category (revenue of above-scale enterprises, counts) — all from the figures
contract (``selectors.indicator_series`` / ``indicator_values``) and the registry, never re-entered.

City-wide figures: the page or endpoint checks ``statistics.analyse`` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from . import growth
from .bulletin.source import across_districts
from .models import Indicator

TREND_PERIODS = 12


@dataclass
class Row:
    """One district's (or the city's) figures for the analysed indicator and period."""

    district_id: int | None
    name: str
    value: Decimal | None = None
    yoy: Decimal | None = None
    qoq: Decimal | None = None
    ytd: Decimal | None = None
    ytd_yoy: Decimal | None = None
    share: Decimal | None = None


@dataclass
class Analysis:
    indicator: Indicator
    period: str
    city: Row
    rows: list[Row] = field(default_factory=list)
    gdp_share: Decimal | None = None
    trend: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)


def periods_with_data(period_type: str = "quarterly", code: str = "value_added") -> list[str]:
    """Codes of the periods with district figures of the headline indicator, latest first (one small query per
    period, each answered from the (indicator, period) index)."""
    from django.db.models import Exists, OuterRef

    from .models import DataValue, Period

    reported = DataValue.objects.filter(period=OuterRef("pk"), indicator__code=code,
                                        organisation__level=Level.DISTRICT)
    return list(Period.objects.filter(type=period_type).filter(Exists(reported)).order_by("-start")
                .values_list("code", flat=True))


def district_table(indicator) -> dict[str, dict[int, Decimal]]:
    """``{period: {district id: value}}`` of an entered indicator in one query (districts' own reports only),
    with each complete year rolled up from its quarters by the indicator's rule — what the figures contract
    answers period by period, read at once for the pages that need every period."""
    from .models import DataValue

    table: dict[str, dict[int, Decimal]] = {}
    quantum = Decimal(1).scaleb(-indicator.decimals)
    for period, district, value in (DataValue.objects.filter(indicator=indicator, organisation__level=Level.DISTRICT)
                                    .values_list("period__code", "district_id", "value").order_by()):
        table.setdefault(period, {})[district] = Decimal(value).quantize(quantum)
    years: dict[str, dict[int, list]] = {}
    for period, values in table.items():
        spec = growth.PeriodCode.parse(period)
        if spec.kind == "Q":
            for district, value in values.items():
                years.setdefault(str(spec.year), {}).setdefault(district, [None] * 4)[spec.number - 1] = value
    for year, by_district in years.items():
        rolled = {d: growth.aggregate(v, indicator.aggregation) for d, v in by_district.items() if None not in v}
        if rolled and year not in table:
            table[year] = {d: v.quantize(quantum) for d, v in rolled.items() if v is not None}
    return table


def _city_series(indicator, table: dict[str, dict[int, Decimal]]) -> dict[str, Decimal]:
    quantum = Decimal(1).scaleb(-indicator.decimals)
    out = {}
    for period, values in table.items():
        value = across_districts(values.values(), indicator.aggregation)
        if value is not None:
            out[period] = value.quantize(quantum)
    return out


def _round(value: Decimal | None, places: int = 1) -> Decimal | None:
    return growth.round_half_up(value, places)


def _ytd_by_district(table: dict[str, dict[int, Decimal]], period: str, rule: str) -> dict[int, Decimal]:
    spec = growth.PeriodCode.parse(period)
    if spec.kind == "Y":
        return table.get(period, {})
    per_period = [table.get(c, {}) for c in growth.year_to_date(period)]
    out = {}
    for district in per_period[-1]:
        values = [p.get(district) for p in per_period]
        if all(v is not None for v in values):
            out[district] = growth.aggregate(values, rule)
    return out  # type: ignore[return-value]


def indicator_analysis(code: str, period: str) -> Analysis:
    """The city and every district for ``code`` in ``period`` (raises Indicator.DoesNotExist for a bad code)."""
    indicator = Indicator.objects.get(code=code)
    rule = indicator.aggregation
    table = _table(indicator)
    series = _city_series(indicator, table)
    now = table.get(period, {})
    year_ago = table.get(growth.shift_year(period), {})
    before = table.get(growth.previous_period(period), {})
    ytd = _ytd_by_district(table, period, rule)
    ytd_ago = _ytd_by_district(table, growth.shift_year(period), rule)
    city_value = series.get(period, across_districts(now.values(), rule))
    city = Row(None, "", city_value, _round(growth.year_on_year(series, period)),
               _round(growth.quarter_on_quarter(series, period)) if "Q" in period else None,
               growth.cumulative(series, period, rule), _round(growth.cumulative_growth(series, period, rule)),
               Decimal(100) if city_value else None)
    names = dict(Organisation.objects.filter(level=Level.DISTRICT).values_list("id", "name"))
    rows = [Row(pk, names.get(pk, ""), value, _round(growth.growth(value, year_ago.get(pk))),
                _round(growth.growth(value, before.get(pk))), ytd.get(pk),
                _round(growth.growth(ytd.get(pk), ytd_ago.get(pk))), _round(growth.share(value, city_value)))
            for pk, value in now.items()]
    rows.sort(key=lambda r: (-(r.value or 0), r.name))
    result = Analysis(indicator=indicator, period=period, city=city, rows=rows)
    gdp_indicator = Indicator.objects.filter(code="gdp").first() if code != "gdp" else None
    if gdp_indicator is not None:
        gdp = _city_series(gdp_indicator, _table(gdp_indicator))
        result.gdp_share = _round(growth.share(growth.cumulative(series, period, rule),
                                               growth.cumulative(gdp, period, "sum")), 2)
    result.trend = _trend(series, period)
    return result


def _table(indicator) -> dict[str, dict[int, Decimal]]:
    """The district table of an indicator; derived ones (yearly) through the figures contract."""
    if not indicator.is_derived:
        return district_table(indicator)
    from . import derived

    # One grouped read by (year, district), the same figures derived.values_by_district gives year by year.
    return derived.table(indicator.code)


def _trend(series: dict[str, Decimal], period: str) -> list[tuple[str, Decimal | None, Decimal | None]]:
    target = growth.PeriodCode.parse(period)
    codes = sorted(p for p in (growth.PeriodCode.parse(c) for c in series) if p.kind == target.kind and p <= target)
    return [(c.code, series[c.code], _round(growth.year_on_year(series, c.code)))
            for c in codes[-TREND_PERIODS:]]


def district_series(code: str, district: int) -> list[tuple[str, Decimal, Decimal | None]]:
    """One district's figures period by period with their year-on-year growth (the drill-down table)."""
    from . import selectors

    series = dict(selectors.indicator_series(code, district=district))
    return [(p, v, _round(growth.year_on_year(series, p))) for p, v in series.items()]


def registry_structure(year: int, by: str = "sector") -> list[dict]:
    """Live enterprises by sector (八大门类) or culture category (文化产业大类) for ``year``: how many, how many
    above designated size, and the above-scale ones' revenue (万元) and its share — from the registry's yearly
    figures, without re-entry."""
    from wenzhi.registry.models import EnterpriseYearFigure

    field_name = "enterprise__sector" if by == "sector" else "enterprise__culture_category"
    rows = (EnterpriseYearFigure.objects.filter(year=year, enterprise__deleted_at__isnull=True)
            .exclude(**{field_name: ""}).values(field_name)
            .annotate(n=Count("id"), above=Count("id", filter=Q(enterprise__above_scale=True)),
                      revenue=Sum("revenue", filter=Q(enterprise__above_scale=True))).order_by())
    labels = _structure_labels(by)
    out = [{"key": r[field_name], "label": labels.get(r[field_name], r[field_name]), "enterprises": r["n"],
            "above_scale": r["above"], "revenue": r["revenue"] or Decimal(0)} for r in rows]
    total = sum((r["revenue"] for r in out), Decimal(0))
    for r in out:
        r["share"] = _round(growth.share(r["revenue"], total))
    return sorted(out, key=lambda r: (-r["revenue"], r["key"]))


def _structure_labels(by: str) -> dict[str, str]:
    if by == "sector":
        from wenzhi.registry.choices import Sector

        return {k: str(v) for k, v in Sector.choices}
    from wenzhi.registry import reference

    return dict(reference.culture_names())


def registry_years() -> list[int]:
    from wenzhi.registry.models import EnterpriseYearFigure

    return list(EnterpriseYearFigure.objects.order_by("-year").values_list("year", flat=True).distinct())
