"""The opinion dashboard and the document lists its charts drill down to (thin: analytics and selectors do the
work). Every chart point carries the URL of the documents behind it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from wenzhi.core.permissions import requires
from wenzhi.core.scoping import scope_for
from wenzhi.media.models import Document
from wenzhi.media.selectors import documents_for

from .analytics import LINK_MODELS, Period, overview, period_of_days
from .charts import chart_context
from .coverage import drill_url
from .events import hot_events
from .facts import entity_name

PERIODS = (1, 7, 30, 90)
SENTIMENT_COLORS = {"positive": "#2e7d32", "neutral": "#9e9e9e", "negative": "#c62828"}


def _sentiment_labels() -> dict[str, str]:
    return {"positive": _("正面"), "neutral": _("中性"), "negative": _("负面")}


def _axis_label(t: str, hourly: bool) -> str:
    return t[11:16] if hourly else t[5:10]


def _volume_chart(figures: dict, period: Period) -> dict:
    labels = [_axis_label(v["t"], period.hourly) for v in figures["volume"]]
    return {"tooltip": {"trigger": "axis"}, "grid": {"left": 40, "right": 12, "top": 20, "bottom": 30},
            "xAxis": {"type": "category", "data": labels}, "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "name": _("信息量"), "itemStyle": {"color": "#b3262d"},
                        "data": [{"value": v["count"], "url": drill_url(start=v["start"], end=v["end"])}
                                 for v in figures["volume"]]}]}


def _sentiment_chart(figures: dict, period: Period) -> dict:
    names = _sentiment_labels()
    rows = figures["sentiment"]
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "grid": {"left": 40, "right": 12, "top": 30, "bottom": 30},
            "xAxis": {"type": "category", "data": [_axis_label(r["t"], period.hourly) for r in rows]},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "line", "stack": "all", "areaStyle": {}, "name": names[s], "symbolSize": 6,
                        "itemStyle": {"color": SENTIMENT_COLORS[s]},
                        "data": [{"value": r[s], "url": drill_url(start=r["start"], end=r["end"], sentiment=s)}
                                 for r in rows]} for s in ("negative", "neutral", "positive")]}


def _bar_chart(items: list[dict], name: str, url) -> dict:
    items = list(reversed(items))
    return {"tooltip": {}, "grid": {"left": 150, "right": 30, "top": 8, "bottom": 20},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "data": [i["label"] for i in items], "axisLabel": {"width": 140,
                                                                                              "overflow": "truncate"}},
            "series": [{"type": "bar", "name": name, "itemStyle": {"color": "#b3262d"},
                        "data": [{"value": i["count"], "url": url(i)} for i in items]}]}


def _events_chart(events) -> dict:
    if not events:
        return {}
    labels = [p["t"][5:16].replace("T", " ") for p in events[0].curve]
    return {"tooltip": {"trigger": "axis"}, "legend": {"type": "scroll", "top": 0},
            "grid": {"left": 40, "right": 12, "top": 34, "bottom": 30},
            "xAxis": {"type": "category", "data": labels}, "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "line", "name": e.title[:16], "smooth": True,
                        "data": [{"value": p["count"], "url": drill_url(ids=",".join(map(str, e.document_ids[:400])))}
                                 for p in e.curve]} for e in events[:5]]}


def _charts(figures: dict, events, period: Period, start: str, end: str) -> dict:
    within = {"start": start, "end": end}
    entity_labels = {"enterprise": _("被提及最多的企业"), "park": _("被提及最多的园区"),
                     "project": _("被提及最多的项目"), "district": _("信息最多的区")}
    charts: dict[str, Any] = {
        "volume": chart_context("watch-volume", _volume_chart(figures, period)),
        "sentiment": chart_context("watch-sentiment", _sentiment_chart(figures, period)),
        "keywords": chart_context("watch-keywords", _bar_chart(
            [{"label": k["word"], **k} for k in figures["keywords"][:15]], _("篇数"),
            lambda i: drill_url(keyword=i["word"], **within))),
        "sources": chart_context("watch-sources", _bar_chart(
            [{"label": s["name"], **s} for s in figures["sources"]], _("篇数"),
            lambda i: drill_url(source=i["id"], **within))),
        "events": chart_context("watch-events", _events_chart(events)) if events else None,
    }
    entities = []
    for kind, label in entity_labels.items():
        rows = figures["entities"][kind]
        entities.append({"title": label, "empty": not rows, "chart": chart_context(
            f"watch-entity-{kind}", _bar_chart([{"label": r["name"], **r} for r in rows], _("篇数"),
                                               lambda i: drill_url(entity=f"{i['kind']}:{i['id']}", **within)))})
    charts["entities"] = entities
    return charts


def _figures(user, days: int) -> tuple[dict, list, Period]:
    """The dashboard's figures for ``user``'s scope, kept for WENZHI_DASHBOARD_CACHE_SECONDS."""
    period = period_of_days(days)
    scope = scope_for(user)
    key = f"media_watch:dash:{scope.kind}:{scope.organisation_id}:{days}"
    cached = cache.get(key) if settings.WENZHI_DASHBOARD_CACHE_SECONDS else None
    if cached is not None:
        return cached
    docs = documents_for(user)
    result = (overview(docs, period), hot_events(docs, period), period)
    if settings.WENZHI_DASHBOARD_CACHE_SECONDS:
        cache.set(key, result, settings.WENZHI_DASHBOARD_CACHE_SECONDS)
    return result


@requires("watch.dashboard")
def dashboard(request):
    """Opinion at a glance for the chosen window: volume, sentiment, keywords, hot events, entities, sources."""
    try:
        days = int(request.GET.get("days", 7))
    except ValueError:
        days = 7
    days = days if days in PERIODS else 7
    figures, events, period = _figures(request.user, days)
    start, end = period.start.isoformat(), period.end.isoformat()
    charts = _charts(figures, events, period, start, end)
    totals = figures["sentiment_totals"]
    context = {
        "days": days, "periods": PERIODS, "figures": figures, "charts": charts, "period": period,
        "events": [{"e": e, "url": drill_url(ids=",".join(map(str, e.document_ids[:400])))} for e in events],
        "negative_share": round(100 * totals["negative"] / figures["total"], 1) if figures["total"] else 0,
        "all_url": drill_url(start=start, end=end), "negative_url": drill_url(start=start, end=end,
                                                                              sentiment="negative"),
    }
    return render(request, "watch/dashboard.html", context)


# The drill-down list ------------------------------------------------------------------------------------------


def _when(value: str) -> dt.datetime | None:
    try:
        parsed = parse_datetime(value.replace(" ", "+")) if value else None
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _entity_filter(qs: QuerySet[Document], value: str, labels: list[str]) -> QuerySet[Document]:
    kind, _sep, pk = value.partition(":")
    pk_int = _int(pk)
    if pk_int is None or kind not in (*LINK_MODELS, "district"):
        return qs.none()
    labels.append(entity_name(kind, pk_int) or value)
    if kind == "district":
        return qs.filter(district_id=pk_int)
    model, column = LINK_MODELS[kind]
    return qs.filter(pk__in=model.objects.filter(**{column: pk_int}).values("document_id"))


def filtered_documents(user, params) -> tuple[QuerySet[Document], list[str]]:
    """The documents a chart point stands for: ``start``/``end`` (ISO times), ``sentiment``, ``keyword``,
    ``entity`` (kind:id), ``source``, ``district``, ``ids`` (a hot event's documents), ``q`` (title words)."""
    qs, labels = documents_for(user), []
    start, end = _when(params.get("start", "")), _when(params.get("end", ""))
    if start:
        qs = qs.filter(published_at__gte=start)
    if end:
        qs = qs.filter(published_at__lt=end)
    if start or end:
        labels.append(f"{timezone.localtime(start):%Y-%m-%d %H:%M} – " if start else "– ")
        labels[-1] += f"{timezone.localtime(end):%Y-%m-%d %H:%M}" if end else ""
    if params.get("sentiment") in SENTIMENT_COLORS:
        qs = qs.filter(sentiment=params["sentiment"])
        labels.append(_sentiment_labels()[params["sentiment"]])
    if params.get("keyword"):
        qs = qs.filter(keywords__contains=params["keyword"])
        labels.append(params["keyword"])
    if params.get("entity"):
        qs = _entity_filter(qs, params["entity"], labels)
    for key in ("source", "district"):
        if params.get(key):
            pk = _int(params[key])
            qs = qs.filter(**{f"{key}_id": pk}) if pk is not None else qs.none()
    if params.get("ids"):
        ids = [int(i) for i in params["ids"].split(",") if i.strip().isdigit()][:1000]
        qs = qs.filter(pk__in=ids)
        labels.append(_("热点事件"))
    if params.get("q"):
        qs = qs.filter(title__icontains=params["q"][:100])
    return qs, labels


@requires("watch.dashboard")
def documents(request):
    """The documents behind a chart point (or any combination of the dashboard's filters)."""
    qs, labels = filtered_documents(request.user, request.GET)
    page = Paginator(qs.select_related("source", "district").order_by("-published_at", "-id"), 50).get_page(
        request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page"}
    return render(request, "watch/documents.html", {
        "page": page, "labels": labels, "querystring": urlencode(params), "total": page.paginator.count,
        "sentiments": _sentiment_labels(), "q": request.GET.get("q", "")})
