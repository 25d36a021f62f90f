"""季度统计通报摘要: a short news story summarising a quarter's figures, read through the statistics figures
contract (``wenzhi.statistics.selectors.indicator_series`` / ``indicator_values``).

The wording follows the data: fast or steady growth, flat or decline; how many districts grew and fell (all of
them, none, or some of each); one leading district or a tie; indicators with no data are left out.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .compose import Composer, Draft, Writer, register
from .figures import Figure, NoData, NoFigure, amount, change, count, growth_rate, names, query, rounded

HEADLINE = "value_added"
FIELDS = ("revenue", "box_office", "audiences", "consumption")
QUARTERS = {1: "一", 2: "二", 3: "三", 4: "四"}
PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def _last_year(period: str) -> str:
    year, quarter = PERIOD.match(period).groups()  # type: ignore[union-attr]
    return f"{int(year) - 1}Q{quarter}"


def _indicator(code: str):
    from wenzhi.statistics.selectors import indicator_catalogue

    row = indicator_catalogue().filter(code=code).first()
    if row is None:
        raise NoFigure(code)
    return row


def _city(code: str, period: str) -> Decimal | None:
    from wenzhi.statistics.selectors import indicator_series

    _indicator(code)
    return dict(indicator_series(code, period_type="quarterly")).get(period)


def _by_district(code: str, period: str) -> dict[int, Decimal]:
    from wenzhi.statistics.selectors import indicator_values

    _indicator(code)
    return indicator_values(code, period)


def _district_names() -> dict[int, str]:
    from wenzhi.core.selectors import districts

    return dict(districts().values_list("id", "name"))


def _district_growth(code: str, period: str) -> dict[int, Decimal]:
    now, before = _by_district(code, period), _by_district(code, _last_year(period))
    out = {}
    for district, value in now.items():
        rate = growth_rate(value, before.get(district))
        if rate is not None:
            out[district] = rounded(rate, 1)
    return out


@query("st_period", _("报告期"))
def st_period(*, period: str) -> Figure:
    year, quarter = PERIOD.match(period).groups()  # type: ignore[union-attr]
    return Figure(period, f"{year}年第{QUARTERS[int(quarter)]}季度")


@query("st_city_value", _("全市当季值"))
def st_city_value(*, code: str, period: str) -> Figure:
    indicator = _indicator(code)
    return amount(_city(code, period), indicator.unit, min(indicator.decimals, 2))


@query("st_yoy", _("全市当季同比增速"))
def st_yoy(*, code: str, period: str) -> Figure:
    return change(growth_rate(_city(code, period), _city(code, _last_year(period))))


@query("st_growing", _("同比增长的区数"))
def st_growing(*, code: str, period: str) -> Figure:
    rates = _district_growth(code, period)
    if not rates:
        raise NoFigure(code)
    return count(sum(1 for r in rates.values() if r > 0), "个区")


@query("st_falling", _("同比下降的区数"))
def st_falling(*, code: str, period: str) -> Figure:
    rates = _district_growth(code, period)
    if not rates:
        raise NoFigure(code)
    return count(sum(1 for r in rates.values() if r < 0), "个区")


@query("st_compared", _("可比较的区数"))
def st_compared(*, code: str, period: str) -> Figure:
    rates = _district_growth(code, period)
    if not rates:
        raise NoFigure(code)
    return count(len(rates), "个区")


@query("st_fastest", _("同比增速最高的区"))
def st_fastest(*, code: str, period: str) -> Figure:
    rates = _district_growth(code, period)
    if not rates:
        raise NoFigure(code)
    top = max(rates.values())
    labels = _district_names()
    return names(sorted(labels.get(d, str(d)) for d, r in rates.items() if r == top))


@query("st_fastest_rate", _("最高的区同比增速"))
def st_fastest_rate(*, code: str, period: str) -> Figure:
    rates = _district_growth(code, period)
    if not rates:
        raise NoFigure(code)
    return change(max(rates.values()))


@query("st_largest", _("当季值最大的区"))
def st_largest(*, code: str, period: str) -> Figure:
    values = _by_district(code, period)
    if not values:
        raise NoFigure(code)
    top = max(values.values())
    labels = _district_names()
    return names(sorted(labels.get(d, str(d)) for d, v in values.items() if v == top))


def _tone(rate: Decimal) -> str:
    if rate >= 8:
        return "保持较快增长势头"
    if rate > 0:
        return "保持平稳增长"
    if rate == 0:
        return "与上年同期持平"
    return "较上年同期有所回落"


def _headline(c: Composer, period: str) -> str:
    when = c.fig("st_period", period=period)
    name = _indicator(HEADLINE).name
    value = c.fig("st_city_value", code=HEADLINE, period=period)
    if value is None:
        raise NoData(gettext("%(period)s 没有%(name)s数据。") % {"period": period, "name": name})
    subject = name if name.startswith("文化") else f"文化产业{name}"
    text = f"{when}，全市{subject}{value}"
    rate = c.get("st_yoy", code=HEADLINE, period=period)
    if rate is None:
        return text + "。"
    shown = c.put("st_yoy", rate, code=HEADLINE, period=period)
    if rate.value == 0:
        return text + f"，{_tone(rate.value)}。"
    return text + f"，同比{shown}，{_tone(rate.value)}。"


def _districts(c: Composer, period: str) -> str:
    params = {"code": HEADLINE, "period": period}
    growing, falling, compared = (c.get(q, **params) for q in ("st_growing", "st_falling", "st_compared"))
    if growing is None or falling is None or compared is None:
        return ""
    total = c.put("st_compared", compared, **params)
    if growing.value == compared.value:
        text = f"可比的{total}同比全部实现增长"
    elif falling.value == compared.value:
        text = f"可比的{total}同比均有所下降"
    else:
        up, down = c.put("st_growing", growing, **params), c.put("st_falling", falling, **params)
        text = f"可比的{total}中，{up}同比增长"
        if falling.value:
            text += f"，{down}同比下降"
    fastest = c.get("st_fastest", **params)
    rate = c.get("st_fastest_rate", **params)
    if fastest is not None and rate is not None and rate.value > 0:
        who, shown = c.put("st_fastest", fastest, **params), c.put("st_fastest_rate", rate, **params)
        text += (f"；{who}增速并列最高，均{shown}" if len(fastest.value) > 1 else f"；{who}增速最高，{shown}")
    largest = c.get("st_largest", **params)
    if largest is not None:
        text += f"；{c.put('st_largest', largest, **params)}总量居全市首位"
    return text + "。"


def _fields(c: Composer, period: str) -> str:
    parts = []
    for code in FIELDS:
        try:
            name = _indicator(code).name
        except NoFigure:
            continue
        value = c.fig("st_city_value", code=code, period=period)
        if value is None:
            continue
        rate = c.get("st_yoy", code=code, period=period)
        tail = "" if rate is None else f"，同比{c.put('st_yoy', rate, code=code, period=period)}"
        parts.append(f"{name}{value}{tail}")
    return ("重点领域方面，" + "；".join(parts) + "。") if parts else ""


def compose(params: dict) -> Draft:
    period = params["period"]
    c = Composer()
    paragraphs = [_headline(c, period), _districts(c, period), _fields(c, period),
                  "以上数据来自各区按季度报送并经市级审核的文化产业统计报表，详细数据见本季度统计通报。"]
    title = f"{c.fig('st_period', period=period)}全市文化产业运行情况"
    return c.draft(title=title, summary=paragraphs[0], paragraphs=paragraphs, params=params)


def parse(raw: dict) -> dict:
    period = str(raw.get("period") or "").strip().upper()
    if not PERIOD.match(period):
        raise ValidationError({"period": gettext("报告期：请按“2026Q3”的格式填写季度。")})
    return {"period": period}


def default() -> dict:
    """The latest quarter in which every district that reported the quarter before has reported value added."""
    from wenzhi.statistics.selectors import indicator_series

    try:
        quarters = [p for p, _v in indicator_series(HEADLINE, period_type="quarterly")]
    except Exception:  # noqa: BLE001 - no indicator catalogue yet (a fresh database): fall back to last quarter
        quarters = []
    for period in reversed(quarters[-4:]):
        previous = quarters[quarters.index(period) - 1] if quarters.index(period) else None
        if previous is None or len(_by_district(HEADLINE, period)) >= len(_by_district(HEADLINE, previous)):
            return {"period": period}
    today = timezone.localdate()
    quarter = (today.month - 1) // 3
    return {"period": f"{today.year}Q{quarter}" if quarter else f"{today.year - 1}Q4"}


register(Writer(kind="statistics_bulletin", parse=parse, default=default, compose=compose,
                available=lambda: (True, "")))
