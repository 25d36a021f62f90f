"""Hot events: clusters of related documents in a time window, each with a representative title and a growth
curve.

Documents are described by their keywords and title words (TF-IDF, scikit-learn); two documents are related
when the cosine of their vectors reaches ``threshold``, and an event is a connected group of related documents
(scipy's connected components over that graph). Members of one duplicate group are one story: they count in the
event's volume and curve but are vectorised once. The representative is the member closest to all the others
(the medoid); events rank by volume, then by growth (the second half of the window against the first).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from wenzhi.media.models import Document
from wenzhi.nlp.segment import segment

from .analytics import Period, in_period

MAX_STORIES = 3000  # newest stories clustered per window: the page stays quick on a large archive
THRESHOLD = 0.45


@dataclass
class Event:
    """One hot event: its documents, representative title, volume and growth curve."""

    title: str
    representative_id: int
    document_ids: list[int]
    count: int
    first: dt.datetime
    last: dt.datetime
    curve: list[dict] = field(default_factory=list)
    growth: float = 0.0
    keywords: list[str] = field(default_factory=list)


def _stories(qs: QuerySet[Document], period: Period) -> tuple[list[dict], dict[int, list[dict]]]:
    """The window's stories (one row per duplicate group, the first stored) and every member per story."""
    rows: list[dict[str, Any]] = [dict(r) for r in in_period(qs, period).order_by("-published_at", "-id").values(
        "id", "title", "keywords", "published_at", "duplicate_group_id")[:MAX_STORIES * 3]]
    members: dict[int, list[dict[str, Any]]] = defaultdict(list)
    heads: dict[object, dict[str, Any]] = {}
    for row in rows:
        key = row["duplicate_group_id"] or f"d{row['id']}"
        head = heads.setdefault(key, row)
        members[head["id"]].append(row)
    stories = list(heads.values())[:MAX_STORIES]
    return stories, members


def _vectors(stories: list[dict]):
    titles = segment([s["title"] for s in stories])
    texts = [" ".join([*(s["keywords"] or "").split(), *[w for w in words if len(w) > 1]])
             for s, words in zip(stories, titles, strict=True)]
    vectorizer = TfidfVectorizer(tokenizer=str.split, token_pattern=None, lowercase=False, min_df=1,
                                 sublinear_tf=True, max_features=20000)
    return vectorizer.fit_transform(texts), vectorizer


def _curve(period: Period, times: list[dt.datetime]) -> list[dict]:
    buckets = period.buckets()
    counts = [0] * len(buckets)
    for t in times:
        for i in range(len(buckets) - 1, -1, -1):
            if t >= buckets[i]:
                counts[i] += 1
                break
    return [{"t": timezone.localtime(b).isoformat(), "count": c} for b, c in zip(buckets, counts, strict=True)]


def _growth(period: Period, times: list[dt.datetime]) -> float:
    middle = period.start + (period.end - period.start) / 2
    late = sum(1 for t in times if t >= middle)
    early = len(times) - late
    return round(late / max(early, 1), 2)


def hot_events(qs: QuerySet[Document], period: Period, *, limit: int = 10, min_size: int = 2,
               threshold: float = THRESHOLD) -> list[Event]:
    """The window's hot events, biggest first (events of fewer than ``min_size`` documents are left out)."""
    stories, members = _stories(qs, period)
    if not stories:
        return []
    matrix, vectorizer = _vectors(stories)
    similarity = (matrix @ matrix.T).tocsr()
    similarity.data[similarity.data < threshold] = 0
    similarity.eliminate_zeros()
    n, labels = connected_components(similarity, directed=False)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        groups[int(label)].append(index)
    terms = np.array(vectorizer.get_feature_names_out())
    events = []
    for indexes in groups.values():
        docs = [row for i in indexes for row in members[stories[i]["id"]]]
        if len(docs) < min_size:
            continue
        events.append(_event(period, stories, indexes, docs, matrix, terms))
    events.sort(key=lambda e: (-e.count, -e.growth, -e.last.timestamp()))
    return events[:limit]


def _event(period: Period, stories, indexes, docs, matrix, terms) -> Event:
    sub = matrix[indexes]
    centrality = np.asarray((sub @ sub.T).sum(axis=1)).ravel()
    head = stories[indexes[int(centrality.argmax())]]
    weights = np.asarray(sub.sum(axis=0)).ravel()
    top = [str(terms[i]) for i in weights.argsort()[::-1][:5] if weights[i] > 0]
    times = [d["published_at"] for d in docs]
    return Event(title=head["title"], representative_id=head["id"], document_ids=sorted(d["id"] for d in docs),
                 count=len(docs), first=min(times), last=max(times), curve=_curve(period, times),
                 growth=_growth(period, times), keywords=top)
