"""Plan tracker pages. Thin: forms shape input, services write, selectors and ``progress`` read."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.listing import Column, ListPage, export_xlsx
from wenzhi.core.permissions import can, requires
from wenzhi.core.services import history_diffs

from . import progress, selectors, services
from .choices import TaskStatus
from .filters import TaskFilter
from .forms import EvidenceForm, MilestoneDoneForm, MilestoneForm, ReadingForm, TargetForm, TaskForm
from .models import Milestone
from .progress import target_text


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


PROGRESS_COLUMNS = [
    Column("name", _("目标"), lambda p: p.target.name),
    Column("clause", _("计划条款"), lambda p: p.target.clause),
    Column("horizon", _("目标年份"), lambda p: p.target.horizon),
    Column("target", _("目标值"), lambda p: target_text(p.target)),
    Column("baseline", _("基期（年份）"), lambda p: p.baseline_text),
    Column("value", _("当前值"), lambda p: p.value),
    Column("unit", _("单位"), lambda p: p.unit_label),
    Column("period", _("数据期间"), lambda p: p.period),
    Column("state", _("状态"), lambda p: p.state_label),
    Column("source", _("数据来源"), lambda p: p.source),
    Column("detail", _("说明"), lambda p: p.detail),
]


@requires("plan.view")
@require_safe
def dashboard(request):
    """Progress against each target from live data, the 2016 baseline, and where the ten tasks stand."""
    rows = progress.all_progress()
    if request.GET.get("export") == "xlsx":
        who = request.user.get_username()
        info = [(gettext("导出内容"), gettext("规划目标进度")),
                (gettext("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")), (gettext("导出人"), who)]
        return export_xlsx(rows, PROGRESS_COLUMNS, f"plan-targets-{timezone.localdate()}",
                           title=str(_("规划目标进度")), info=info)
    tasks = list(selectors.task_list(user=request.user))
    counts = {status: sum(1 for t in tasks if t.status == status) for status in TaskStatus.values}
    return render(request, "plan/dashboard.html", {
        "title": gettext("规划目标与任务"),
        "goals": [r for r in rows if r.target.kind != "monitored"],
        "monitored": [r for r in rows if r.target.kind == "monitored"],
        "tasks": tasks, "status_counts": [(TaskStatus(s).label, counts[s], s) for s in TaskStatus.values],
    })


class TaskList(ListPage):
    title = _("重点任务")
    selector = staticmethod(selectors.task_list)
    filterset_class = TaskFilter
    columns = [
        Column("title", _("任务"), link=True),
        Column("clause", _("计划条款")),
        Column("lead_units", _("牵头单位")),
        Column("status", _("状态"), "status"),
        Column("milestones", _("节点（完成/全部）"), lambda t: f"{t.milestones_done}/{t.milestone_count}"),
        Column("overdue", _("逾期节点"), lambda t: t.milestones_overdue),
        Column("evidence", _("佐证"), lambda t: t.evidence_count),
    ]
    # Ten rows of the plan's own text: a substring match is all the search they need.
    search_fields = ["title", "lead_units", "progress_note"]
    default_ordering = "number"
    export_name = "plan-tasks"
    detail_url_name = "plan:task_detail"
    permission_action = "plan.view"


def _task(request, pk: int):
    return get_object_or_404(selectors.task_list(user=request.user), pk=pk)


@requires("plan.view")
@require_safe
def task_detail(request, pk: int):
    task = _task(request, pk)
    user = request.user
    return render(request, "plan/task_detail.html", {
        "task": task, "milestones": task.milestones.all(), "evidence": selectors.task_evidence(task=task),
        "can_change": can(user, "plan.change", task), "can_evidence": can(user, "plan.add_evidence", task),
        "milestone_form": MilestoneForm(), "done_form": MilestoneDoneForm(initial={"done_on": timezone.localdate()}),
        "evidence_form": EvidenceForm(initial={"happened_on": timezone.localdate()}),
        "history": history_diffs(task)})


def _edit(request, *, form, obj, save: Callable[[], object], title: str, back: str):
    """The shared edit step: save through the service; 200 with the reason, 409 on a stale version."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        except StaleEdit as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, gettext("已保存，变更已记入变更记录。"))
            return redirect(back)
    return render(request, "plan/form.html", {
        "title": title, "form": form, "back": back,
        "version": request.POST.get("version") if status == 409 else version_of(obj)}, status=status)


