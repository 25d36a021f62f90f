"""Documents in core's full-text index (type ``document``) and the date-filtered document search.

Each document is one entry: title and clean text segmented by rjieba (search mode), placed in its district (so a
district officer's search reaches only their district's documents), with the sector as facet, the month
(``YYYYMM``) as ``kind`` and the day (``YYYYMMDD``) as ``category``: a date range becomes a handful of key tokens
inside the one full-text query (whole months, then the days of the partial months at either end), so the engine
intersects it with the words instead of checking dates row by row.

Ingestion writes the entries itself, in the batch's transaction, from words it has already cut
(:func:`entry_rows`); ``wenzhi search rebuild`` and single saves go through core with :func:`document_entry`,
which gives the same entry.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenzhi.core import search
from wenzhi.core.search import Document as SearchDocument
from wenzhi.core.search import SearchType
from wenzhi.core.search import text as search_text
from wenzhi.core.search.models import SearchEntry
from wenzhi.core.search.service import FILTER_PREFIXES, scope_token

from .models import Document

TYPE = "document"
SNIPPET = 160
# Ranked searches score only the newest RANK_NEWEST matches (those indexed last: ingestion indexes documents as
# they arrive). Over a million documents a common pair of words within a month matches thousands.
RANK_NEWEST = 1000


def _day(doc: Document) -> str:
    return doc.published_at.astimezone(UTC).strftime("%Y%m%d")


def document_entry(doc: Document) -> SearchDocument:
    """What a document contributes to the index (for core's indexing of single saves and rebuilds)."""
    day = _day(doc)
    return SearchDocument(
        title=doc.title, text=doc.clean_text, snippet=doc.clean_text[:SNIPPET], district_id=doc.district_id,
        sector=doc.sector, category=day, kind=day[:6], year=int(day[:4]))


def _keys(doc: SearchDocument) -> str:
    keys = [search_text.key("t", TYPE)]
    keys += [search_text.key(p, getattr(doc, n if n in ("sector", "category", "kind", "year") else f"{n}_id"))
             for n, p in FILTER_PREFIXES.items()]
    if doc.district_id is not None:
        keys.append(scope_token(TYPE, "d", doc.district_id))
    return " ".join(k for k in keys if k)


# The columns of an index entry in the order of :func:`entry_rows`' tuples.
ENTRY_COLUMNS = ("type", "object_id", "title", "snippet", "title_tokens", "body", "keys", "district_id", "park_id",
                 "enterprise_id", "public", "sector", "category", "kind", "year")


def entry_rows(docs, analyses) -> list[tuple]:
    """Index entries for documents just written, as tuples of :data:`ENTRY_COLUMNS`, from the words their
    analysis already cut (no second segmentation). Same content as core builds from :func:`document_entry`;
    plain tuples because a model instance per entry cost the ingesting process more than inserting it."""
    keys_of: dict[tuple, str] = {}
    out = []
    for doc, a in zip(docs, analyses, strict=True):
        utc = doc.published_at.astimezone(UTC)
        day = f"{utc.year:04d}{utc.month:02d}{utc.day:02d}"
        sector = doc.sector[:32]
        group = (doc.district_id, sector, day)
        keys = keys_of.get(group)
        if keys is None:
            keys = keys_of[group] = _keys(SearchDocument(
                title="", text="", district_id=doc.district_id, sector=sector, category=day, kind=day[:6],
                year=utc.year))
        text = doc.clean_text
        out.append((TYPE, doc.pk, doc.title[:300], text[:SNIPPET], a.title_words, a.body_words, keys,
                    doc.district_id, None, None, False, sector, day, day[:6], utc.year))
    return out


def entries_for(docs, analyses) -> list[SearchEntry]:
    """:func:`entry_rows` as unsaved :class:`SearchEntry` instances (for ``bulk_create``)."""
    return [SearchEntry(**dict(zip(ENTRY_COLUMNS, row, strict=True))) for row in entry_rows(docs, analyses)]


def date_tokens(start: date | None, end: date | None) -> list[str] | None:
    """Key tokens covering the days ``start``..``end`` (inclusive): whole years as year tokens, whole months as
    month tokens, the rest as day tokens (at most about 90 tokens). None when there is no range."""
    if start is None and end is None:
        return None
    start = start or date(2000, 1, 1)
    end = end or timezone.localdate() + timedelta(days=2)
    if end < start:
        return []
    tokens = []
    day = start
    while day <= end:
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            tokens.append(search_text.key("y", day.year))
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and month_end <= end:
            tokens.append(search_text.key("k", day.strftime("%Y%m")))
            day = month_end + timedelta(days=1)
        else:
            tokens.append(search_text.key("c", day.strftime("%Y%m%d")))
            day += timedelta(days=1)
    return tokens


def _with_dates(keys, start: date | None, end: date | None, engine):
    """``keys`` narrowed to the date range, and the range as a column condition for the engine (on an engine
    that does not take ranges as key tokens, PostgreSQL: the entries' ``category`` holds the day); None when
    nothing can match."""
    if not engine.ranges_as_keys:
        if start is None and end is None:
            return keys, None
        low = (start or date(2000, 1, 1)).strftime("%Y%m%d")
        high = (end or timezone.localdate() + timedelta(days=2)).strftime("%Y%m%d")
        return (keys, ("category", low, high)) if low <= high else None
    tokens = date_tokens(start, end)
    if tokens is None:
        return keys, None
    if not tokens:
        return None
    return ("and", [keys, ("or", tokens)]), None


def search_documents(user, query: str, *, start: date | None = None, end: date | None = None,
                     filters: dict | None = None, limit: int = 20, offset: int = 0,
                     rank_newest: int | None = RANK_NEWEST) -> list[dict]:
    """Best-first index rows of documents matching ``query`` for ``user`` published ``start``..``end``, of the
    ``rank_newest`` most recently indexed matches (None: of every match)."""
    from wenzhi.core.search.backends import backend

    words = search_text.query_words(query or "")
    keys = search.scoped_keys(user, type_keys=[TYPE], filters=filters)
    engine = backend()
    narrowed = _with_dates(keys, start, end, engine) if keys is not None else None
    if not words or narrowed is None:
        return []
    keys, between = narrowed
    return engine.search(words, keys, limit=limit, offset=offset, newest=rank_newest, between=between)


def matching_document_ids(user, query: str, *, start: date | None = None, end: date | None = None):
    """``(sql, params)`` selecting matching document ids (for ``pk IN``), or None (nothing can match)."""
    from wenzhi.core.search.backends import backend

    words = search_text.query_words(query or "")
    keys = search.scoped_keys(user, type_keys=[TYPE])
    if not words or keys is None:
        return None
    engine = backend()
    narrowed = _with_dates(keys, start, end, engine)
    if narrowed is None:
        return None
    keys, between = narrowed
    return engine.object_ids(words, keys, between)


def register() -> None:
    search.register(SearchType(
        key=TYPE, label=_("舆情文档"), model=Document, action="media_document.view",
        url_name="media:document_detail", rows=lambda: Document.objects.all(), document=document_entry,
        sees_all=_sees_all,
        facets=("sector",), order=60, rank_newest=RANK_NEWEST))


def _sees_all(user) -> bool:
    from .selectors import sees_all_media

    return sees_all_media(user)
