"""Opinion figures over a set of documents (already scoped by ``documents_for``): volume and sentiment over
time, top keywords, most-mentioned entities and districts, sources, and hot events.

Every figure comes with the filter that reproduces its documents (``drill``), so each chart point opens the
list of exactly the documents behind it (``views.documents``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from wenzhi.media.models import Document, DocumentEnterprise, DocumentPark, DocumentProject

from .facts import entity_names

KEYWORD_SAMPLE = 20000  # newest documents whose keywords are counted (the figure is a ranking, not a total)


@dataclass(frozen=True)
class Period:
    """A time window [start, end) and the bucket its curves use (an hour for up to three days, else a day)."""

    start: dt.datetime
    end: dt.datetime

    @property
    def hourly(self) -> bool:
        return self.end - self.start <= dt.timedelta(days=3)

    def buckets(self) -> list[dt.datetime]:
        step = dt.timedelta(hours=1) if self.hourly else dt.timedelta(days=1)
        local = timezone.localtime(self.start)
        first = local.replace(minute=0, second=0, microsecond=0)
        if not self.hourly:
            first = first.replace(hour=0)
        out = []
        t = first
        while t < self.end:
            out.append(t)
            t = timezone.localtime(t + step)
        return out

    def bucket_end(self, start: dt.datetime) -> dt.datetime:
        return start + (dt.timedelta(hours=1) if self.hourly else dt.timedelta(days=1))


def period_of_days(days: int, now: dt.datetime | None = None) -> Period:
    now = now or timezone.now()
    return Period(now - dt.timedelta(days=days), now)


def in_period(qs: QuerySet[Document], period: Period) -> QuerySet[Document]:
    return qs.filter(published_at__gte=period.start, published_at__lt=period.end)


def _trunc(period: Period):
    tz = timezone.get_current_timezone()
    return TruncHour("published_at", tzinfo=tz) if period.hourly else TruncDay("published_at", tzinfo=tz)


def _key(t: dt.datetime) -> str:
    return timezone.localtime(t).isoformat()


def volume_series(qs: QuerySet[Document], period: Period) -> list[dict]:
    """Documents per bucket: ``{"t", "count", "start", "end"}`` (start/end bound the drill-down)."""
    counts = {_key(row["t"]): row["n"] for row in in_period(qs, period).annotate(t=_trunc(period))
              .values("t").annotate(n=Count("id")).order_by()}
    return [{"t": _key(b), "count": counts.get(_key(b), 0), "start": b.isoformat(),
             "end": period.bucket_end(b).isoformat()} for b in period.buckets()]


def sentiment_series(qs: QuerySet[Document], period: Period) -> list[dict]:
    """Per bucket, documents by sentiment label (positive, neutral, negative)."""
    cells: dict[tuple[str, str], int] = {}
    for row in in_period(qs, period).annotate(t=_trunc(period)).values("t", "sentiment").annotate(
            n=Count("id")).order_by():
        cells[(_key(row["t"]), row["sentiment"] or "neutral")] = row["n"]
    return [{"t": _key(b), "start": b.isoformat(), "end": period.bucket_end(b).isoformat(),
             **{s: cells.get((_key(b), s), 0) for s in ("positive", "neutral", "negative")}}
            for b in period.buckets()]


def sentiment_totals(qs: QuerySet[Document], period: Period) -> dict[str, int]:
    out = {"positive": 0, "neutral": 0, "negative": 0}
    for row in in_period(qs, period).values("sentiment").annotate(n=Count("id")).order_by():
        out[row["sentiment"] or "neutral"] = out.get(row["sentiment"] or "neutral", 0) + row["n"]
    return out


def top_keywords(qs: QuerySet[Document], period: Period, n: int = 20) -> list[dict]:
    """The most frequent keywords of the period's (newest ``KEYWORD_SAMPLE``) documents."""
    counter: Counter[str] = Counter()
    rows = in_period(qs, period).order_by("-published_at").values_list("keywords", flat=True)[:KEYWORD_SAMPLE]
    for keywords in rows:
        counter.update(set((keywords or "").split()))
    return [{"word": w, "count": c} for w, c in counter.most_common(n)]


LINK_MODELS: dict[str, tuple[Any, str]] = {"enterprise": (DocumentEnterprise, "enterprise_id"), "park": (DocumentPark, "park_id"),
               "project": (DocumentProject, "project_id")}


def top_entities(qs: QuerySet[Document], period: Period, kind: str, n: int = 10) -> list[dict]:
    """The most-mentioned enterprises, parks or projects (or districts) of the period, with their names."""
    docs = in_period(qs, period)
    if kind == "district":
        rows = list(docs.exclude(district=None).values("district_id").annotate(n=Count("id"))
                    .order_by("-n", "district_id")[:n])
        pairs = [(r["district_id"], r["n"]) for r in rows]
    else:
        model, column = LINK_MODELS[kind]
        links: list[dict[str, Any]] = list(model.objects.filter(document__in=docs).values(column).annotate(
            n=Count("document_id")).order_by("-n", column)[:n])
        pairs = [(r[column], r["n"]) for r in links]
    names = entity_names((kind, pk) for pk, _n in pairs)
    return [{"kind": kind, "id": pk, "name": names.get((kind, pk), str(pk)), "count": c} for pk, c in pairs]


def top_sources(qs: QuerySet[Document], period: Period, n: int = 10) -> list[dict]:
    rows = in_period(qs, period).values("source_id", "source__name").annotate(n=Count("id")).order_by("-n")[:n]
    return [{"id": r["source_id"], "name": r["source__name"], "count": r["n"]} for r in rows]


def overview(qs: QuerySet[Document], period: Period) -> dict:
    """Every dashboard figure for ``period`` (hot events apart: ``events.hot_events``)."""
    return {
        "volume": volume_series(qs, period),
        "sentiment": sentiment_series(qs, period),
        "sentiment_totals": sentiment_totals(qs, period),
        "keywords": top_keywords(qs, period),
        "entities": {k: top_entities(qs, period, k) for k in ("enterprise", "park", "project", "district")},
        "sources": top_sources(qs, period),
        "total": in_period(qs, period).count(),
    }
