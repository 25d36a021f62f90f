"""The registry's navigation entries and dashboard panels, registered with core in ``RegistryConfig.ready``."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks, panels
from wenzhi.core.formatting import thousands
from wenzhi.core.listing import row_url
from wenzhi.core.permissions import can
from wenzhi.core.scoping import scope_for
from wenzhi.core.selectors import districts

from . import selectors
from .choices import ParkKind, ParkLevel, ParkStatus, Sector, TalentCategory
from .models import Enterprise

RECENT_CHANGES = 8
PARKS_NEEDING_ACTION = (ParkStatus.WARNED, ParkStatus.RECTIFYING)


def _figures(request):
    """The registry in a few numbers: enterprises, above-scale ones and their revenue, intelligent ones and
    their share, parks by level, bases, high-end talents; each links to the list it counts."""
    user = request.user
    enterprises = selectors.enterprise_list(user=user).order_by()
    # Three counts, each answered from its own index, cost less than one pass with filtered aggregates.
    counts = {"total": enterprises.count(), "above": enterprises.filter(above_scale=True).count(),
              "intelligent": enterprises.filter(intelligent=True).count()}
    # Revenue of the latest year only (sums of different years mean nothing). The ids come from the
    # above-scale index and the rows by primary key: filtering the table itself made SQLite scan all of it.
    above = Enterprise.objects.filter(pk__in=enterprises.filter(above_scale=True).values("id")).order_by()
    latest = (above.exclude(latest_year=None).values("latest_year").annotate(s=Sum("latest_revenue"))
              .order_by("-latest_year").first())
    year, revenue = (latest["latest_year"], latest["s"]) if latest else (None, None)
    url = reverse("registry:enterprise_list")
    out = [
        panels.figure(gettext("文化企业"), counts["total"], url),
        panels.figure(gettext("规模以上企业"), counts["above"], f"{url}?tag=above_scale"),
        panels.figure(gettext("规上企业营业收入（亿元）"),
                      (revenue / 10000).quantize(Decimal("0.01")) if revenue is not None else None,
                      f"{url}?tag=above_scale&sort=-latest_revenue",
                      gettext("%(year)s 年") % {"year": year} if year else gettext("暂无年度数据")),
        panels.figure(gettext("智能文化创意企业"), counts["intelligent"], f"{url}?tag=intelligent",
                      gettext("占 %(share)s") % {"share": panels.share(counts["intelligent"], counts["total"])}
                      if counts["total"] else ""),
    ]
    parks = selectors.park_list(user=user).exclude(status=ParkStatus.REVOKED).order_by()
    by_level = dict(parks.exclude(kind=ParkKind.DEMONSTRATION_BASE).values_list("level").annotate(n=Count("id")))
    park_url = reverse("registry:park_list")
    for level in (ParkLevel.NATIONAL, ParkLevel.MUNICIPAL, ParkLevel.DISTRICT):
        out.append(panels.figure(gettext("%(level)s园区") % {"level": level.label}, by_level.get(level, 0),
                                 f"{park_url}?level={level}"))
    out.append(panels.figure(gettext("示范基地"), parks.filter(kind=ParkKind.DEMONSTRATION_BASE).count(),
                             f"{park_url}?kind={ParkKind.DEMONSTRATION_BASE}"))
    out.append(panels.figure(gettext("高端人才"),
                             selectors.talent_list(user=user).filter(category=TalentCategory.HIGH_END).count(),
                             f"{reverse('registry:talent_list')}?category={TalentCategory.HIGH_END}"))
    return panels.figures(*out)


def _bar(chart_id: str, rows: list[tuple[str, int, str]], series_name: str) -> dict:
    return panels.chart(chart_id, {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 60, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": [r[0] for r in rows], "axisLabel": {"rotate": 40}},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": series_name, "itemStyle": {"color": "#b3262d"}, "cursor": "pointer",
                    "data": [{"value": r[1], "url": r[2]} for r in rows]}],
    })


def _by_area(request):
    """Enterprises by district for the city, by park for a district officer (a bar opens the filtered list);
    nothing for a park operator, whose enterprises all sit in one park."""
    scope = scope_for(request.user)
    enterprises = selectors.enterprise_list(user=request.user).order_by()
    url = reverse("registry:enterprise_list")
    if scope.is_city:
        # Group by the key alone (a covering index) and name the 16 districts afterwards: joining the
        # organisation table for the names made SQLite sort 25,000 rows.
        counts = dict(enterprises.values_list("district_id").annotate(n=Count("id")))
        rows = [(d.name, counts[d.id], f"{url}?district={d.id}") for d in districts() if counts.get(d.id)]
        return _bar("chart-registry-district", rows, gettext("企业数"))
    if scope.kind != "district":
        return None
    # The district's parks (a small table), then their enterprises through the (park, deleted_at, name) index:
    # grouping the district's enterprises by park read every one of their rows.
    names = dict(selectors.park_list(user=request.user).values_list("organisation_id", "name"))
    counts = dict(Enterprise.objects.filter(park_id__in=list(names)).order_by().values_list("park_id")
                  .annotate(n=Count("id")))
    rows = sorted(((names.get(pk, ""), n, f"{url}?park={pk}") for pk, n in counts.items()), key=lambda r: -r[1])
    return _bar("chart-registry-park", rows[:15], gettext("企业数"))


def _by_sector(request):
    labels = dict(Sector.choices)
    url = reverse("registry:enterprise_list")
    rows = (selectors.enterprise_list(user=request.user).exclude(sector="").order_by().values_list("sector")
            .annotate(n=Count("id")).order_by("-n"))
    return panels.chart("chart-registry-sector", {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [{"type": "pie", "radius": ["38%", "66%"], "center": ["50%", "44%"], "cursor": "pointer",
                    # Each slice writes its figure with thousands separators: ECharts' {c} does not.
                    "data": [{"name": str(labels.get(s, s)), "value": n, "url": f"{url}?sector={s}",
                              "label": {"formatter": f"{{b}}\n{thousands(n)}"},
                              "tooltip": {"formatter": f"{{b}}: {thousands(n)} ({{d}}%)"}}
                             for s, n in rows],
                    "label": {"formatter": "{b}\n{c}"}}],
    })


def _parks(request):
    """Parks by status, and the warned or rectifying ones an official has to follow up, oldest step first."""
    parks = selectors.park_list(user=request.user).order_by()
    by_status = dict(parks.values_list("status").annotate(n=Count("id")))
    url = reverse("registry:park_list")
    summary = [panels.figure(label, by_status.get(status, 0), f"{url}?status={status}")
               for status, label in ParkStatus.choices if status != ParkStatus.REVOKED]
    pending = parks.filter(status__in=PARKS_NEEDING_ACTION).order_by("status_changed_on", "name")
    rows = [panels.Item(title=p.name, url=row_url("registry:park_detail", p.pk), tag=p.get_status_display(),
                        tag_class="warn", note=gettext("%(date)s 起") % {"date": p.status_changed_on.isoformat()}
                        if p.status_changed_on else "")
            for p in pending.select_related(None).only("id", "name", "status", "status_changed_on")[:8]]
    return panels.items(rows, summary=summary, empty=gettext("没有需要跟进整改的园区。"),
                        more_label=gettext("全部已警告的园区"), more_url=f"{url}?status={ParkStatus.WARNED}")


def _directories(request):
    """Published directories (and, for whoever manages them, drafts not yet published)."""
    user = request.user
    directories = selectors.directory_list(user=user).order_by()
    url = reverse("registry:directory_list")
    summary = [panels.figure(gettext("已发布名录"), directories.filter(published=True).count(),
                             f"{url}?published=1")]
    if can(user, "directory.publish"):
        summary.append(panels.figure(gettext("待发布"), directories.filter(published=False).count(),
                                     f"{url}?published=0"))
    latest = directories.filter(published=True).order_by("-published_on", "-id")[:5]
    rows = [panels.Item(title=d.name, url=row_url("registry:directory_detail", d.pk),
                        note=d.published_on.isoformat() if d.published_on else "") for d in latest]
    return panels.items(rows, summary=summary, empty=gettext("暂无已发布的名录。"),
                        more_label=gettext("全部名录"), more_url=url)


def _history_in_scope(qs, scope, *, park_field: str):
    if scope.is_city:
        return qs
    if scope.kind == "district":
        return qs.filter(district_id=scope.organisation_id)
    if scope.kind == "park":
        return qs.filter(**{park_field: scope.organisation_id})
    return qs.none()


def _recent_changes(request):
    """The latest changes to enterprises and parks inside the viewer's scope: who changed what, when."""
    from .models import Enterprise, Park

    scope = scope_for(request.user)
    kinds = (
        (Enterprise.history.model, "park_id", "registry:enterprise_detail",
         {"+": pgettext("registry change", "新增企业"), "~": pgettext("registry change", "修改企业"), "-": pgettext("registry change", "删除企业")}),
        (Park.history.model, "organisation_id", "registry:park_detail",
         {"+": pgettext("registry change", "新增园区"), "~": pgettext("registry change", "修改园区"), "-": pgettext("registry change", "删除园区")}),
    )
    changes = []
    for model, park_field, route, verbs in kinds:
        qs = _history_in_scope(model.objects.all(), scope, park_field=park_field)
        for h in (qs.select_related("history_user").order_by("-history_date")
                  .only("id", "name", "history_date", "history_type", "history_user__username",
                        "history_user__display_name")[:RECENT_CHANGES]):
            changes.append((h.history_date, h, route, verbs.get(h.history_type, "")))
    changes.sort(key=lambda c: c[0], reverse=True)
    rows = [panels.Item(title=h.name, url="" if h.history_type == "-" else row_url(route, h.id), tag=verb,
                        note=f"{timezone.localtime(when):%m-%d %H:%M} · {h.history_user or gettext('系统')}")
            for when, h, route, verb in changes[:RECENT_CHANGES]]
    return panels.items(rows, empty=gettext("最近没有变更。"))


