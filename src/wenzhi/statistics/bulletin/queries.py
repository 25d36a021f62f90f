"""The bulletin's named queries (see ``figures.py``). Each takes the data source and plain parameters (indicator
code, period code, district id, position) and returns one Figure, or raises NoFigure when the data is not there.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from wenzhi.statistics import growth

from .figures import Figure, NoFigure, amount, change, count, name_list, percent, points, query
from .source import DataSource, IndicatorInfo, across_districts

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
YTD_NAMES = {1: "第一季度", 2: "上半年", 3: "前三季度", 4: "全年"}


def period_label(code: str) -> str:
    """``2018Q3`` → ``2018年第三季度``; ``2018`` → ``2018年``; ``2018-07`` → ``2018年7月``."""
    p = growth.PeriodCode.parse(code)
    if p.kind == "Q":
        return f"{p.year}年{QUARTER_NAMES[p.number]}"
    if p.kind == "M":
        return f"{p.year}年{p.number}月"
    return f"{p.year}年"


def ytd_label(code: str) -> str:
    p = growth.PeriodCode.parse(code)
    if p.kind == "Q":
        return f"{p.year}年{YTD_NAMES[p.number]}"
    if p.kind == "M":
        return f"{p.year}年1—{p.number}月"
    return f"{p.year}年"


def _info(source: DataSource, code: str) -> IndicatorInfo:
    info = source.indicator(code)
    if info is None:
        raise NoFigure(code)
    return info


def _city_cumulative(source: DataSource, code: str, period: str) -> Decimal | None:
    info = _info(source, code)
    return growth.cumulative(source.city_series(code), period, info.rule)


def _district_growth(source: DataSource, code: str, period: str) -> dict[int, Decimal]:
    now = source.district_values(code, period)
    before = source.district_values(code, growth.shift_year(period))
    out = {}
    for district, value in now.items():
        g = growth.growth(value, before.get(district))
        if g is not None:
            out[district] = growth.round_half_up(g, 1)
    return out  # type: ignore[return-value]


def _ranking(source: DataSource, code: str, period: str, measure: str) -> list[tuple[int, Decimal]]:
    values = source.district_values(code, period) if measure == "value" else _district_growth(source, code, period)
    # Ties are broken by district id so the same data always gives the same order.
    return sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))


@query("city_value", _("全市当期值"))
def city_value(source: DataSource, *, code: str, period: str) -> Figure:
    info = _info(source, code)
    return amount(source.city_value(code, period), info.unit, info.places)


@query("city_cumulative", _("全市累计值（本年至当期）"))
def city_cumulative(source: DataSource, *, code: str, period: str) -> Figure:
    info = _info(source, code)
    return amount(_city_cumulative(source, code, period), info.unit, info.places)


@query("city_yoy", _("全市当期同比增速"))
def city_yoy(source: DataSource, *, code: str, period: str) -> Figure:
    return change(growth.year_on_year(source.city_series(code), period))


@query("city_qoq", _("全市当期环比增速"))
def city_qoq(source: DataSource, *, code: str, period: str) -> Figure:
    return change(growth.quarter_on_quarter(source.city_series(code), period))


@query("city_cumulative_yoy", _("全市累计同比增速"))
def city_cumulative_yoy(source: DataSource, *, code: str, period: str) -> Figure:
    info = _info(source, code)
    return change(growth.cumulative_growth(source.city_series(code), period, info.rule))


@query("gdp_share", _("占地区生产总值比重（累计）"))
def gdp_share(source: DataSource, *, code: str, period: str) -> Figure:
    return percent(growth.share(_city_cumulative(source, code, period), _city_cumulative(source, "gdp", period)))


@query("gdp_share_change", _("占地区生产总值比重比上年同期变化"))
def gdp_share_change(source: DataSource, *, code: str, period: str) -> Figure:
    last = growth.shift_year(period)
    now = growth.share(_city_cumulative(source, code, period), _city_cumulative(source, "gdp", period))
    before = growth.share(_city_cumulative(source, code, last), _city_cumulative(source, "gdp", last))
    if now is None or before is None:
        raise NoFigure
    return points(growth.round_half_up(now, 1) - growth.round_half_up(before, 1))  # type: ignore[operator]


@query("district_ranked", _("按指标或增速排名第 N 的区"))
def district_ranked(source: DataSource, *, code: str, period: str, position: int, measure: str = "value",
                    ascending: bool = False) -> Figure:
    ranking = _ranking(source, code, period, measure)
    if ascending:
        ranking = ranking[::-1]
    if not 1 <= position <= len(ranking):
        raise NoFigure
    names = dict(source.districts())
    return Figure(names[ranking[position - 1][0]], names[ranking[position - 1][0]])


@query("district_value", _("某区当期值"))
def district_value(source: DataSource, *, code: str, period: str, district: int) -> Figure:
    info = _info(source, code)
    return amount(source.district_values(code, period).get(district), info.unit, info.places)


@query("district_yoy", _("某区当期同比增速"))
def district_yoy(source: DataSource, *, code: str, period: str, district: int) -> Figure:
    return change(_district_growth(source, code, period).get(district))


@query("districts_growing", _("同比增长的区个数"))
def districts_growing(source: DataSource, *, code: str, period: str) -> Figure:
    rates = _district_growth(source, code, period)
    if not rates:
        raise NoFigure
    return count(sum(1 for r in rates.values() if r > 0))


@query("districts_declining", _("同比下降的区"))
def districts_declining(source: DataSource, *, code: str, period: str) -> Figure:
    names = dict(source.districts())
    rates = _district_growth(source, code, period)
    return name_list([names[d] for d, r in sorted(rates.items(), key=lambda kv: (kv[1], kv[0])) if r < 0])


@query("top_share", _("排名前 N 的区合计占全市比重"))
def top_share(source: DataSource, *, code: str, period: str, n: int) -> Figure:
    info = _info(source, code)
    ranking = _ranking(source, code, period, "value")
    total = across_districts([v for _, v in ranking], info.rule)
    return percent(growth.share(sum((v for _, v in ranking[:n]), Decimal(0)), total) if len(ranking) > n else None)


@query("record_since", _("创新高的起始期（“……以来最高”）"))
def record_since(source: DataSource, *, code: str, period: str) -> Figure:
    series = source.city_series(code)
    since = growth.highest_since(series, period)
    if since is None:
        raise NoFigure
    first = min(series, key=lambda c: growth.PeriodCode.parse(c))
    text = "有统计以来" if since == first else f"{period_label(since)}以来"
    return Figure(since, text)


def _sector_ranking(source: DataSource, year: int) -> list[tuple[str, Decimal]]:
    return sorted(source.sector_values(year).items(), key=lambda kv: (-kv[1], kv[0]))


@query("sector_ranked", _("营业收入排名第 N 的行业门类"))
def sector_ranked(source: DataSource, *, year: int, position: int) -> Figure:
    ranking = _sector_ranking(source, year)
    if not 1 <= position <= len(ranking):
        raise NoFigure
    return Figure(ranking[position - 1][0], ranking[position - 1][0])


@query("sector_share", _("排名第 N 的行业门类占规上企业营业收入比重"))
def sector_share(source: DataSource, *, year: int, position: int) -> Figure:
    ranking = _sector_ranking(source, year)
    if not 1 <= position <= len(ranking):
        raise NoFigure
    return percent(growth.share(ranking[position - 1][1], sum((v for _, v in ranking), Decimal(0))))


@query("sector_total", _("规上文化企业营业收入合计（亿元）"))
def sector_total(source: DataSource, *, year: int) -> Figure:
    values = source.sector_values(year)
    return amount(sum(values.values(), Decimal(0)) / 10000 if values else None, "亿元", 2)


@query("sector_yoy", _("规上文化企业营业收入同比增速"))
def sector_yoy(source: DataSource, *, year: int) -> Figure:
    now, before = source.sector_values(year), source.sector_values(year - 1)
    if not now or not before:
        raise NoFigure
    return change(growth.growth(sum(now.values(), Decimal(0)), sum(before.values(), Decimal(0))))


@query("late_reporters", _("逾期报送的区"))
def late_reporters(source: DataSource, *, period: str) -> Figure:
    return name_list(source.late_reporters(period))


@query("late_count", _("逾期报送的区个数"))
def late_count(source: DataSource, *, period: str) -> Figure:
    return count(len(source.late_reporters(period)))


@query("district_chart", _("各区当期值（图表）"))
def district_chart(source: DataSource, *, code: str, period: str) -> Figure:
    info = _info(source, code)
    names = dict(source.districts())
    rows = [[names[d], str(growth.round_half_up(v, info.places))] for d, v in _ranking(source, code, period, "value")]
    if not rows:
        raise NoFigure
    return Figure(rows, "", info.unit)


@query("trend_chart", _("全市近若干期走势（图表）"))
def trend_chart(source: DataSource, *, code: str, period: str, periods: int = 8) -> Figure:
    info = _info(source, code)
    series = source.city_series(code)
    target = growth.PeriodCode.parse(period)
    codes = sorted((growth.PeriodCode.parse(c) for c in series), reverse=False)
    shown = [c for c in codes if c.kind == target.kind and c <= target][-periods:]
    if not shown:
        raise NoFigure
    return Figure([[c.code, str(growth.round_half_up(series[c.code], info.places))] for c in shown], "", info.unit)


@query("districts_reported", _("当期有数据的区个数"))
def districts_reported(source: DataSource, *, code: str, period: str) -> Figure:
    n = len(source.district_values(code, period))
    if not n:
        raise NoFigure
    return count(n)
