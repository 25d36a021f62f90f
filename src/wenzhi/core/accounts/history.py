"""An account's change history in human terms: role labels, organisation names, 有效/已停用, in the page's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from ..choices import Role
from ..models import AccountEvent, User


def _field_label(field: str) -> str:
    return {"display_name": gettext("姓名"), "email": gettext("电子邮箱"), "organisation": gettext("所属组织"),
            "roles": gettext("角色"), "is_active": gettext("状态")}.get(field, field)


def _value_text(field: str, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if field == "roles":
        labels = dict(Role.choices)
        return "、".join(str(labels.get(code, code)) for code in value)
    if field == "organisation":
        return value.get("name", "") if isinstance(value, dict) else str(value)
    if field == "is_active":
        return gettext("有效") if value else gettext("已停用")
    return str(value)


def rows(user: User, limit: int = 100) -> list[dict[str, Any]]:
    """The account's audited events, newest first, shaped like ``core/includes/history.html`` expects."""
    events = AccountEvent.objects.filter(user=user).select_related("actor")[:limit]
    return [{
        "when": e.at, "who": e.actor, "type": e.get_kind_display(), "reason": e.reason,
        "changes": [{"field": _field_label(c.get("field", "")), "old": _value_text(c.get("field", ""), c.get("old")),
                     "new": _value_text(c.get("field", ""), c.get("new"))} for c in e.changes],
    } for e in events]
