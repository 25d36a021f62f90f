"""The machine writer of the quarterly bulletin (季度通报): paragraphs in the official register whose every figure
is a placeholder ``{fN}`` bound to a named query. The wording follows the data (growth or decline, leaders and
laggards, records, notable changes, late reporters); a sentence whose figure has no data is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from wenzhi.statistics import growth

from .figures import Figure, FigureRef, NoFigure, evaluate
from .queries import period_label, ytd_label
from .source import DataSource

HEADLINE = "value_added"
# Further headline indicators, as "name figure unit, growth" (in this order, each only where reported).
PROFILE = ("revenue", "units", "above_scale_units", "employees")
# Key fields of the plan (screens, box office, shows, projects, consumption).
FOCUS = ("screens", "box_office", "performances", "audiences", "parks", "projects", "investment", "consumption")
NOTABLE_CHANGE = Decimal(30)  # a district's year-on-year change beyond ±30 % is worth a sentence
NOTABLE_MAX = 3
PLACEHOLDER = re.compile(r"\{(f\d+)\}")


class NoData(LookupError):
    """The period has no data to write a bulletin about."""


@dataclass
class ChartRef:
    """A chart of the bulletin: its title, kind (bar, line) and the figure (a chart query) holding its data."""

    title: str
    kind: str
    figure: str

    def as_dict(self) -> dict:
        return {"title": self.title, "kind": self.kind, "figure": self.figure}


@dataclass
class Draft:
    """A written bulletin before it is stored: title, paragraphs with placeholders, figures, charts."""

    period: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: dict[str, FigureRef] = field(default_factory=dict)
    charts: list[ChartRef] = field(default_factory=list)


class Composer:
    """Holds the figures a draft prints: ``get`` asks a query, ``put`` binds its answer to a new placeholder."""

    def __init__(self, source: DataSource, period: str) -> None:
        self.source = source
        self.period = period
        self.figures: dict[str, FigureRef] = {}

    def get(self, name: str, **params) -> Figure | None:
        try:
            return evaluate(self.source, name, params)
        except NoFigure:
            return None

    def put(self, name: str, figure: Figure, **params) -> str:
        key = f"f{len(self.figures) + 1}"
        self.figures[key] = FigureRef(key=key, query=name, params=params, value=figure.canonical, text=figure.text,
                                      unit=figure.unit)
        return "{" + key + "}"

    def fig(self, name: str, **params) -> tuple[str, Figure] | None:
        """Ask and bind at once (for figures a sentence cannot do without, asked after the sentence is sure)."""
        figure = self.get(name, **params)
        if figure is None:
            return None
        return self.put(name, figure, **params), figure

    def name(self, code: str) -> str:
        info = self.source.indicator(code)
        return info.name if info else code

    def unit(self, code: str) -> str:
        info = self.source.indicator(code)
        return info.unit if info else ""


def _tone(rate: Decimal) -> str:
    if rate >= 8:
        return "保持较快增长势头"
    if rate > 0:
        return "总体保持平稳增长"
    if rate == 0:
        return "与上年同期基本持平"
    return "较上年同期有所回落，下行压力需引起重视"


def _overview(c: Composer) -> list[str]:
    p, out = c.period, []
    quarter = c.fig("city_value", code=HEADLINE, period=p)
    if quarter is None:
        raise NoData(p)
    is_quarter = growth.PeriodCode.parse(p).kind == "Q" and growth.PeriodCode.parse(p).number > 1
    cum_growth = c.get("city_cumulative_yoy", code=HEADLINE, period=p) if is_quarter else None
    total = c.get("city_cumulative", code=HEADLINE, period=p) if is_quarter else None
    if cum_growth is not None and total is not None:
        text = (f"{ytd_label(p)}，全市文化产业实现增加值{c.put('city_cumulative', total, code=HEADLINE, period=p)}"
                f"{c.unit(HEADLINE)}，同比{c.put('city_cumulative_yoy', cum_growth, code=HEADLINE, period=p)}，"
                f"{_tone(cum_growth.value)}。其中{period_label(p)[5:]}实现增加值{quarter[0]}{c.unit(HEADLINE)}")
    else:
        text = f"{period_label(p)}，全市文化产业实现增加值{quarter[0]}{c.unit(HEADLINE)}"
        cum_growth = None
    yoy = c.get("city_yoy", code=HEADLINE, period=p)
    if yoy is not None:
        text += f"，同比{c.put('city_yoy', yoy, code=HEADLINE, period=p)}"
        if cum_growth is None:
            text += f"，{_tone(yoy.value)}"
    qoq = c.fig("city_qoq", code=HEADLINE, period=p)
    if qoq is not None:
        text += f"，环比{qoq[0]}"
    record = c.fig("record_since", code=HEADLINE, period=p)
    if record is not None:
        text += f"，单季增加值为{record[0]}最高水平"
    out.append(text + "。")
    share = c.fig("gdp_share", code=HEADLINE, period=p)
    if share is not None:
        sentence = f"文化产业增加值占全市地区生产总值的比重为{share[0]}"
        moved = c.fig("gdp_share_change", code=HEADLINE, period=p)
        if moved is not None:
            sentence += f"，比上年同期{moved[0]}"
        out.append(sentence + "，文化产业对全市经济发展的支撑作用进一步显现。"
                   if moved is None or moved[1].value >= 0 else sentence + "。")
    profile = _profile(c)
    if profile:
        out.append("从主要指标看，" + "；".join(profile) + "。")
    return out


def _profile(c: Composer) -> list[str]:
    parts = []
    for code in PROFILE:
        value = c.fig("city_value", code=code, period=c.period)
        if value is None:
            continue
        part = f"{c.name(code)}{value[0]}{c.unit(code)}"
        yoy = c.fig("city_yoy", code=code, period=c.period)
        if yoy is not None:
            part += f"，同比{yoy[0]}"
        parts.append(part)
    return parts


def _districts(c: Composer) -> list[str]:
    p, out = c.period, []
    leaders = [c.get("district_ranked", code=HEADLINE, period=p, position=i) for i in (1, 2, 3)]
    if all(leaders):
        names = "、".join(c.put("district_ranked", f, code=HEADLINE, period=p, position=i)  # type: ignore[arg-type]
                         for i, f in enumerate(leaders, start=1))
        text = f"分区看，增加值总量居前三位的是{names}"
        top = c.fig("top_share", code=HEADLINE, period=p, n=3)
        out.append(text + (f"，三区合计占全市的{top[0]}。" if top else "。"))
    fastest = c.fig("district_ranked", code=HEADLINE, period=p, position=1, measure="yoy")
    reported = c.fig("districts_reported", code=HEADLINE, period=p)
    growing = c.get("districts_growing", code=HEADLINE, period=p)
    if fastest is None or reported is None or growing is None:
        return out
    text = (f"从增速看，{reported[0]}个区中{c.put('districts_growing', growing, code=HEADLINE, period=p)}个区"
            f"增加值同比增长，增速最快的是{fastest[0]}")
    top_rate = c.fig("district_yoy", code=HEADLINE, period=p, district=_district_id(c, fastest[1].value))
    text += f"（{top_rate[0]}）" if top_rate else ""
    declining = c.fig("districts_declining", code=HEADLINE, period=p)
    if declining is not None:
        text += f"；{declining[0]}同比下降，需查找原因、加大工作力度。"
    else:
        slowest = c.fig("district_ranked", code=HEADLINE, period=p, position=1, measure="yoy", ascending=True)
        text += f"；各区均实现增长，增速相对较低的是{slowest[0]}。" if slowest else "。"
    out.append(text)
    return out


def _district_id(c: Composer, name: str) -> int:
    return next(pk for pk, n in c.source.districts() if n == name)


def _sectors(c: Composer) -> list[str]:
    year = growth.PeriodCode.parse(c.period).year
    for candidate in (year, year - 1):
        total = c.get("sector_total", year=candidate)
        if total is not None:
            break
    else:
        return []
    text = (f"从行业门类看，{candidate}年全市规模以上文化企业实现营业收入"
            f"{c.put('sector_total', total, year=candidate)}亿元")
    yoy = c.fig("sector_yoy", year=candidate)
    text += f"，同比{yoy[0]}" if yoy else ""
    parts = []
    for position in (1, 2, 3):
        sector = c.fig("sector_ranked", year=candidate, position=position)
        share = c.fig("sector_share", year=candidate, position=position) if sector else None
        if sector and share:
            parts.append(f"{sector[0]}占{share[0]}")
    if parts:
        text += "。按营业收入排序，" + "，".join(parts) + "，居前三位"
    return [text + "。"]


def _focus(c: Composer) -> list[str]:
    parts = []
    for code in FOCUS:
        value = c.fig("city_value", code=code, period=c.period)
        if value is None:
            continue
        part = f"{c.name(code)}{value[0]}{c.unit(code)}"
        yoy = c.fig("city_yoy", code=code, period=c.period)
        parts.append(part + (f"，同比{yoy[0]}" if yoy else ""))
    out = ["重点领域方面，" + "；".join(parts) + "。"] if parts else []
    out.extend(_notable(c))
    return out


def _notable(c: Composer) -> list[str]:
    """Districts whose headline indicators moved by more than ±30 % on a year before, largest first."""
    candidates = []
    for code in (HEADLINE, *PROFILE, *FOCUS):
        before = c.source.district_values(code, growth.shift_year(c.period))
        for district, value in c.source.district_values(code, c.period).items():
            rate = growth.growth(value, before.get(district))
            if rate is not None and abs(rate) >= NOTABLE_CHANGE:
                candidates.append((-abs(rate), code, district))
    names = dict(c.source.districts())
    out = []
    for _, code, district in sorted(candidates)[:NOTABLE_MAX]:
        bound = c.fig("district_yoy", code=code, period=c.period, district=district)
        if bound is not None:
            out.append(f"{names[district]}{c.name(code)}同比{bound[0]}，变化幅度较大")
    return ["值得关注的是，" + "；".join(out) + "，请相关区核实原因并作出说明。"] if out else []


def _reporting(c: Composer) -> list[str]:
    late = c.fig("late_count", period=c.period)
    if late is None:
        return []
    if late[1].value == 0:
        return [f"本期各区均按时报送统计数据（逾期{late[0]}个）。"]
    names = c.fig("late_reporters", period=c.period)
    return [f"本期有{late[0]}个区逾期报送统计数据：{names[0] if names else ''}。请相关区严格执行报送时限，"
            "确保数据及时、准确、完整。"]


SECTIONS = (("一、总体情况", _overview), ("二、分区情况", _districts), ("三、行业结构", _sectors),
            ("四、重点领域和主要变化", _focus), ("五、数据报送情况", _reporting))


def compose(source: DataSource, period: str) -> Draft:
    """Write the bulletin for ``period`` from ``source``: raises NoData when the period has no headline figure."""
    growth.PeriodCode.parse(period)
    if not source.has_data(period):
        raise NoData(period)
    c = Composer(source, period)
    draft = Draft(period=period, title=f"关于{period_label(period)}全市文化产业发展情况的通报")
    for heading, write in SECTIONS:
        paragraphs = write(c)
        if paragraphs:
            draft.paragraphs.append(heading)
            draft.paragraphs.extend(paragraphs)
    for title, kind, name in ((f"{period_label(period)}各区文化产业增加值", "bar", "district_chart"),
                              ("全市文化产业增加值走势", "line", "trend_chart")):
        bound = c.fig(name, code=HEADLINE, period=period)
        if bound is not None:
            draft.charts.append(ChartRef(title=title, kind=kind, figure=bound[0].strip("{}")))
    used = set(PLACEHOLDER.findall("".join(draft.paragraphs))) | {ch.figure for ch in draft.charts}
    draft.figures = {k: v for k, v in c.figures.items() if k in used}
    return draft
