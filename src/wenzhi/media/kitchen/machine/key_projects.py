"""年度重点项目名单发布: the announcement of a year's key-project list, from the city's published final lists
(``wenzhi.projects.selectors.published_selection``).

The wording follows the list: more or fewer projects than the year before (or the same, or no earlier list),
categories with no project said so, a district or sector that leads alone or ties, investment only when known.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .compose import Composer, Draft, Writer, register
from .figures import Figure, NoData, NoFigure, amount, count, difference, names, query

YI = Decimal(100_000_000)
OUTCOMES = (("city_key", "市级重点项目"), ("district_key", "区级重点项目"), ("reserve", "储备项目"))
NAMES_SHOWN = 8


def _decisions(year: int) -> list:
    from wenzhi.projects.selectors import published_selection

    return [d for _notice, decisions in published_selection(year=year) for d in decisions]


def _selected(year: int) -> list:
    rows = _decisions(year)
    if not rows:
        raise NoFigure(year)
    return rows


def _leaders(counter: Counter) -> tuple[list[str], int]:
    top = max(counter.values())
    return sorted(k for k, v in counter.items() if v == top), top


def _district_counter(year: int) -> Counter:
    return Counter(d.application.district.name for d in _selected(year))


def _sector_counter(year: int) -> Counter:
    from wenzhi.registry.choices import Sector

    labels = dict(Sector.choices)
    return Counter(str(labels.get(d.application.enterprise.sector)) for d in _selected(year)
                   if d.application.enterprise.sector)


@query("kp_year", _("名单年度"))
def kp_year(*, year: int) -> Figure:
    return Figure(year, f"{year}年度")


@query("kp_total", _("入选项目总数"))
def kp_total(*, year: int) -> Figure:
    return count(len(_selected(year)), "个")


@query("kp_outcome", _("某一类别的入选项目数"))
def kp_outcome(*, year: int, outcome: str) -> Figure:
    return count(sum(1 for d in _selected(year) if d.outcome == outcome), "个")


@query("kp_change", _("入选项目数比上年增减"))
def kp_change(*, year: int) -> Figure:
    before = _decisions(year - 1)
    if not before:
        raise NoFigure(year - 1)
    return difference(len(_selected(year)) - len(before))


@query("kp_districts", _("入选项目分布的区数"))
def kp_districts(*, year: int) -> Figure:
    return count(len(_district_counter(year)), "个区")


@query("kp_district_leaders", _("入选项目最多的区"))
def kp_district_leaders(*, year: int) -> Figure:
    return names(_leaders(_district_counter(year))[0])


@query("kp_district_top", _("入选项目最多的区的项目数"))
def kp_district_top(*, year: int) -> Figure:
    return count(_leaders(_district_counter(year))[1], "个")


@query("kp_sector_leaders", _("入选项目最多的门类"))
def kp_sector_leaders(*, year: int) -> Figure:
    counter = _sector_counter(year)
    if not counter:
        raise NoFigure(year)
    return names(_leaders(counter)[0])


@query("kp_sector_top", _("入选项目最多的门类的项目数"))
def kp_sector_top(*, year: int) -> Figure:
    counter = _sector_counter(year)
    if not counter:
        raise NoFigure(year)
    return count(_leaders(counter)[1], "个")


@query("kp_investment", _("入选项目计划总投资"))
def kp_investment(*, year: int) -> Figure:
    total = sum((d.application.planned_investment or Decimal(0) for d in _selected(year)), Decimal(0))
    if not total:
        raise NoFigure(year)
    return amount(total / YI, "亿元", 2)


@query("kp_city_key_names", _("市级重点项目名称（按排名）"))
def kp_city_key_names(*, year: int) -> Figure:
    rows = [d for d in _selected(year) if d.outcome == "city_key"]
    rows.sort(key=lambda d: (d.rank is None, d.rank or 0, d.application.title))
    return names([f"“{d.application.title}”" for d in rows[:NAMES_SHOWN]])


def _lead(c: Composer, year: int) -> str:
    when, total = c.fig("kp_year", year=year), c.fig("kp_total", year=year)
    text = f"{when}天津市重点文化产业项目评选结果正式发布，共有{total}项目入选"
    change = c.get("kp_change", year=year)
    if change is None:
        return text + "。"
    shown = c.put("kp_change", change, year=year)
    if change.value > 0:
        return text + f"，比上年{shown}，入选规模继续扩大。"
    if change.value < 0:
        return text + f"，比上年{shown}，评选标准从严把握。"
    return text + "，数量与上年持平。"


def _breakdown(c: Composer, year: int) -> str:
    present, absent = [], []
    for outcome, label in OUTCOMES:
        figure = c.get("kp_outcome", year=year, outcome=outcome)
        if figure is not None and figure.value:
            present.append(f"{label}{c.put('kp_outcome', figure, year=year, outcome=outcome)}")
        else:
            absent.append(label)
    text = "其中" + "、".join(present) + "。" if present else ""
    if absent:
        text += "本年度名单中没有" + "和".join(absent) + "。"
    return text


def _spread(c: Composer, year: int) -> str:
    districts = c.fig("kp_districts", year=year)
    leaders = c.get("kp_district_leaders", year=year)
    text = f"从区域分布看，入选项目分布在{districts}"
    if leaders is not None:
        who, top = c.put("kp_district_leaders", leaders, year=year), c.fig("kp_district_top", year=year)
        text += (f"，{who}并列最多，各有{top}" if len(leaders.value) > 1 else f"，其中{who}最多，有{top}")
    text += "。"
    sectors = c.get("kp_sector_leaders", year=year)
    if sectors is not None:
        which, top = c.put("kp_sector_leaders", sectors, year=year), c.fig("kp_sector_top", year=year)
        text += (f"从产业门类看，{which}项目并列最多，各有{top}。" if len(sectors.value) > 1
                 else f"从产业门类看，{which}项目最多，有{top}。")
    return text


def compose(params: dict) -> Draft:
    year = params["year"]
    if not _decisions(year):
        raise NoData(gettext("%(year)s年度尚无正式发布的市级重点项目入选名单。") % {"year": year})
    c = Composer()
    paragraphs = [_lead(c, year), _breakdown(c, year), _spread(c, year)]
    investment = c.fig("kp_investment", year=year)
    if investment:
        paragraphs.append(f"入选项目计划总投资{investment}，将带动社会资本投向智能文化创意领域。")
    key_names = c.fig("kp_city_key_names", year=year)
    if key_names:
        paragraphs.append(f"市级重点项目包括{key_names}等。")
    paragraphs.append("入选项目将纳入全市重点文化产业项目库实行动态管理，市有关部门将在资金、用地、融资等方面给予支持。")
    title = f"{c.fig('kp_year', year=year)}天津市重点文化产业项目名单发布"
    return c.draft(title=title, summary=paragraphs[0], paragraphs=paragraphs, params=params)


def parse(raw: dict) -> dict:
    try:
        year = int(raw.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": gettext("年度：请填写 2000—2100 之间的年份。")})
    return {"year": year}


def default() -> dict:
    """The latest year with a published list (this year back to ten years ago), else last year."""
    this_year = timezone.localdate().year
    for year in range(this_year, this_year - 10, -1):
        if _decisions(year):
            return {"year": year}
    return {"year": this_year - 1}


register(Writer(kind="key_projects", parse=parse, default=default, compose=compose,
                available=lambda: (True, "")))
