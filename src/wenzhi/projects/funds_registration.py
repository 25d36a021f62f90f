"""What the funds, progress and promotion part of the projects app registers with core when it starts:
permission actions, the eligibility check for overdue reports, API routes, navigation, dashboard panels and
demo data."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks, panels


def _funds_panel(request):
    """The overall leverage (history plus what the platform recorded) and this year's funds."""
    from .selectors_funds import fund_list, leverage_summary

    s = leverage_summary(user=request.user)
    funds = list(fund_list(user=request.user).order_by("-year")[:1])
    url = reverse("projects:leverage")
    out = [{"label": gettext("撬动倍数（社会资金 ÷ 财政资金）"),
            "value": f"{s.leverage:.1f}×" if s.leverage else "—", "url": url,
            "note": gettext("历史累计 %(h)s×") % {"h": f"{s.history_leverage:.1f}"} if s.history_leverage else ""},
           {"label": gettext("财政资金（亿元）"), "value": f"{s.fund / 10**8:,.2f}", "url": url},
           {"label": gettext("撬动社会资金（亿元）"), "value": f"{s.social / 10**8:,.2f}", "url": url}]
    if funds:
        f = funds[0]
        committed = getattr(f, "committed", 0)  # annotated by fund_list
        out.append({"label": gettext("%(y)s年%(n)s已安排（万元）") % {"y": f.year, "n": f.get_kind_display()},
                    "value": f"{committed / 10**4:,.0f} / {f.budget / 10**4:,.0f}",
                    "url": reverse("projects:fund_detail", args=[f.pk])})
    return panels.figures(*out)


def _leverage_by_district(request):
    from .selectors_funds import leverage

    rows = [r for r in leverage(user=request.user, by="district") if r.leverage is not None]
    if not rows:
        return None
    url = reverse("projects:leverage")
    return panels.chart("chart-projects-leverage", {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 60, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": [r.label for r in rows], "axisLabel": {"rotate": 40}},
        "yAxis": {"type": "value", "name": "×"},
        "series": [{"type": "bar", "name": gettext("撬动倍数"), "itemStyle": {"color": "#b3262d"},
                    "data": [{"value": round(r.leverage or 0, 2), "url": url} for r in rows]}],
    })


def _progress_panel(request):
    from .selectors_progress import overdue_projects, stalled_projects

    overdue = overdue_projects(user=request.user)
    rows = [panels.Item(p.name, reverse("projects:project_detail", args=[p.pk]), tag=p.district.name)
            for p in overdue[:6]]
    return panels.items(rows, empty=gettext("没有逾期未报的进度报告。"), more_label=gettext("全部逾期项目"),
                        more_url=reverse("projects:progress_overdue"),
                        summary=[{"label": gettext("逾期未报"), "value": overdue.count()},
                                 {"label": gettext("停滞预警"), "value": len(stalled_projects(user=request.user))}])


NAV = (
    ("projects_funds", _("专项资金"), "projects:fund_list", "fund.view", 34),
    ("projects_grants", _("资助与拨付"), "projects:grant_list", "grant.view", 35),
    ("projects_leverage", _("资金撬动"), "projects:leverage", "leverage.view", 36),
    ("projects_progress", _("项目进度"), "projects:progress_list", "progress.view", 37),
    ("projects_overdue", _("逾期与停滞"), "projects:progress_overdue", "progress.monitor", 38),
    ("projects_double_funding", _("重复资助"), "projects:double_funding", "progress.monitor", 39),
    ("projects_stalled", _("停滞预警"), "projects:progress_stalled", "progress.monitor", 39),
    ("projects_messages", _("站内消息"), "projects:message_list", "message.view", 40),
    ("projects_export_directory", _("文化出口重点项目目录"), "projects:export_directory_list",
     "export_directory.view", 41),
    ("projects_showcase", _("重点项目展示"), "projects:showcase_list", "showcase.view_public", 42),
    ("projects_interests", _("投资意向"), "projects:interest_list", "interest.view", 43),
    ("projects_fairs", _("项目推介会"), "projects:fair_list", "fair.view", 44),
)


def register() -> None:
    from . import demo_funds, permissions_funds
    from .api import funds as funds_api
    from .eligibility import register_overdue_check
    from .selectors_progress import enterprise_has_overdue_report

    permissions_funds.register()
    register_overdue_check(enterprise_has_overdue_report)
    funds_api.register()
    for key, label, url, action, order in NAV:
        hooks.nav(hooks.NavEntry(key, label, url, action=action, order=order,
                                 public=action in ("export_directory.view", "showcase.view_public")))
    for key, title, template, render, action, order, width in (
        ("projects_funds", _("专项资金与撬动"), "figures", _funds_panel, "leverage.view", 40, 12),
        ("projects_leverage", _("各区资金撬动倍数"), "chart", _leverage_by_district, "leverage.view", 41, 6),
        ("projects_progress", _("项目进度监测"), "items", _progress_panel, "progress.monitor", 42, 6),
    ):
        hooks.dashboard_panel(hooks.DashboardPanel(key, title, f"core/panels/{template}.html", render,
                                                   action=action, order=order, width=width))
    hooks.demo_provider("projects_funds", demo_funds.generate, order=31)