def _imports(request):
    """Imports checked but not yet committed: the official who started one still has to confirm it."""
    from wenzhi.core.models import ImportRecord

    from .importers import KINDS, import_records_for

    waiting = import_records_for(request.user).filter(status=ImportRecord.Status.CHECKED)
    rows = [panels.Item(title=r.original_name, url=reverse("registry:import_detail", args=[r.pk]),
                        tag=gettext(str(KINDS.get(r.kind, r.kind))),  # the labels may be plain text
                        note=f"{timezone.localtime(r.created_at):%m-%d %H:%M} · {r.created_by or ''}")
            for r in waiting.order_by("-created_at")[:5]]
    return panels.items(rows, summary=[panels.figure(gettext("待确认导入"), waiting.count(),
                                                     reverse("registry:import_list"))],
                        empty=gettext("没有等待确认的导入。"), more_label=gettext("全部导入记录"),
                        more_url=reverse("registry:import_list"))


def _my_enterprise(request):
    enterprise = selectors.enterprise_for_user(request.user)
    if enterprise is None:
        return panels.figures(panels.figure(gettext("尚未关联企业，请联系所在区文化产业主管部门"), None))
    url = reverse("registry:my_enterprise")
    out = [{"label": enterprise.name, "value": enterprise.get_sector_display() or "—", "url": url, "note": ""}]
    figure = enterprise.year_figures.order_by("-year").first()
    if figure is not None:
        out.append(panels.figure(gettext("%(year)s 年营业收入（万元）") % {"year": figure.year}, figure.revenue, url))
        out.append(panels.figure(gettext("%(year)s 年从业人员") % {"year": figure.year}, figure.employees, url))
    out.append(panels.figure(gettext("智能化得分"), f"{enterprise.intelligent_score:.2f}", url))
    return panels.figures(*out)


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
    # The import pages (registry/importing/views.py).
    hooks.nav(hooks.NavEntry("registry_imports", _("数据导入"), "registry:import_list", order=19,
                             action="import.run"))
    hooks.nav(hooks.NavEntry("registry_reference", _("行业分类对照"), "registry:culture_categories", order=18,
                             action="reference.view"))
    hooks.dashboard_panel(hooks.DashboardPanel("registry_my_enterprise", _("本企业"), "core/panels/figures.html",
                                               _my_enterprise, action="enterprise.view_own", order=5, width=12))
    dashboard = "registry.figures"
    for key, title, template, render, action, order, width in (
        ("registry_figures", _("文化产业登记库"), "figures", _figures, dashboard, 10, 12),
        ("registry_by_area", _("文化企业分布"), "chart", _by_area, dashboard, 11, 6),
        ("registry_by_sector", _("八大门类企业分布"), "chart", _by_sector, dashboard, 12, 6),
        ("registry_parks", pgettext_lazy("dashboard panel", "园区动态管理"), "items", _parks, dashboard, 20, 6),
        ("registry_changes", _("最近变更"), "items", _recent_changes, dashboard, 21, 6),
        ("registry_imports", _("待确认的导入"), "items", _imports, "import.run", 22, 6),
        ("registry_directories", _("名录"), "items", _directories, dashboard, 23, 6),
    ):
        hooks.dashboard_panel(hooks.DashboardPanel(key, title, f"core/panels/{template}.html", render,
                                                   action=action, order=order, width=width))
