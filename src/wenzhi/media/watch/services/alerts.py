"""Raising alerts from stored documents, and every step of their handling.

``alerts_evaluate`` is what the ``documents_stored`` signal leads to (through a task): the batch's facts, the
active rules, the rule engine's matches; each match either joins the open alert with the same key or raises a
new one, which notifies in the app at once and queues its e-mails and webhook posts (sent by a task after the
commit). A batch is written with a fixed number of queries (recipients read once, rows inserted in bulk), not a
few per match: a batch of news often matches dozens of times. ``alert_step`` takes one declared step of the handling table (``workflows.py``), timed and audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Case, F, PositiveIntegerField, Prefetch, Value, When, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from wenzhi.core.choices import Level, Role
from wenzhi.core.models import Organisation
from wenzhi.core.permissions import require

from ..choices import AlertState, Channel, RuleKind
from ..facts import DocumentVolume, document_facts, entity_names, id_set
from ..models import Alert, AlertDocument, AlertRule, AlertStep, Delivery, Notification, Webhook
from ..rules import DocFacts, EntityRef, Match, RuleSpec, evaluate
from ..workflows import ALERT_STEPS, Step

User = get_user_model()
logger = logging.getLogger(__name__)


def rule_spec(rule: AlertRule) -> RuleSpec:
    """The engine's view of a rule row."""
    entity = (rule.entity_kind, int(rule.entity_id)) if rule.entity_kind and rule.entity_id else None
    return RuleSpec(id=rule.pk, kind=rule.kind, keywords=tuple(rule.keywords or ()), entity=entity,
                    entity_kind=rule.entity_kind, source_id=rule.source_id, negativity=rule.negativity,
                    negative_only=rule.negative_only, district_id=rule.district_id, window_hours=rule.window_hours,
                    baseline_days=rule.baseline_days, spike_factor=rule.spike_factor, min_count=rule.min_count)


def alerts_evaluate(*, document_ids: Sequence[int], now: dt.datetime | None = None) -> list[Alert]:
    """Match a batch of stored documents against every active rule; return the alerts raised (not those joined).

    The batch's matches are written together in one short transaction (a few bulk inserts, whatever the number
    of matches); if that fails, each match is written in its own, so one broken match never loses the others
    (the error is raised after the rest are written)."""
    now = now or timezone.now()
    rules = {r.pk: r for r in AlertRule.objects.filter(is_active=True).select_related("source")}
    if not rules or not document_ids:
        return []
    facts = document_facts(document_ids)
    matches = evaluate([rule_spec(r) for r in rules.values()], facts, DocumentVolume(), now)
    if not matches:
        return []
    batch = _Batch(rules, now)
    try:
        return _write(batch, matches)
    except DatabaseError:
        logger.exception("writing %s alert matches together failed; writing them one by one", len(matches))
    raised: list[Alert] = []
    failed: DatabaseError | None = None
    for match in matches:
        try:
            raised += _write(batch, [match])
        except DatabaseError as exc:
            logger.exception("alert match %s failed", match.key)
            failed = exc
    if failed is not None:
        raise failed
    return raised


class _Batch:
    """What every match of one evaluation shares, read once: the rules, their recipients and webhooks, the
    default recipients (media editors; district officers by district) and the names of the entities."""

    def __init__(self, rules: dict[int, AlertRule], now: dt.datetime):
        self.rules, self.now = rules, now
        self._defaults: tuple[list, dict[int, list]] | None = None
        self._prefetched: set[int] = set()

    def prepare(self, matches: Sequence[Match]) -> dict[EntityRef, str]:
        """Load the recipients and webhooks of the rules that raise (once), and the entity names the titles
        and reasons need."""
        rules = [self.rules[pk] for pk in {m.rule_id for m in matches} - self._prefetched]
        prefetch_related_objects(
            rules, Prefetch("notify_users", queryset=User.objects.filter(is_active=True), to_attr="active_users"),
            Prefetch("webhooks", queryset=Webhook.objects.filter(is_active=True), to_attr="active_webhooks"))
        self._prefetched.update(r.pk for r in rules)
        refs = {m.entity for m in matches if m.entity is not None and (
            self.rules[m.rule_id].kind == RuleKind.VOLUME_SPIKE or not self.rules[m.rule_id].entity_name)}
        return entity_names(refs)

    def recipients(self, rule: AlertRule, district_id: int | None) -> list:
        """Who hears of an alert in the app: the rule's users, or (when it names nobody) the defaults."""
        if rule.active_users:  # type: ignore[attr-defined]
            return rule.active_users  # type: ignore[attr-defined]
        if self._defaults is None:
            self._defaults = default_recipients()
        editors, officers = self._defaults
        return editors + (officers.get(district_id, []) if district_id else [])


