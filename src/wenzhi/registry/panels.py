"""The registry's navigation entries and dashboard panels, registered with core in ``RegistryConfig.ready``."""

from __future__ import annotations

import json

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks
from wenzhi.core.selectors import districts

from . import selectors
from .choices import ParkKind, ParkLevel, Sector, TalentCategory


def _figures(request):
    user = request.user
    enterprises = selectors.enterprise_list(user=user)
    parks = selectors.park_list(user=user).exclude(status="revoked")
    by_level = dict(parks.exclude(kind=ParkKind.DEMONSTRATION_BASE).values_list("level").annotate(n=Count("id")))
    url = reverse("registry:enterprise_list")
    figures = [
        {"label": gettext("文化企业"), "value": f"{enterprises.count():,}", "url": url},
        {"label": gettext("规模以上企业"), "value": f"{enterprises.filter(above_scale=True).count():,}",
         "url": f"{url}?tag=above_scale"},
        {"label": gettext("智能文化创意企业"), "value": f"{enterprises.filter(intelligent=True).count():,}",
         "url": f"{url}?tag=intelligent"},
    ]
    park_url = reverse("registry:park_list")
    for level in (ParkLevel.NATIONAL, ParkLevel.MUNICIPAL, ParkLevel.DISTRICT):
        figures.append({"label": gettext("%(level)s园区") % {"level": level.label}, "value": by_level.get(level, 0),
                        "url": f"{park_url}?level={level}"})
    figures.append({"label": gettext("示范基地"), "value": parks.filter(kind=ParkKind.DEMONSTRATION_BASE).count(),
                    "url": f"{park_url}?kind={ParkKind.DEMONSTRATION_BASE}"})
    figures.append({"label": gettext("高端人才"),
                    "value": selectors.talent_list(user=user).filter(category=TalentCategory.HIGH_END).count(),
                    "url": f"{reverse('registry:talent_list')}?category={TalentCategory.HIGH_END}"})
    return {"figures": figures}


def _by_district(request):
    # Group by the key alone (a covering index) and name the 16 districts afterwards: joining the
    # organisation table for the names made SQLite sort 25,000 rows.
    counts = dict(selectors.enterprise_list(user=request.user).order_by().values_list("district_id")
                  .annotate(n=Count("id")))
    rows = [(d.name, d.code, counts.get(d.id, 0)) for d in districts() if counts.get(d.id)]
    names = [r[0] for r in rows]
    option = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 60, "top": 20},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 40}},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "data": [r[2] for r in rows], "itemStyle": {"color": "#b3262d"},
                    "name": gettext("企业数")}],
    }
    return {"chart_id": "chart-registry-district", "option": json.dumps(option, ensure_ascii=False)}


def _by_sector(request):
    labels = dict(Sector.choices)
    rows = (selectors.enterprise_list(user=request.user).exclude(sector="").values_list("sector")
            .annotate(n=Count("id")).order_by("-n"))
    option = {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [{"type": "pie", "radius": ["38%", "66%"], "center": ["50%", "44%"],
                    "data": [{"name": str(labels.get(s, s)), "value": n} for s, n in rows],
                    "label": {"formatter": "{b}\n{c}"}}],
    }
    return {"chart_id": "chart-registry-sector", "option": json.dumps(option, ensure_ascii=False)}


def _my_enterprise(request):
    enterprise = selectors.enterprise_for_user(request.user)
    if enterprise is None:
        return {"figures": [{"label": gettext("尚未关联企业，请联系所在区文化产业主管部门"), "value": "—"}]}
    url = reverse("registry:my_enterprise")
    figures = [{"label": enterprise.name, "value": enterprise.get_sector_display() or "—", "url": url}]
    figure = enterprise.year_figures.order_by("-year").first()
    if figure is not None:
        figures.append({"label": gettext("%(year)s 年营业收入（万元）") % {"year": figure.year},
                        "value": f"{figure.revenue:,.2f}" if figure.revenue is not None else "—", "url": url})
        figures.append({"label": gettext("%(year)s 年从业人员") % {"year": figure.year},
                        "value": figure.employees if figure.employees is not None else "—", "url": url})
    figures.append({"label": gettext("智能化得分"), "value": f"{enterprise.intelligent_score:.2f}", "url": url})
    return {"figures": figures}


def register() -> None:
    # Each entry and panel names the action it needs in the permission table (registry/permissions.py).
    hooks.nav(hooks.NavEntry("registry_enterprises", _("文化企业"), "registry:enterprise_list", order=10,
                             action="registry.browse"))
    hooks.nav(hooks.NavEntry("registry_my_enterprise", _("本企业"), "registry:my_enterprise", order=10,
                             action="enterprise.view_own"))
    hooks.nav(hooks.NavEntry("registry_parks", _("园区与基地"), "registry:park_list", order=12,
                             action="registry.browse"))
    hooks.nav(hooks.NavEntry("registry_talents", _("文化人才"), "registry:talent_list", order=14,
                             action="talent.view"))
    hooks.nav(hooks.NavEntry("registry_trainings", _("人才培训"), "registry:training_list", order=15,
                             action="training.view"))
    hooks.nav(hooks.NavEntry("registry_directories", _("名录"), "registry:directory_list", order=16,
                             action="directory.view"))
    hooks.nav(hooks.NavEntry("registry_public_directories", _("公开名录"), "registry:public_directories",
                             order=17, action="directory.view_public"))
    # The import pages (views_import.py); the shell skips the entry while the route does not exist.
    hooks.nav(hooks.NavEntry("registry_imports", _("数据导入"), "registry:import_list", order=19,
                             action="import.run"))
    hooks.nav(hooks.NavEntry("registry_reference", _("行业分类对照"), "registry:culture_categories", order=18,
                             action="reference.view"))
    hooks.dashboard_panel(hooks.DashboardPanel("registry_my_enterprise", _("本企业"), "core/panels/figures.html",
                                               _my_enterprise, action="enterprise.view_own", order=5, width=12))
    hooks.dashboard_panel(hooks.DashboardPanel("registry_figures", _("文化产业登记库"), "core/panels/figures.html",
                                               _figures, action="registry.figures", order=10, width=12))
    hooks.dashboard_panel(hooks.DashboardPanel("registry_by_district", _("各区文化企业数"), "core/panels/chart.html",
                                               _by_district, action="registry.figures_by_district", order=11,
                                               width=6))
    hooks.dashboard_panel(hooks.DashboardPanel("registry_by_sector", _("八大门类企业分布"), "core/panels/chart.html",
                                               _by_sector, action="registry.figures", order=12, width=6))
