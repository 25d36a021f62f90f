"""Reads of opinion monitoring, scoped by the caller: alerts (handlers all, a district officer their
district's), notifications (one's own), rules, reports, and the response-time figures per unit."""

from __future__ import annotations

import statistics
from collections import defaultdict

from django.db.models import Q, QuerySet

from wenzhi.core.permissions import can
from wenzhi.core.scoping import scope_for

from .models import Alert, AlertRule, Notification, OpinionReport
from .permissions import is_handler


def alerts_for(user) -> QuerySet[Alert]:
    """The alerts ``user`` may see: every one for handlers, their district's (or assigned to it) for a district
    officer, none for others."""
    qs = Alert.objects.select_related("rule", "district", "unit", "assignee")
    if not can(user, "alert.view"):
        return qs.none()
    if is_handler(user):
        return qs
    scope = scope_for(user)
    if scope.kind == "district":
        return qs.filter(Q(district_id=scope.organisation_id) | Q(unit_id=scope.organisation_id))
    return qs.none()


def notifications_for(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("alert")


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def rules_for(user) -> QuerySet[AlertRule]:
    return AlertRule.objects.select_related("district", "source") if can(user, "alert_rule.view") \
        else AlertRule.objects.none()


def reports_for(user) -> QuerySet[OpinionReport]:
    return OpinionReport.objects.all() if can(user, "opinion_report.view") else OpinionReport.objects.none()


def _minutes(a, b) -> float | None:
    return (b - a).total_seconds() / 60 if a and b else None


def _summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "median": None, "mean": None, "max": None}
    return {"n": len(values), "median": round(statistics.median(values), 1),
            "mean": round(statistics.fmean(values), 1), "max": round(max(values), 1)}


def response_figures(user) -> list[dict]:
    """Per unit (the organisation an alert was assigned to): alerts, still open, and minutes from raising to
    acknowledgement, to the official answer and to closing (median, mean, longest)."""
    rows: dict[int | None, dict] = defaultdict(lambda: {"ack": [], "answer": [], "close": [], "total": 0, "open": 0})
    names: dict[int | None, str] = {}
    for alert in alerts_for(user).exclude(unit=None):
        row = rows[alert.unit_id]
        names[alert.unit_id] = alert.unit.name if alert.unit else ""
        row["total"] += 1
        row["open"] += alert.is_open
        for key, end in (("ack", alert.acknowledged_at), ("answer", alert.answered_at), ("close", alert.closed_at)):
            minutes = _minutes(alert.raised_at, end)
            if minutes is not None:
                row[key].append(minutes)
    out = [{"unit_id": uid, "unit": names[uid], "total": r["total"], "open": r["open"],
            "ack": _summary(r["ack"]), "answer": _summary(r["answer"]), "close": _summary(r["close"])}
           for uid, r in rows.items()]
    return sorted(out, key=lambda r: (-r["total"], r["unit"]))
