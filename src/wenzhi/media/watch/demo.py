"""Demo data of opinion monitoring (labelled 演示): standing rules, alerts raised from the demo documents by the
real rule engine, and some of them taken through assignment, acknowledgement, answer and closing, so the media
editor, the city and the district officer each find work waiting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.media.models import Document

from .models import Alert, AlertRule
from .services import alert_step, alerts_evaluate, rule_save
from .services.schedule import ensure_schedules

LABEL = "（演示）"
RULES: list[dict[str, Any]] = [
    {"name": "安全与秩序" + LABEL, "kind": "keyword", "severity": "critical",
     "keywords": ["安全隐患", "事故", "拥堵", "责令整改", "踩踏"]},
    {"name": "服务投诉" + LABEL, "kind": "keyword", "severity": "warning",
     "keywords": ["投诉", "不满", "抱怨", "退票", "排队"], "negative_only": True},
    {"name": "强烈负面" + LABEL, "kind": "sentiment", "severity": "warning", "negativity": 0.9},
    {"name": "区域声量突增" + LABEL, "kind": "volume_spike", "severity": "info", "entity_kind": "district",
     "window_hours": 24, "baseline_days": 14, "spike_factor": 3, "min_count": 5},
]


def _rules(actor) -> list[AlertRule]:
    out = []
    for spec in RULES:
        rule = AlertRule.objects.filter(name=spec["name"]).first()
        out.append(rule or rule_save(actor=actor, data=dict(spec)))
    return out


def _handle(editor, officer) -> int:
    """Take a few of the district's alerts through the handling table (the rest stay new for the editor)."""
    if officer is None or officer.organisation is None:
        return 0
    alerts = list(Alert.objects.filter(state="new", district=officer.organisation).order_by("raised_at")[:3])
    steps = 0
    for index, alert in enumerate(alerts):
        alert_step(actor=editor, alert=alert, step="assign", unit=officer.organisation, assignee=officer,
                   comment="请核实情况并答复" + LABEL)
        steps += 1
        if index == 0:
            continue  # waits for the district officer to acknowledge
        alert_step(actor=officer, alert=alert, step="acknowledge")
        alert_step(actor=officer, alert=alert, step="answer",
                   response="经核实，相关单位已整改到位，并已向公众说明情况。" + LABEL)
        steps += 2
        if index == 2:
            alert_step(actor=editor, alert=alert, step="close", comment="答复已发布" + LABEL)
            steps += 1
    return steps


def generate(*, scale: float, stdout) -> dict:
    User = get_user_model()
    editor = User.objects.filter(username="editor").first() or User.objects.filter(
        is_superuser=True).first()
    officer = User.objects.filter(username="district", organisation__level=Level.DISTRICT).first()
    if editor is None:
        return {"rules": 0}
    ensure_schedules()
    rules = _rules(editor)
    since = timezone.now() - dt.timedelta(days=7)
    ids = list(Document.objects.filter(fetched_at__gte=since).order_by("id").values_list("id", flat=True)
               [:max(500, int(3000 * scale))])
    raised = 0
    for start in range(0, len(ids), 500):
        raised += len(alerts_evaluate(document_ids=ids[start:start + 500]))
    steps = _handle(editor, officer)
    stdout.write(f"  opinion alerts: {len(rules)} rules, {raised} alerts raised, {steps} handling steps\n")
    return {"rules": len(rules), "alerts": raised, "steps": steps,
            "districts": Organisation.objects.filter(level=Level.DISTRICT).count()}