@requires("plan.change")
def task_edit(request, pk: int):
    """The city updates a task's lead units, status and progress note (with a reason; stale edits 409)."""
    task = _task(request, pk)
    form = TaskForm(request.POST or None, instance=type(task).objects.get(pk=task.pk))
    return _edit(request, form=form, obj=task, title=gettext("编辑重点任务") + f" · {task.title}",
                 back=reverse("plan:task_detail", args=[task.pk]),
                 save=lambda: services.task_update(actor=request.user, task=task,
                                                   data=form.changed_data_for_service(),
                                                   reason=form.cleaned_data["reason"],
                                                   version=request.POST.get("version", "")))


def _post_result(request, form, call: Callable[[], object], done: str) -> None:
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''}：{'；'.join(v)}"
                                          for k, v in form.errors.items()))
        return
    try:
        call()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)


@requires("plan.change")
@require_POST
def milestone_add(request, pk: int):
    task = _task(request, pk)
    form = MilestoneForm(request.POST)
    _post_result(request, form, lambda: services.milestone_add(
        actor=request.user, task=task, title=form.cleaned_data["title"], due_on=form.cleaned_data["due_on"]),
        gettext("已新增任务节点。"))
    return redirect("plan:task_detail", pk=task.pk)


@requires("plan.change")
@require_POST
def milestone_complete(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.filter(task__in=selectors.task_list(user=request.user)), pk=pk)
    form = MilestoneDoneForm(request.POST)
    _post_result(request, form, lambda: services.milestone_complete(
        actor=request.user, milestone=milestone, done_on=form.cleaned_data["done_on"]),
        gettext("任务节点已标为完成。"))
    return redirect("plan:task_detail", pk=milestone.task_id)


@requires("plan.add_evidence")
@require_POST
def evidence_add(request, pk: int):
    task = _task(request, pk)
    form = EvidenceForm(request.POST)
    _post_result(request, form, lambda: services.evidence_add(
        actor=request.user, task=task, text=form.cleaned_data["text"],
        happened_on=form.cleaned_data["happened_on"], link=form.cleaned_data["link"]),
        gettext("已记录进展佐证。"))
    return redirect("plan:task_detail", pk=task.pk)


def _target(request, pk: int):
    return get_object_or_404(selectors.target_list(user=request.user), pk=pk)


@requires("plan.view")
@require_safe
def target_detail(request, pk: int):
    target = _target(request, pk)
    live = progress.target_progress(target)
    option = {
        "tooltip": {"trigger": "axis"}, "grid": {"left": 50, "right": 20, "top": 20, "bottom": 40},
        "xAxis": {"type": "category", "data": [p for p, _v in live.series]},
        "yAxis": {"type": "value", "name": live.unit_label},
        "series": [{"type": "line", "data": [float(v) for _p, v in live.series], "itemStyle": {"color": "#b3262d"}}],
    }
    return render(request, "plan/target_detail.html", {
        "target": target, "live": live, "target_text": target_text(target),
        "chart": {"chart_id": "plan-series", "option": json.dumps(option, ensure_ascii=False)} if live.series else None,
        "readings": target.readings.select_related("recorded_by").order_by("-period", "-recorded_at"),
        "can_change": can(request.user, "plan.change", target), "can_record": can(request.user, "plan.record", target),
        "reading_form": ReadingForm(), "history": history_diffs(target)})


@requires("plan.change")
def target_edit(request, pk: int):
    """The city corrects a target's wording, values or note (with a reason; stale edits 409)."""
    target = _target(request, pk)
    form = TargetForm(request.POST or None, instance=type(target).objects.get(pk=target.pk))
    return _edit(request, form=form, obj=target, title=gettext("编辑规划目标") + f" · {target.name}",
                 back=reverse("plan:target_detail", args=[target.pk]),
                 save=lambda: services.target_update(actor=request.user, target=target,
                                                     data=form.changed_data_for_service(),
                                                     reason=form.cleaned_data["reason"],
                                                     version=request.POST.get("version", "")))


@requires("plan.record")
@require_POST
def reading_add(request, pk: int):
    target = _target(request, pk)
    form = ReadingForm(request.POST)
    _post_result(request, form, lambda: services.reading_record(
        actor=request.user, target=target, period=form.cleaned_data["period"], value=form.cleaned_data["value"],
        note=form.cleaned_data["note"]), gettext("已记录目标数据。"))
    return redirect("plan:target_detail", pk=target.pk)
