"""The plan tracker's navigation entry and dashboard panel, registered with core in ``PlanConfig.ready``."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks, panels

from .choices import ProgressState, TargetKind, TaskStatus
from .progress import all_progress
from .selectors import task_list


def _progress_panel(request):
    """Targets met of those with a number, and where the ten tasks stand; the targets still behind, listed."""
    rows = [p for p in all_progress() if p.target.kind in (TargetKind.COUNT, TargetKind.GROWTH)]
    met = sum(1 for p in rows if p.state == ProgressState.MET)
    tasks = list(task_list(user=request.user))
    url = reverse("plan:dashboard")
    tasks_url = reverse("plan:task_list")
    summary = [
        panels.figure(gettext("已达目标"), f"{met}/{len(rows)}", url),
        panels.figure(gettext("任务已完成"), sum(t.status == TaskStatus.DONE for t in tasks),
                      f"{tasks_url}?status={TaskStatus.DONE}"),
        panels.figure(gettext("任务滞后"), sum(t.status == TaskStatus.DELAYED for t in tasks),
                      f"{tasks_url}?status={TaskStatus.DELAYED}"),
    ]
    behind = []
    for p in rows:
        if p.state == ProgressState.MET:
            continue
        value = gettext("暂无数据") if p.value is None else p.value_text
        behind.append(panels.Item(title=p.target.name, url=reverse("plan:target_detail", args=[p.target.pk]),
                                  tag=p.state_label, note=gettext("目标 %(target)s，当前 %(value)s") % {
                                      "target": p.target_text, "value": value}))
    return panels.items(behind, empty=gettext("各项目标均已达到。"), more_label=gettext("全部目标"), more_url=url,
                        summary=summary)


def register() -> None:
    hooks.nav(hooks.NavEntry(key="plan", label=_("规划目标"), url_name="plan:dashboard", action="plan.view",
                             order=60))
    hooks.nav(hooks.NavEntry(key="plan_tasks", label=_("重点任务"), url_name="plan:task_list", action="plan.view",
                             order=61))
    hooks.dashboard_panel(hooks.DashboardPanel(
        key="plan-progress", title=_("行动计划目标进度"), template="core/panels/items.html", render=_progress_panel,
        order=60, width=6, action="plan.view"))
