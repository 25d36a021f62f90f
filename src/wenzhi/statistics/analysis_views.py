"""The analysis page: an indicator in a period for the city and by district, its trend, the registry's structure
by sector and culture category; ECharts charts whose bars open the district's table; xlsx export."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wenzhi.core import panels
from wenzhi.core.listing import Column, export_xlsx
from wenzhi.core.permissions import requires

from . import analysis
from .models import Indicator

BAR_COLOUR = "#b3262d"


def _choice(request, name: str, allowed: list[str], default: str) -> str:
    """A query parameter that must be one of ``allowed``; anything else is reported and replaced by the default."""
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    if value not in allowed:
        labels = {"indicator": gettext("指标"), "period": gettext("报告期"), "year": gettext("年度"),
                  "by": gettext("分组")}
        messages.error(request, gettext("%(field)s“%(value)s”无效或没有数据，已显示%(default)s。")
                       % {"field": labels.get(name, name), "value": value, "default": default})
        return default
    return value


def _selection(request) -> tuple[str, str, list, list[str]]:
    indicators = list(Indicator.objects.filter(active=True).order_by("order", "code"))
    periods = analysis.periods_with_data()
    codes = [i.code for i in indicators]
    code = _choice(request, "indicator", codes, "value_added" if "value_added" in codes else (codes or [""])[0])
    period = _choice(request, "period", periods, periods[0] if periods else "")
    return code, period, indicators, periods


def _district_chart(result, url: str) -> dict:
    rows = [r for r in result.rows if r.value is not None]
    return panels.chart("chart-analysis-districts", {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 70, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": [r.name for r in rows], "axisLabel": {"rotate": 40}},
        "yAxis": {"type": "value", "name": result.indicator.unit},
        "series": [{"type": "bar", "name": result.indicator.display_name, "itemStyle": {"color": BAR_COLOUR},
                    "cursor": "pointer",
                    "data": [{"value": float(r.value), "url": f"{url}&district={r.district_id}#drill"} for r in rows]}],
    })


def _trend_chart(result) -> dict:
    return panels.chart("chart-analysis-trend", {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 40, "right": 40, "bottom": 50, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": [p for p, _, _ in result.trend]},
        "yAxis": [{"type": "value", "name": result.indicator.unit}, {"type": "value", "name": "%"}],
        "series": [{"type": "bar", "name": result.indicator.display_name, "itemStyle": {"color": BAR_COLOUR},
                    "data": [float(v) if v is not None else None for _, v, _ in result.trend]},
                   {"type": "line", "name": gettext("同比增长（%）"), "yAxisIndex": 1,
                    "data": [float(g) if g is not None else None for _, _, g in result.trend]}],
    })


def _structure_chart(rows: list[dict]) -> dict:
    return panels.chart("chart-analysis-structure", {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [{"type": "pie", "radius": ["35%", "62%"], "center": ["50%", "44%"], "cursor": "pointer",
                    "data": [{"name": r["label"], "value": float(r["revenue"]), "url": "#structure"}
                             for r in rows if r["revenue"]]}],
    })


def _structure(request) -> dict:
    years = analysis.registry_years()
    if not years:
        return {"years": []}
    year = int(_choice(request, "year", [str(y) for y in years], str(years[0])))
    by = _choice(request, "by", ["sector", "category"], "sector")
    rows = analysis.registry_structure(year, by)
    return {"years": years, "year": year, "by": by, "rows": rows, "chart": _structure_chart(rows)}


@requires("statistics.analyse")
@require_GET
def analysis_page(request):
    """Totals and breakdowns of an indicator, its growth and share of GDP, and the registry's structure."""
    code, period, indicators, periods = _selection(request)
    view = "structure" if request.GET.get("view") == "structure" else "indicator"
    context: dict[str, object] = {"indicators": indicators, "periods": periods, "code": code, "period": period,
                                  "view": view}
    if view == "structure":
        context["structure"] = _structure(request)
    elif code and period:
        result = analysis.indicator_analysis(code, period)
        url = reverse("statistics:analysis") + f"?indicator={code}&period={period}"
        context.update(result=result, district_chart=_district_chart(result, url), trend_chart=_trend_chart(result),
                       export_url=reverse("statistics:analysis_export") + f"?indicator={code}&period={period}")
        drill = request.GET.get("district", "")
        if drill.isdigit():
            names = {r.district_id: r.name for r in result.rows}
            if int(drill) in names:
                context.update(drill_name=names[int(drill)],
                               drill_rows=analysis.district_series(code, int(drill)))
    return render(request, "statistics/analysis.html", context)


def _pct(key: str):
    return lambda r: getattr(r, key)


ANALYSIS_COLUMNS = [
    Column("name", _("区"), field=lambda r: r.name, width=14),
    Column("value", _("当期值"), field=_pct("value"), number=True),
    Column("yoy", _("同比增长（%）"), field=_pct("yoy"), number=True),
    Column("qoq", _("环比增长（%）"), field=_pct("qoq"), number=True),
    Column("ytd", _("本年累计"), field=_pct("ytd"), number=True),
    Column("ytd_yoy", _("累计同比增长（%）"), field=_pct("ytd_yoy"), number=True),
    Column("share", _("占全市比重（%）"), field=_pct("share"), number=True),
]


@requires("statistics.analyse")
@require_GET
def analysis_export(request):
    """The analysis table (every district and the city) as .xlsx, with the indicator and period on a notes sheet."""
    code, period, _indicators, _periods = _selection(request)
    if not (code and period):
        return export_xlsx([], ANALYSIS_COLUMNS, "statistics-analysis", title=gettext("统计分析"))
    result = analysis.indicator_analysis(code, period)
    result.city.name = gettext("全市")
    info = [(gettext("指标"), f"{result.indicator.display_name} ({result.indicator.display_unit})"), (gettext("报告期"), period)]
    return export_xlsx([*result.rows, result.city], ANALYSIS_COLUMNS, f"statistics-{code}-{period}",
                       title=gettext("统计分析"), info=info)
