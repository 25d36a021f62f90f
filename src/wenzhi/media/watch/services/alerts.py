"""Raising alerts from stored documents, and every step of their handling.

``alerts_evaluate`` is what the ``documents_stored`` signal leads to (through a task): the batch's facts, the
active rules, the rule engine's matches; each match either joins the open alert with the same key or raises a
new one, which notifies in the app at once and queues its e-mails and webhook posts (sent by a task after the
commit). ``alert_step`` takes one declared step of the handling table (``workflows.py``), timed and audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenzhi.core.choices import Level, Role
from wenzhi.core.models import Organisation
from wenzhi.core.permissions import require

from ..choices import AlertState, Channel, RuleKind
from ..facts import DocumentVolume, document_facts, entity_name
from ..models import Alert, AlertDocument, AlertRule, AlertStep, Delivery, Notification
from ..rules import DocFacts, Match, RuleSpec, evaluate
from ..workflows import ALERT_STEPS, Step

User = get_user_model()


def rule_spec(rule: AlertRule) -> RuleSpec:
    """The engine's view of a rule row."""
    entity = (rule.entity_kind, int(rule.entity_id)) if rule.entity_kind and rule.entity_id else None
    return RuleSpec(id=rule.pk, kind=rule.kind, keywords=tuple(rule.keywords or ()), entity=entity,
                    entity_kind=rule.entity_kind, source_id=rule.source_id, negativity=rule.negativity,
                    negative_only=rule.negative_only, district_id=rule.district_id, window_hours=rule.window_hours,
                    baseline_days=rule.baseline_days, spike_factor=rule.spike_factor, min_count=rule.min_count)


def alerts_evaluate(*, document_ids: Sequence[int], now: dt.datetime | None = None) -> list[Alert]:
    """Match a batch of stored documents against every active rule; return the alerts raised (not those joined).

    Each match is written in its own short transaction, so one broken match never loses the others."""
    now = now or timezone.now()
    rules = {r.pk: r for r in AlertRule.objects.filter(is_active=True)}
    if not rules or not document_ids:
        return []
    facts = document_facts(document_ids)
    matches = evaluate([rule_spec(r) for r in rules.values()], facts, DocumentVolume(), now)
    raised = []
    for match in matches:
        alert = _raise_or_join(rules[match.rule_id], match, now)
        if alert is not None:
            raised.append(alert)
    return raised


def _reason_text(rule: AlertRule, match: Match) -> str:
    """The Chinese sentence saying why the alert was raised (stored with it, as the record of the moment)."""
    reason = match.reason
    if rule.kind == RuleKind.KEYWORD:
        return f"命中关键词：{'、'.join(reason['words'])}"
    if rule.kind == RuleKind.ENTITY:
        name = rule.entity_name or (entity_name(*match.entity) if match.entity else "")
        return f"提及关注对象：{name}"
    if rule.kind == RuleKind.SENTIMENT:
        return f"负面情感概率 {reason['negativity']:.2f}（阈值 {rule.negativity:.2f}）"
    if rule.kind == RuleKind.SOURCE:
        return f"来自信息源：{rule.source.name if rule.source else ''}"
    return (f"{rule.window_hours} 小时内 {reason['current']} 篇，基线平均 {reason['baseline_mean']:.1f} 篇，"
            f"阈值 {reason['threshold']:.1f} 篇")


def _title(rule: AlertRule, match: Match) -> str:
    if rule.kind == RuleKind.VOLUME_SPIKE and match.entity:
        return f"{entity_name(*match.entity)}声量突增"[:300]
    return match.documents[0].title[:300]