def default_recipients() -> tuple[list, dict[int, list]]:
    """Who hears of an alert when its rule names nobody: media editors, and the officers of its district (by
    district id; an editor who is also an officer is among the editors only). One read of the users."""
    editors, officers = [], defaultdict(list)
    for user in User.objects.filter(is_active=True).only("pk", "roles", "is_superuser", "organisation_id"):
        if user.has_role(Role.MEDIA_EDITOR):
            editors.append(user)
        elif user.has_role(Role.DISTRICT_OFFICER) and user.organisation_id:
            officers[user.organisation_id].append(user)
    return editors, dict(officers)


def _reason_text(rule: AlertRule, match: Match, names: dict[EntityRef, str]) -> str:
    """The Chinese sentence saying why the alert was raised (stored with it, as the record of the moment)."""
    reason = match.reason
    if rule.kind == RuleKind.KEYWORD:
        return f"命中关键词：{'、'.join(reason['words'])}"
    if rule.kind == RuleKind.ENTITY:
        name = rule.entity_name or (names.get(match.entity, "") if match.entity else "")
        return f"提及关注对象：{name}"
    if rule.kind == RuleKind.SENTIMENT:
        return f"负面情感概率 {reason['negativity']:.2f}（阈值 {rule.negativity:.2f}）"
    if rule.kind == RuleKind.SOURCE:
        return f"来自信息源：{rule.source.name if rule.source else ''}"
    return (f"{rule.window_hours} 小时内 {reason['current']} 篇，基线平均 {reason['baseline_mean']:.1f} 篇，"
            f"阈值 {reason['threshold']:.1f} 篇")


def _title(rule: AlertRule, match: Match, names: dict[EntityRef, str]) -> str:
    if rule.kind == RuleKind.VOLUME_SPIKE and match.entity:
        return f"{names.get(match.entity, '')}声量突增"[:300]
    return match.documents[0].title[:300]


def _write(batch: _Batch, matches: Sequence[Match]) -> list[Alert]:
    """Join each match to the open alert of its rule and key (locked), or raise a new alert for it."""
    with transaction.atomic():
        keys = {(m.rule_id, m.key) for m in matches}
        open_alerts: dict[tuple[int, str], Alert] = {}
        for alert in (Alert.objects.select_for_update().filter(rule_id__in={r for r, _k in keys},
                                                               key__in={k for _r, k in keys})
                      .exclude(state=AlertState.CLOSED).order_by("raised_at", "pk")):
            open_alerts[(alert.rule_id, alert.key)] = alert  # the latest open one of each key wins
        joins: dict[int, list[DocFacts]] = defaultdict(list)
        fresh: dict[tuple[int, str], Match] = {}
        for m in matches:
            joined = open_alerts.get((m.rule_id, m.key))
            if joined is not None:
                joins[joined.pk].extend(m.documents)
            elif (m.rule_id, m.key) in fresh:  # the same key twice in a batch: one alert
                fresh[(m.rule_id, m.key)].documents.extend(m.documents)
            else:
                fresh[(m.rule_id, m.key)] = m
        _join(joins, batch.now)
        return _raise(batch, list(fresh.values()))


def _join(joins: dict[int, list[DocFacts]], now: dt.datetime) -> None:
    """Attach the documents to their open alerts (once each) and count them on the alert."""
    if not joins:
        return
    doc_ids = {d.id for docs in joins.values() for d in docs}
    known = set(AlertDocument.objects.filter(alert_id__in=list(joins), document_id__in=id_set(doc_ids))
                .values_list("alert_id", "document_id"))
    links, added = [], {}
    for alert_id, docs in joins.items():
        new = {d.id: d for d in docs if (alert_id, d.id) not in known}
        links += [AlertDocument(alert_id=alert_id, document_id=d.id, arrived_at=d.arrived_at, matched_at=now)
                  for d in new.values()]
        if new:
            added[alert_id] = len(new)
    AlertDocument.objects.bulk_create(links, ignore_conflicts=True)
    if added:
        Alert.objects.filter(pk__in=list(added)).update(document_count=F("document_count") + Case(
            *[When(pk=pk, then=Value(n)) for pk, n in added.items()], output_field=PositiveIntegerField()))


