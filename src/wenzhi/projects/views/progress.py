"""Progress pages: quarterly reports (list, owners' form), the overdue list with reminders, stalled projects,
near-duplicate applications side by side, projects funded twice, and the in-app messages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wenzhi.core.listing import Column, ListPage
from wenzhi.core.permissions import require, requires

from .. import selectors
from ..filters_funds import ProgressReportFilter
from ..forms_funds import ProgressReportForm
from ..selectors_progress import (
    STALL_DAYS,
    double_funding_flags,
    messages_for,
    overdue_projects,
    progress_report_list,
    stalled_projects,
    visible_duplicates,
)
from ..services import progress as svc
from .common import act, save_edit


class ProgressReportList(ListPage):
    title = _("项目进度报告")
    permission_action = "progress.view"
    selector = staticmethod(progress_report_list)
    filterset_class = ProgressReportFilter
    export_name = "progress_reports"
    default_ordering = "-year"
    columns = [
        Column("project", _("项目"), "project__name"),
        Column("owner", _("项目单位"), "project__owner__name"),
        Column("district", _("所属区"), "project__district__name"),
        Column("year", _("年度")),
        Column("quarter", _("季度"), "quarter"),
        Column("investment_completed", _("本季度完成投资（元）")),
        Column("milestone", _("完成节点"), "milestone__title"),
        Column("progress", _("进展情况")),
        Column("submitted_at", _("填报时间")),
    ]

    def get_actions(self):
        from wenzhi.core.permissions import can

        out = []
        if can(self.request.user, "progress.monitor"):
            out += [(gettext("逾期未报"), reverse("projects:progress_overdue")),
                    (gettext("停滞预警"), reverse("projects:progress_stalled")),
                    (gettext("重复资助"), reverse("projects:double_funding"))]
        return out


@requires("progress.report")
def progress_report_new(request, pk: int):
    project = get_object_or_404(selectors.project_list(user=request.user), pk=pk)
    require(request.user, "progress.report", project)
    milestones = project.milestones.filter(done_on__isnull=True)
    y, q = svc.last_due_quarter(timezone.localdate())
    form = ProgressReportForm(request.POST or None, request.FILES or None, milestones=milestones,
                              initial={"year": y, "quarter": q})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        milestone = milestones.filter(pk=data.pop("milestone")).first() if data.get("milestone") else None
        data.pop("milestone", None)
        refused = save_edit(form, lambda: svc.progress_report_submit(actor=request.user, project=project,
                                                                     milestone=milestone, **data))
        if refused is None:
            messages.success(request, gettext("进度报告已提交。"))
            return redirect("projects:project_detail", pk=project.pk)
    return render(request, "projects/form.html", {
        "title": gettext("填报“%(p)s”季度进度报告") % {"p": project.name}, "form": form,
        "back": reverse("projects:project_detail", args=[project.pk])})


@requires("progress.monitor")
def progress_overdue(request):
    today = timezone.localdate()
    y, q = svc.last_due_quarter(today)
    projects = overdue_projects(today=today, user=request.user)[:500]
    return render(request, "projects/progress/overdue.html", {
        "projects": projects, "year": y, "quarter": q, "due": svc.quarter_due(y, q)})


@require_POST
@requires("progress.monitor")
def progress_remind(request):
    holder: dict = {}

    def run():
        holder["sent"] = svc.reminders_send(actor=request.user)

    response = act(request, run, gettext("提醒已发送。"), "projects:progress_overdue")
    if "sent" in holder:
        messages.info(request, gettext("到期提醒 %(r)s 条，逾期通知 %(o)s 条。") % {
            "r": holder["sent"]["reminders"], "o": holder["sent"]["overdue"]})
    return response


@requires("progress.monitor")
def progress_stalled(request):
    return render(request, "projects/progress/stalled.html", {
        "rows": stalled_projects(user=request.user), "limits": STALL_DAYS})


@requires("progress.monitor")
def double_funding(request):
    return render(request, "projects/progress/double_funding.html", {"flags": double_funding_flags(user=request.user)})


@requires("application.duplicates")
def application_duplicates(request, pk: int):
    """The near-duplicates of one application with the matched passages side by side (also loaded into the
    application page)."""
    application = get_object_or_404(selectors.application_list(user=request.user), pk=pk)
    require(request.user, "application.duplicates", application)
    matches = visible_duplicates(user=request.user, application=application)
    template = "projects/progress/duplicates_panel.html" if request.headers.get("HX-Request") \
        else "projects/progress/duplicates.html"
    return render(request, template, {"application": application, "matches": matches})


@requires("message.view")
def message_list(request):
    return render(request, "projects/progress/messages.html", {"messages_": messages_for(user=request.user)[:200]})


@require_POST
@requires("message.view")
def message_read(request, pk: int):
    message = get_object_or_404(messages_for(user=request.user), pk=pk)
    return act(request, lambda: svc.message_mark_read(actor=request.user, message=message),
               gettext("已标记为已读。"), "projects:message_list")