def _link(alert: Alert, docs: Iterable[DocFacts], now: dt.datetime) -> int:
    """Attach documents to the alert (once each); returns how many were new."""
    known = set(AlertDocument.objects.filter(alert=alert).values_list("document_id", flat=True))
    new = [AlertDocument(alert=alert, document_id=d.id, arrived_at=d.arrived_at, matched_at=now)
           for d in docs if d.id not in known]
    AlertDocument.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _raise_or_join(rule: AlertRule, match: Match, now: dt.datetime) -> Alert | None:
    with transaction.atomic():
        open_alert = (Alert.objects.select_for_update().filter(rule=rule, key=match.key)
                      .exclude(state=AlertState.CLOSED).order_by("-raised_at").first())
        if open_alert is not None:
            added = _link(open_alert, match.documents, now)
            if added:
                Alert.objects.filter(pk=open_alert.pk).update(document_count=open_alert.document_count + added)
            return None
        alert = Alert.objects.create(
            rule=rule, key=match.key, title=_title(rule, match), reason=_reason_text(rule, match)[:500],
            severity=rule.severity, district_id=match.district_id or rule.district_id,
            entity_kind=match.entity[0] if match.entity else "", entity_id=match.entity[1] if match.entity else None,
            evidence={**match.evidence, **match.reason}, first_arrived_at=min(d.arrived_at for d in match.documents),
            raised_at=now)
        alert.document_count = _link(alert, match.documents, now)
        alert.save(update_fields=["document_count"])
        AlertStep.objects.create(alert=alert, transition="raise", from_state="", to_state=AlertState.NEW, at=now,
                                 comment=alert.reason)
        _notify_raised(alert, rule)
    return alert


def default_recipients(alert: Alert) -> list:
    """Who hears of an alert when its rule names nobody: media editors, and the officers of its district."""
    out = []
    for user in User.objects.filter(is_active=True).select_related("organisation"):
        if user.has_role(Role.MEDIA_EDITOR):
            out.append(user)
        elif alert.district_id and user.has_role(Role.DISTRICT_OFFICER) \
                and user.organisation_id == alert.district_id:
            out.append(user)
    return out


def alert_payload(alert: Alert) -> dict:
    """What webhooks receive about an alert (and what the API shows): plain JSON."""
    return {"alert": {"id": alert.pk, "title": alert.title, "reason": alert.reason, "severity": alert.severity,
                      "state": alert.state, "district": alert.district_id, "rule": alert.rule_id,
                      "entity": [alert.entity_kind, alert.entity_id] if alert.entity_kind else None,
                      "documents": alert.document_count, "raised_at": alert.raised_at.isoformat(),
                      "response": alert.response}}


def _queue(alert: Alert, rule: AlertRule, event: str, subject: str, body: str) -> None:
    rows = [Delivery(channel=Channel.EMAIL, alert=alert, target=address, event=event,
                     payload={"subject": subject, "body": body}) for address in rule.email_to or []]
    payload = alert_payload(alert)
    rows += [Delivery(channel=Channel.WEBHOOK, alert=alert, webhook=w, target=w.url, event=event, payload=payload)
             for w in rule.webhooks.filter(is_active=True)]
    created = Delivery.objects.bulk_create(rows)
    ids = [d.pk for d in created if d.pk]
    if not ids:  # backends that do not return ids from bulk inserts
        ids = list(Delivery.objects.filter(alert=alert, event=event, attempts=0).values_list("pk", flat=True))
    if ids:
        from ..tasks import deliveries_send_task

        transaction.on_commit(lambda: deliveries_send_task.enqueue(ids))


def _notify_raised(alert: Alert, rule: AlertRule) -> None:
    users = list(rule.notify_users.filter(is_active=True)) or default_recipients(alert)
    text = f"【{alert.get_severity_display()}】{alert.title}"[:300]
    Notification.objects.bulk_create([Notification(user=u, alert=alert, text=text) for u in users])
    body = f"{alert.title}\n{alert.reason}\n预警时间：{timezone.localtime(alert.raised_at):%Y-%m-%d %H:%M}"
    _queue(alert, rule, "alert.raised", f"舆情预警：{alert.title}"[:200], body)


# Handling --------------------------------------------------------------------------------------------------


def _check_assign(alert: Alert, unit: Organisation | None, assignee) -> Organisation:
    if assignee is not None and unit is None:
        unit = assignee.organisation
    if unit is None or unit.level not in (Level.CITY, Level.DISTRICT):
        raise ValidationError({"unit": _("请选择承办单位（市级或区级）。")})
    if assignee is not None and assignee.organisation_id != unit.pk:
        raise ValidationError({"assignee": _("承办人不属于所选承办单位。")})
    return unit


