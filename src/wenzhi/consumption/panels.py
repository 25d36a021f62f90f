"""Culture consumption's navigation entries and dashboard panels, registered with core in ``ready()``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks, panels

from . import selectors
from .choices import OrderStatus


def _my_tickets(request):
    """The buyer's coming paid orders and any order still waiting for payment."""
    orders = selectors.orders_for(user=request.user).filter(
        status__in=[OrderStatus.PAID, OrderStatus.PENDING], session__starts_at__gt=timezone.now())[:6]
    rows = [panels.Item(title=str(o.session), url=reverse("consumption:order_detail", args=[o.pk]),
                        tag=o.get_status_display(), note=o.session.hall.venue.name) for o in orders]
    return panels.items(rows, empty=gettext("暂无待看的演出或电影。"), more_label=gettext("去选座购票"),
                        more_url=reverse("consumption:listing"))


def _box_office(request):
    """Coming sessions of the venues the user keeps or reads, with tickets sold and seats left."""
    sessions = selectors.sessions_for(user=request.user).filter(starts_at__gt=timezone.now()).order_by("starts_at")[:6]
    rows = []
    for s in sessions:
        figures = selectors.box_office(session=s)
        rows.append(panels.Item(title=str(s), url=reverse("consumption:session_office", args=[s.pk]),
                                note=gettext("已售 %(sold)d，余 %(left)d") % figures))
    return panels.items(rows, empty=gettext("暂无即将开始的场次。"), more_label=gettext("场馆与场次"),
                        more_url=reverse("consumption:manage"))


def register() -> None:
    hooks.nav(hooks.NavEntry(key="consumption", label=_("演出与电影"), url_name="consumption:listing",
                             action="consumption.browse", order=70))
    hooks.nav(hooks.NavEntry(key="consumption_orders", label=_("我的订单"), url_name="consumption:order_list",
                             action="consumption.buy", order=71))
    hooks.nav(hooks.NavEntry(key="consumption_manage", label=_("场馆票务"), url_name="consumption:manage",
                             action="consumption.venue_view", order=72))
    hooks.dashboard_panel(hooks.DashboardPanel(
        key="consumption-tickets", title=_("我的演出票"), template="core/panels/items.html", render=_my_tickets,
        order=70, width=6, action="consumption.buy"))
    hooks.dashboard_panel(hooks.DashboardPanel(
        key="consumption-box-office", title=_("场馆票房"), template="core/panels/items.html", render=_box_office,
        order=71, width=6, action="consumption.venue_view"))