def _raise(batch: _Batch, matches: Sequence[Match]) -> list[Alert]:
    """New alerts for ``matches``, with their documents, the audited raise step, the in-app notifications and
    the queued e-mails and webhook posts: a bulk insert each."""
    if not matches:
        return []
    names = batch.prepare(matches)
    now = batch.now
    alerts = []
    for m in matches:
        rule = batch.rules[m.rule_id]
        docs = list({d.id: d for d in m.documents}.values())
        alerts.append(Alert(
            rule=rule, key=m.key, title=_title(rule, m, names), reason=_reason_text(rule, m, names)[:500],
            severity=rule.severity, district_id=m.district_id or rule.district_id,
            entity_kind=m.entity[0] if m.entity else "", entity_id=m.entity[1] if m.entity else None,
            evidence={**m.evidence, **m.reason}, first_arrived_at=min(d.arrived_at for d in docs),
            raised_at=now, document_count=len(docs)))
    Alert.objects.bulk_create(alerts)
    AlertDocument.objects.bulk_create(
        [AlertDocument(alert=a, document_id=d.id, arrived_at=d.arrived_at, matched_at=now)
         for a, m in zip(alerts, matches, strict=True) for d in {d.id: d for d in m.documents}.values()],
        ignore_conflicts=True)
    AlertStep.objects.bulk_create([AlertStep(alert=a, transition="raise", from_state="", to_state=AlertState.NEW,
                                             at=now, comment=a.reason) for a in alerts])
    notes, deliveries = [], []
    for alert in alerts:
        rule = alert.rule
        text = f"【{alert.get_severity_display()}】{alert.title}"[:300]
        notes += [Notification(user=u, alert=alert, text=text)
                  for u in batch.recipients(rule, alert.district_id)]
        body = f"{alert.title}\n{alert.reason}\n预警时间：{timezone.localtime(alert.raised_at):%Y-%m-%d %H:%M}"
        deliveries += _deliveries(alert, "alert.raised", rule.email_to or [], rule.active_webhooks,  # type: ignore[attr-defined]
                                  subject=f"舆情预警：{alert.title}"[:200], body=body)
    Notification.objects.bulk_create(notes)
    _send(deliveries)
    return alerts


def alert_payload(alert: Alert) -> dict:
    """What webhooks receive about an alert (and what the API shows): plain JSON."""
    return {"alert": {"id": alert.pk, "title": alert.title, "reason": alert.reason, "severity": alert.severity,
                      "state": alert.state, "district": alert.district_id, "rule": alert.rule_id,
                      "entity": [alert.entity_kind, alert.entity_id] if alert.entity_kind else None,
                      "documents": alert.document_count, "raised_at": alert.raised_at.isoformat(),
                      "response": alert.response}}


def _deliveries(alert: Alert, event: str, emails: Sequence[str], webhooks: Iterable[Webhook], *,
                subject: str = "", body: str = "") -> list[Delivery]:
    """The e-mails (to ``emails``) and webhook posts (to ``webhooks``) about ``alert``, not yet saved."""
    rows = [Delivery(channel=Channel.EMAIL, alert=alert, target=address, event=event,
                     payload={"subject": subject, "body": body}) for address in emails]
    if webhooks:
        payload = alert_payload(alert)
        rows += [Delivery(channel=Channel.WEBHOOK, alert=alert, webhook=w, target=w.url, event=event,
                          payload=payload) for w in webhooks]
    return rows


def _send(rows: list[Delivery]) -> None:
    """Save the deliveries and send them by one task after the commit."""
    if not rows:
        return
    ids = [d.pk for d in Delivery.objects.bulk_create(rows)]
    from ..tasks import deliveries_send_task

    transaction.on_commit(lambda: deliveries_send_task.enqueue(ids))


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
    # Later steps go to the rule's webhooks (partners follow the handling); e-mail is for raising only.
    _send(_deliveries(alert, f"alert.{step.key}", (), alert.rule.webhooks.filter(is_active=True)))


def notifications_read(*, user, alert: Alert | None = None) -> int:
    """Mark the user's unread notifications read (those about ``alert`` only, when given); returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if alert is not None:
        qs = qs.filter(alert=alert)
    return qs.update(read_at=timezone.now())
