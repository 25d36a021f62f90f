"""Fixtures of opinion monitoring's tests: a source and documents written straight into the media tables (the
way the media app's batch writer leaves them: analysed, linked, fetched now)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_background_tick():
    """Alert batches queue the clock's work (reports, retries) once a minute; tests call ``tick`` themselves."""
    from django.core.cache import cache

    from wenzhi.media.watch.services.schedule import TICK_KEY

    cache.set(TICK_KEY, 1, 3600)
    yield
    cache.delete(TICK_KEY)


@pytest.fixture
def source(db):
    from wenzhi.media.models import Source

    return Source.objects.create(name="测试新闻源", kind="rss", url="http://127.0.0.1:9/feed")


@pytest.fixture
def make_doc(source):
    """``make_doc(title, text="", sentiment="neutral", score=0.5, district=None, enterprises=(), ...)``."""
    from wenzhi.media.models import Document, DocumentEnterprise, DocumentPark, DocumentProject

    def make(title: str, text: str = "", *, sentiment: str = "neutral", score: float = 0.5, district=None,
             enterprises=(), parks=(), projects=(), group=None, published_at=None, keywords: str = "",
             src=None, fetched_at=None):
        n = next(_counter)
        now = timezone.now()
        doc = Document.objects.create(
            source=src or source, external_id=f"t{n}", url=f"http://example.test/{n}", title=title, text=text,
            clean_text=text, published_at=published_at or now, fetched_at=fetched_at or now, analysed_at=now,
            keywords=keywords, sentiment=sentiment, sentiment_score=score, district=district,
            duplicate_group=group)
        for e in enterprises:
            DocumentEnterprise.objects.create(document=doc, enterprise=e)
        for p in parks:
            DocumentPark.objects.create(document=doc, park=p)
        for p in projects:
            DocumentProject.objects.create(document=doc, project=p)
        return doc

    return make


@pytest.fixture
def hours_ago():
    def at(h: float) -> dt.datetime:
        return timezone.now() - dt.timedelta(hours=h)

    return at
