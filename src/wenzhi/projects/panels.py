"""The projects app's navigation entries and dashboard panels (projects by stage, sector, district and level;
investment planned vs completed; share of intelligent projects per year), registered in ``ready()``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks, panels
from wenzhi.core.scoping import scope_for
from wenzhi.core.selectors import districts
from wenzhi.registry.choices import Sector

from . import selectors
from .choices import ProjectLevel, Stage

YI = Decimal(100_000_000)  # 亿元


def _projects(request):
    return selectors.project_list(user=request.user).order_by()


def _bar(chart_id: str, rows: list[tuple[str, int, str]], name: str) -> dict:
    return panels.chart(chart_id, {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 60, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": [r[0] for r in rows], "axisLabel": {"rotate": 40}},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": name, "itemStyle": {"color": "#b3262d"}, "cursor": "pointer",
                    "data": [{"value": r[1], "url": r[2]} for r in rows]}],
    })


def _figures(request):
    """Projects by stage and level, with the investment planned and completed (亿元)."""
    qs = _projects(request)
    url = reverse("projects:project_list")
    by_stage = dict(qs.values_list("stage").annotate(n=Count("id")))
    by_level = dict(qs.values_list("level").annotate(n=Count("id")))
    money = qs.exclude(stage=Stage.TERMINATED).aggregate(p=Sum("planned_investment"), c=Sum("completed_investment"))
    out = [panels.figure(label, by_stage.get(value, 0), f"{url}?stage={value}") for value, label in Stage.choices]
    out += [panels.figure(label, by_level.get(value, 0), f"{url}?level={value}")
            for value, label in ProjectLevel.choices if value != ProjectLevel.LIBRARY]
    planned, completed = money["p"] or Decimal(0), money["c"] or Decimal(0)
    out.append(panels.figure(gettext("计划总投资（亿元）"), (planned / YI).quantize(Decimal("0.01")), url))
    out.append(panels.figure(gettext("已完成投资（亿元）"), (completed / YI).quantize(Decimal("0.01")), url,
                             gettext("完成 %(s)s") % {"s": panels.share(int(completed), int(planned))}
                             if planned else ""))
    return panels.figures(*out)


def _by_district(request):
    if not scope_for(request.user).is_city:
        return None
    counts = dict(_projects(request).values_list("district_id").annotate(n=Count("id")))
    url = reverse("projects:project_list")
    rows = [(d.name, counts[d.id], f"{url}?district={d.id}") for d in districts() if counts.get(d.id)]
    return _bar("chart-projects-district", rows, gettext("项目数"))


def _by_sector(request):
    labels = dict(Sector.choices)
    url = reverse("projects:project_list")
    rows = _projects(request).exclude(sector="").values_list("sector").annotate(n=Count("id")).order_by("-n")
    return _bar("chart-projects-sector", [(str(labels.get(s, s)), n, f"{url}?sector={s}") for s, n in rows],
                gettext("项目数"))


def _investment(request):
    """Planned vs completed investment (亿元) by entry year."""
    rows = (_projects(request).exclude(stage=Stage.TERMINATED).exclude(start_year=None).values_list("start_year")
            .annotate(p=Sum("planned_investment"), c=Sum("completed_investment")).order_by("start_year"))
    years = [str(y) for y, _p, _c in rows]
    return panels.chart("chart-projects-investment", {
        "tooltip": {"trigger": "axis"}, "legend": {"bottom": 0},
        "grid": {"left": 40, "right": 10, "bottom": 40, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": years}, "yAxis": {"type": "value", "name": gettext("亿元")},
        "series": [{"type": "bar", "name": gettext("计划总投资"), "data": [float(p / YI) for _y, p, _c in rows]},
                   {"type": "bar", "name": gettext("已完成投资"), "data": [float(c / YI) for _y, _p, c in rows]}],
    })


def _intelligent_share(request):
    """Share of intelligent projects among the projects entered each year (%)."""
    rows = (_projects(request).exclude(start_year=None).values_list("start_year")
            .annotate(n=Count("id"), i=Count("id", filter=Q(intelligent=True))).order_by("start_year"))
    return panels.chart("chart-projects-intelligent", {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 30, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": [str(y) for y, _n, _i in rows]},
        "yAxis": {"type": "value", "max": 100, "name": "%"},
        "series": [{"type": "line", "name": gettext("智能项目占比"), "itemStyle": {"color": "#b3262d"},
                    "data": [round(100 * i / n, 1) if n else 0 for _y, n, i in rows]}],
    })


def register() -> None:
    for key, label, url, action, order in (
        ("projects_library", _("项目库"), "projects:project_list", "projects.browse", 30),
        ("projects_calls", _("申报批次"), "projects:call_list", "call.view", 31),
        ("projects_applications", _("申报与评审"), "projects:application_list", "application.view", 32),
        ("projects_notices", _("公示与入选名单"), "projects:public_notices", "notice.view_public", 33),
    ):
        hooks.nav(hooks.NavEntry(key, label, url, action=action, order=order))
    for key, title, template, render, order, width in (
        ("projects_figures", _("重点文化产业项目"), "figures", _figures, 40, 12),
        ("projects_by_district", _("项目区域分布"), "chart", _by_district, 41, 6),
        ("projects_by_sector", _("项目门类分布"), "chart", _by_sector, 42, 6),
        ("projects_investment", _("计划与完成投资"), "chart", _investment, 43, 6),
        ("projects_intelligent", _("智能项目占比（按年度）"), "chart", _intelligent_share, 44, 6),
    ):
        hooks.dashboard_panel(hooks.DashboardPanel(key, title, f"core/panels/{template}.html", render, order=order,
                                                   width=width, action="projects.figures"))
