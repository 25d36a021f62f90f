"""Alert rules and webhook receivers: created and changed by media editors and the city, validated, audited."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from wenzhi.core.permissions import require

from ..choices import RuleKind
from ..facts import entity_name
from ..models import AlertRule, Webhook

RULE_FIELDS = ("name", "kind", "severity", "is_active", "keywords", "entity_kind", "entity_id", "source",
               "negativity", "negative_only", "district", "window_hours", "baseline_days", "spike_factor",
               "min_count", "email_to")

WEBHOOK_FIELDS = ("name", "url", "secret", "is_active")


def _clean_list(values: Any, field: str) -> list[str]:
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    out = []
    for v in values or []:
        v = str(v).strip()
        if v and v not in out:
            out.append(v)
    if field == "email_to":
        for address in out:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError({"email_to": _("邮件地址“%(a)s”格式不正确。") % {"a": address}}) from None
    return out


def _check_rule(rule: AlertRule) -> None:
    """What each kind needs (keywords, an entity, a source…), named by field."""
    errors: dict[str, str] = {}
    if rule.kind == RuleKind.KEYWORD and not rule.keywords:
        errors["keywords"] = _("关键词规则至少需要一个关键词。")
    if rule.kind == RuleKind.ENTITY and not (rule.entity_kind and rule.entity_id):
        errors["entity_id"] = _("关注对象规则需要选择对象类型并填写对象编号。")
    if rule.kind == RuleKind.SOURCE and rule.source_id is None:
        errors["source"] = _("信息源规则需要选择信息源。")
    if rule.kind == RuleKind.VOLUME_SPIKE and not rule.entity_kind:
        errors["entity_kind"] = _("声量突增规则需要选择对象类型。")
    if rule.entity_kind and rule.entity_id:
        name = entity_name(rule.entity_kind, int(rule.entity_id))
        if not name:
            errors["entity_id"] = _("没有编号为 %(id)s 的%(kind)s。") % {
                "id": rule.entity_id, "kind": rule.get_entity_kind_display()}
        rule.entity_name = name
    else:
        rule.entity_name = ""
    if errors:
        raise ValidationError(errors)


def _apply(rule: AlertRule, data: dict) -> list:
    m2m = []
    for key, value in data.items():
        if key in ("keywords", "email_to"):
            value = _clean_list(value, key)
        if key in ("notify_users", "webhooks"):
            m2m.append((key, value))
            continue
        if key not in RULE_FIELDS:
            raise ValidationError({key: _("不接受此字段。")})
        setattr(rule, key, value)
    return m2m


def _state(obj, fields) -> dict:
    return {f: obj._meta.get_field(f).value_from_object(obj) for f in fields}


def rule_save(*, actor, rule: AlertRule | None = None, data: dict) -> AlertRule:
    """Create (``rule`` None) or change an alert rule from ``data`` (field → value; ``notify_users`` and
    ``webhooks`` as lists of rows)."""
    require(actor, "alert_rule.manage", rule)
    with transaction.atomic(durable=True):
        if rule is None:
            rule = AlertRule(created_by=actor)
        else:
            rule = AlertRule.objects.select_for_update().get(pk=rule.pk)
        before = _state(rule, RULE_FIELDS) if rule.pk else None
        m2m = _apply(rule, data)
        rule.full_clean(exclude=["entity_name"])
        _check_rule(rule)
        m2m_changed = rule.pk is None or any(
            {o.pk for o in rows} != set(getattr(rule, key).values_list("pk", flat=True)) for key, rows in m2m)
        if before is not None and before == _state(rule, RULE_FIELDS) and not m2m_changed:
            return rule  # saved back unchanged: nothing to write
        rule.save()
        for key, rows in m2m:
            getattr(rule, key).set(rows)
    return rule


def webhook_save(*, actor, webhook: Webhook | None = None, data: dict) -> Webhook:
    """Create or change a webhook receiver; a new one gets a random secret unless given one."""
    require(actor, "webhook.manage", webhook)
    with transaction.atomic(durable=True):
        webhook = webhook or Webhook(created_by=actor, secret=secrets.token_hex(24))
        before = _state(webhook, WEBHOOK_FIELDS) if webhook.pk else None
        for key in WEBHOOK_FIELDS:
            if key in data and not (key == "secret" and not data[key]):
                setattr(webhook, key, data[key])
        if not str(webhook.url).startswith(("http://", "https://")):
            raise ValidationError({"url": _("接收地址必须以 http:// 或 https:// 开头。")})
        webhook.full_clean()
        if before is None or before != _state(webhook, WEBHOOK_FIELDS):
            webhook.save()
    return webhook
