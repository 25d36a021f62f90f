"""Core's own dashboard panels: organisations and accounts."""

import json

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from . import hooks
from .choices import Level, Role
from .models import Organisation, User
from .scoping import organisation_q


def _organisations(request):
    qs = Organisation.objects.filter(organisation_q(request.user), is_active=True)
    counts = dict(qs.values_list("level").annotate(n=Count("id")))
    labels = dict(Level.choices)
    return {"figures": [{"label": str(labels[lv]), "value": counts.get(lv, 0)}
                        for lv in (Level.DISTRICT, Level.PARK, Level.ENTERPRISE)]}


def _accounts(request):
    counts: dict[str, int] = {}
    for roles in User.objects.filter(is_active=True).values_list("roles", flat=True):
        for r in roles or []:
            counts[r] = counts.get(r, 0) + 1
    labels = dict(Role.choices)
    data = [{"name": str(labels.get(r, r)), "value": n} for r, n in counts.items()]
    option = {
        "tooltip": {"trigger": "item"},
        "series": [{"type": "pie", "radius": ["40%", "70%"], "data": data,
                    "label": {"formatter": "{b}: {c}"}}],
    }
    return {"chart_id": "chart-accounts", "option": json.dumps(option, ensure_ascii=False)}


def register() -> None:
    hooks.dashboard_panel(hooks.DashboardPanel("organisations", _("组织机构"), "core/panels/figures.html",
                                               _organisations, order=90, width=6, action="organisation.view"))
    hooks.dashboard_panel(hooks.DashboardPanel("accounts", _("用户与角色"), "core/panels/chart.html",
                                               _accounts, action="dashboard.accounts", order=95, width=6))
