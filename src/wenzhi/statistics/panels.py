"""Statistics' dashboard panels: the latest quarter's reporting (city and district officials) and the
reports that wait for the reader (the city's approvals, a reporter's drafts and reminders)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks, panels
from wenzhi.core.permissions import can

from . import periods, selectors
from .models import ReportingForm


def _completeness(request):
    form = ReportingForm.objects.filter(code="district_quarterly", active=True).first()
    if form is None:
        return None
    code = periods.last_complete(form.period_type, timezone.localdate())
    c = selectors.completeness(form=form, period=code, user=request.user)
    url = reverse("statistics:completeness") + f"?form={form.code}&period={code}"
    return panels.figures(
        panels.figure(gettext("%(period)s 应报") % {"period": code}, c.expected, url),
        panels.figure(gettext("已报"), c.reported, url, note=panels.share(c.reported, c.expected)),
        panels.figure(gettext("按时上报"), c.on_time, url, note=panels.share(c.on_time, c.expected)),
        panels.figure(gettext("逾期未报"), len(c.late_rows), url))


def _waiting(request):
    user = request.user
    reports = selectors.report_list(user=user)
    if can(user, "statistics.approve"):
        reports = reports.filter(status="submitted")
        empty = gettext("没有待审核的报表。")
    else:
        reports = reports.filter(status__in=("draft", "returned"))
        empty = gettext("没有待填报的报表。")
    rows = [panels.Item(title=f"{r.period.code} · {r.organisation.name}", tag=r.get_status_display(),
                        url=reverse("statistics:report_detail", args=[r.pk]), note=r.form.display_name)
            for r in reports.order_by("-period__start", "district__code")[:8]]
    unread = selectors.reminders_for(user=user).filter(read_at__isnull=True).count()
    summary = [panels.figure(gettext("未读催报"), unread, reverse("statistics:reminder_list"))] if unread else []
    return panels.items(rows, empty=empty, more_label=gettext("全部报表"),
                        more_url=reverse("statistics:report_list"), summary=summary)


def register() -> None:
    hooks.dashboard_panel(hooks.DashboardPanel("statistics_completeness", _("统计报送情况"),
                                               "core/panels/figures.html", _completeness,
                                               action="statistics.completeness", order=30, width=6))
    hooks.dashboard_panel(hooks.DashboardPanel("statistics_waiting", _("待处理的统计报表"), "core/panels/items.html",
                                               _waiting, action="statistics.view", order=31, width=6))