def _check_text(step: Step, comment: str, response: str) -> None:
    if step.key == "answer" and len(response.strip()) < 5:
        raise ValidationError({"response": _("请填写官方回应内容（至少 5 个字）。")})
    if step.key in ("dismiss", "reopen") and not comment.strip():
        raise ValidationError({"comment": _("请说明原因。")})


def alert_step(*, actor, alert: Alert, step: str, comment: str = "", unit: Organisation | None = None,
               assignee=None, response: str = "") -> AlertStep:
    """Take one declared step of ``alert``'s handling as ``actor``: checked against the table and the
    permission table, timed on the alert, audited as an ``AlertStep``, and notified."""
    declared = ALERT_STEPS.get(step)
    if declared is None:
        raise ValidationError({"step": _("没有这个处置步骤。")})
    with transaction.atomic(durable=True):
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        require(actor, declared.action, alert)
        if alert.state not in declared.sources:
            raise ValidationError({"step": _("预警当前状态为“%(state)s”，不能“%(step)s”。") % {
                "state": alert.get_state_display(), "step": declared.label}})
        _check_text(declared, comment, response)
        now = timezone.now()
        fields = ["state"]
        if step == "assign":
            alert.unit = _check_assign(alert, unit, assignee)
            alert.assignee = assignee
            fields += ["unit", "assignee"]
        if step == "answer":
            alert.response = response.strip()
            fields.append("response")
        if step == "reopen":
            alert.closed_at = None
            fields.append("closed_at")
        if declared.stamp:
            setattr(alert, declared.stamp, now)
            fields.append(declared.stamp)
        record = AlertStep.objects.create(alert=alert, transition=step, from_state=alert.state,
                                          to_state=declared.target, actor=actor, at=now,
                                          comment=(response if step == "answer" else comment).strip())
        alert.state = declared.target
        alert.save(update_fields=fields)
        _notify_step(alert, declared, actor)
    return record


def _notify_step(alert: Alert, step: Step, actor) -> None:
    text = f"{alert.title}：{step.label}"[:300]
    if step.key == "assign":
        users = [alert.assignee] if alert.assignee else [
            u for u in User.objects.filter(organisation=alert.unit, is_active=True)
            if u.has_role(Role.DISTRICT_OFFICER, Role.CITY_ADMIN, Role.MEDIA_EDITOR)]
        Notification.objects.bulk_create([Notification(user=u, alert=alert, text=str(text)) for u in users])
    elif step.key == "answer":
        assigner = alert.steps.filter(transition="assign").exclude(actor=None).order_by("-at").first()
        if assigner and assigner.actor_id is not None and assigner.actor_id != getattr(actor, "pk", None):
            Notification.objects.create(user_id=assigner.actor_id, alert=alert, text=str(text))
    body = f"{alert.title}\n{step.label}\n{alert.response}" if step.key == "answer" else f"{alert.title}\n{step.label}"
    _queue_webhooks_only(alert, f"alert.{step.key}", body)


def _queue_webhooks_only(alert: Alert, event: str, body: str) -> None:
    """Later steps go to the rule's webhooks (partners follow the handling); e-mail is for raising only."""
    rule = alert.rule
    payload = alert_payload(alert)
    rows = [Delivery(channel=Channel.WEBHOOK, alert=alert, webhook=w, target=w.url, event=event, payload=payload)
            for w in rule.webhooks.filter(is_active=True)]
    if rows:
        Delivery.objects.bulk_create(rows)
        ids = list(Delivery.objects.filter(alert=alert, event=event, attempts=0).values_list("pk", flat=True))
        from ..tasks import deliveries_send_task

        transaction.on_commit(lambda: deliveries_send_task.enqueue(ids))


def notifications_read(*, user, alert: Alert | None = None) -> int:
    """Mark the user's unread notifications read (those about ``alert`` only, when given); returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if alert is not None:
        qs = qs.filter(alert=alert)
    return qs.update(read_at=timezone.now())
