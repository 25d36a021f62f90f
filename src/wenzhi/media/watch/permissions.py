"""Opinion monitoring's rows in the platform permission table, declared once.

Scope: media editors and the city administrator handle every alert city-wide (rules, webhooks, assignment,
closing, reports); a district officer sees the alerts of their district (or assigned to it) and acknowledges and
answers them; every official who may read a registry entity sees its coverage tab.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role
from wenzhi.core.permissions import CITY, REGISTRY_READERS, anywhere, declare
from wenzhi.core.scoping import scope_for

MEDIA = frozenset({Role.MEDIA_EDITOR})
HANDLERS = CITY | MEDIA  # city-wide opinion handling
DISTRICT = frozenset({Role.DISTRICT_OFFICER})
WATCHERS = HANDLERS | DISTRICT

# Who takes each step of an alert's handling (the steps themselves: workflows.py).
STEP_ROLES = {
    "assign": HANDLERS,
    "acknowledge": WATCHERS,
    "answer": WATCHERS,
    "close": HANDLERS,
    "dismiss": HANDLERS,
    "reopen": HANDLERS,
}


def is_handler(user) -> bool:
    """City-wide handling: the city administrator (or superuser) and media editors."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.has_role(*HANDLERS))


def alert_in_scope(user, alert) -> bool:
    """Handlers: every alert; a district officer: alerts about their district or assigned to it."""
    if is_handler(user):
        return True
    scope = scope_for(user)
    if scope.kind != "district":
        return False
    return scope.organisation_id in (alert.district_id, alert.unit_id)


def own_notification(user, notification) -> bool:
    return notification.user_id == user.pk


def register() -> None:
    from .workflows import ALERT_STEPS

    declare("watch.dashboard", label=_("查看舆情态势"), roles=WATCHERS)
    declare("alert.view", label=_("查看舆情预警"), roles=WATCHERS, object_check=alert_in_scope)
    for key, step in ALERT_STEPS.items():
        declare(step.action, label=step.label, roles=STEP_ROLES[key], object_check=alert_in_scope)
    declare("alert.step", label=_("预警处置"), roles=WATCHERS, object_check=alert_in_scope)
    declare("alert.figures", label=_("查看处置时效"), roles=WATCHERS)
    declare("alert_rule.view", label=_("查看预警规则"), roles=HANDLERS, object_check=anywhere)
    declare("alert_rule.manage", label=_("管理预警规则"), roles=HANDLERS, object_check=anywhere)
    declare("webhook.manage", label=_("管理 Webhook 推送"), roles=HANDLERS, object_check=anywhere)
    declare("notification.view", label=_("查看站内通知"), roles=WATCHERS, object_check=own_notification)
    declare("opinion_report.view", label=_("查看舆情报告"), roles=WATCHERS, object_check=anywhere)
    declare("opinion_report.make", label=_("生成舆情报告"), roles=HANDLERS, object_check=anywhere)
    declare("coverage.view", label=_("查看媒体报道"), roles=REGISTRY_READERS | MEDIA, object_check=anywhere)
