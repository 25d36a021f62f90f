"""What statistics' outputs (analysis, the quarterly bulletin, the district assessment) register with core in
``StatisticsConfig.ready``: their permission actions, navigation entries, dashboard panels and search type.

Who does what: the city administrator drafts, edits and issues bulletins and keeps the assessment schemes; the
reviewer's approval is its own action (given to the city administrator here, separable later); district officers
read the analysis, the issued bulletins and their own district's assessment.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks, panels
from wenzhi.core.permissions import CITY, CITY_DISTRICT, anywhere, declare, place
from wenzhi.core.scoping import scope_for


def bulletin_visible(user, bulletin) -> bool:
    """The city sees every bulletin; a district officer only issued ones."""
    return scope_for(user).is_city or bulletin.status == "issued"


def register_permissions() -> None:
    from .assessment.models import AssessmentScheme
    from .bulletin.models import Bulletin

    place(Bulletin, district=None, park=None, enterprise=None)
    place(AssessmentScheme, district=None, park=None, enterprise=None)
    declare("statistics.analyse", label=_("统计分析"), roles=CITY_DISTRICT, object_check=anywhere)
    declare("bulletin.view", label=_("查看统计通报"), roles=CITY_DISTRICT, object_check=bulletin_visible)
    declare("bulletin.draft", label=_("起草统计通报"), roles=CITY, object_check=anywhere)
    declare("bulletin.edit", label=_("修改统计通报"), roles=CITY, object_check=anywhere)
    declare("bulletin.approve", label=_("审核统计通报"), roles=CITY, object_check=anywhere)
    declare("bulletin.issue", label=_("印发统计通报"), roles=CITY, object_check=anywhere)
    declare("assessment.view", label=_("查看绩效考核"), roles=CITY_DISTRICT, object_check=anywhere)
    declare("assessment.manage", label=_("管理绩效考核方案"), roles=CITY, object_check=anywhere)


def _headline(request):
    """The latest quarter's value added for the city: level, year-on-year and year-to-date growth."""
    from .analysis import indicator_analysis, periods_with_data
    from .models import Indicator

    periods = periods_with_data()
    if not periods or not Indicator.objects.filter(code="value_added").exists():
        return panels.figures(panels.figure(gettext("暂无统计数据"), None))
    result = indicator_analysis("value_added", periods[0])
    url = reverse("statistics:analysis") + f"?indicator=value_added&period={periods[0]}"
    unit = result.indicator.unit
    out = [panels.figure(gettext("%(period)s 文化产业增加值（%(unit)s）") % {"period": periods[0], "unit": unit},
                         result.city.value, url),
           panels.figure(gettext("同比增长（%）"), result.city.yoy, url),
           panels.figure(gettext("本年累计同比增长（%）"), result.city.ytd_yoy, url)]
    if result.gdp_share is not None:
        out.append(panels.figure(gettext("占地区生产总值比重（%）"), result.gdp_share, url))
    return panels.figures(*out)


def _bulletins(request):
    from .bulletin.selectors import bulletin_list

    rows = bulletin_list(user=request.user).select_related("period")[:5]
    items = [panels.Item(title=b.title, url=reverse("statistics:bulletin_detail", args=[b.pk]),
                         tag=b.get_status_display(), tag_class="" if b.status == "issued" else "warn",
                         note=b.document_number) for b in rows]
    return panels.items(items, empty=gettext("暂无统计通报。"), more_label=gettext("全部统计通报"),
                        more_url=reverse("statistics:bulletin_list"))


def register_navigation() -> None:
    hooks.nav(hooks.NavEntry("statistics_analysis", _("统计分析"), "statistics:analysis", order=46,
                             action="statistics.analyse"))
    hooks.nav(hooks.NavEntry("statistics_bulletins", _("统计通报"), "statistics:bulletin_list", order=47,
                             action="bulletin.view"))
    hooks.nav(hooks.NavEntry("statistics_assessments", _("绩效考核"), "statistics:assessment_list", order=48,
                             action="assessment.view"))
    hooks.dashboard_panel(hooks.DashboardPanel("statistics_headline", _("文化产业主要指标"), "core/panels/figures.html",
                                               _headline, action="statistics.analyse", order=30, width=12))
    hooks.dashboard_panel(hooks.DashboardPanel("statistics_bulletins", _("统计通报"), "core/panels/items.html",
                                               _bulletins, action="bulletin.view", order=31, width=6))


def register_search() -> None:
    from wenzhi.core import search
    from wenzhi.core.search import Document, SearchType

    from .bulletin.models import Bulletin

    search.register(SearchType(
        key="bulletin", label=_("统计通报"), model=Bulletin, action="bulletin.view",
        url_name="statistics:bulletin_detail", rows=lambda: Bulletin.objects.select_related("period"),
        document=lambda b: Document(title=b.title, text="\n".join(b.rendered or []), year=b.year,
                                    public=b.status == "issued", kind=b.status), order=60))


def register() -> None:
    from .api import outputs as api

    register_permissions()
    register_navigation()
    register_search()
    api.register()
