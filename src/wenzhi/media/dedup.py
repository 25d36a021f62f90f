"""Duplicate detection for a batch: exact keys in the database, near-identical text in memory.

Rules, in order: the same normalised URL; the same GUID; the same folded title on the same day; a SimHash
within :data:`MAX_DISTANCE` bits of a recent document's. The exact keys are looked up with one indexed query
per key over the whole history; near duplicates are found in an in-process index of recent documents (eight
overlapping 16-bit bands), warmed from the database on first use. Character-bigram SimHash of short texts moves
several bits for a two-character edit, and repost marks (【转载】, 转：) are left out of the hash
(:func:`wenzhi.media.analysis.near_hashes`). ``bench/media_dedup.py``: of 3,000 headline+review texts copied with a
【转载】 prefix and two characters changed, 74 % of copies were within 6 bits (27 % within 3) and the index found
69 % (44 % while the mark was hashed; the same 69 % without a prefix), with 2 wrong matches; the same-day title
rule catches most of the rest (reprints keep their titles).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from .records import Item

MAX_DISTANCE = 6
BANDS = 8  # 16-bit windows starting every 8 bits (wrapping): any two hashes within 3 bits share one, and most
# within 6 bits do (measured below); candidates per lookup stay about BANDS * WINDOW / 65536
WINDOW = 200_000  # recent documents kept in the near-duplicate index per process
MIN_TEXT_FOR_NEAR = 12  # characters: shorter texts have too few bigrams for a stable SimHash


@dataclass(frozen=True)
class Match:
    reason: str  # url, guid, title, near
    document_id: int | None = None  # an earlier stored document
    batch_index: int | None = None  # or an earlier item of the same batch


class NearIndex:
    """Recent (simhash → document id) pairs, bucketed by each of four 16-bit bands."""

    def __init__(self, window: int = WINDOW) -> None:
        self.window = window
        self._order: OrderedDict[int, int] = OrderedDict()  # document id → simhash, oldest first
        self._bands: list[dict[int, list[int]]] = [{} for _ in range(BANDS)]
        self._lock = threading.Lock()
        self.warmed = False

    @staticmethod
    def _keys(h: int) -> list[int]:
        u = h & 0xFFFFFFFFFFFFFFFF
        doubled = u | (u << 64)
        return [(doubled >> (8 * b)) & 0xFFFF for b in range(BANDS)]

    def find(self, h: int, keys: list[int] | None = None) -> int | None:
        """The earliest document within :data:`MAX_DISTANCE` bits of ``h`` (``keys``: its band keys if known)."""
        best = None
        order = self._order
        for band, key in zip(self._bands, keys or self._keys(h), strict=True):
            for doc_id in band.get(key, ()):
                other = order.get(doc_id)
                if other is not None and ((other ^ h) & 0xFFFFFFFFFFFFFFFF).bit_count() <= MAX_DISTANCE \
                        and (best is None or doc_id < best):
                    best = doc_id
        return best

    def add(self, doc_id: int, h: int, keys: list[int] | None = None) -> None:
        """Add one pair (``keys``: its band keys if known), evicting the oldest beyond the window."""
        with self._lock:
            self._order[doc_id] = h
            for band, key in zip(self._bands, keys or self._keys(h), strict=True):
                band.setdefault(key, []).append(doc_id)
            if len(self._order) > self.window:
                self._evict()

    def add_many(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Add (document id, simhash) pairs, oldest first, evicting the oldest beyond the window."""
        with self._lock:
            bands = self._bands
            for doc_id, h in pairs:
                self._order[doc_id] = h
                u = h & 0xFFFFFFFFFFFFFFFF
                doubled = u | (u << 64)
                for b in range(BANDS):
                    bands[b].setdefault((doubled >> (8 * b)) & 0xFFFF, []).append(doc_id)
            self._evict()

    def _evict(self) -> None:
        while len(self._order) > self.window:
            old_id, old_h = self._order.popitem(last=False)
            for b, key in enumerate(self._keys(old_h)):
                bucket = self._bands[b].get(key)
                if bucket:
                    try:
                        bucket.remove(old_id)
                    except ValueError:
                        pass
                    if not bucket:
                        del self._bands[b][key]

    def warm(self) -> None:
        """Load the most recent documents' hashes (once per process)."""
        from .models import Document

        with self._lock:
            if self.warmed:
                return
            self.warmed = True
        rows = list(Document.objects.filter(simhash__isnull=False).order_by("-id")
                    .values_list("id", "simhash")[:self.window])
        self.add_many([(doc_id, h) for doc_id, h in reversed(rows) if h is not None])

    def discard(self, doc_ids: set[int]) -> None:
        """Forget documents that are not stored (their batch was rolled back by an enclosing transaction)."""
        with self._lock:
            for doc_id in doc_ids:
                h = self._order.pop(doc_id, None)
                if h is None:
                    continue
                for b, key in enumerate(self._keys(h)):
                    bucket = self._bands[b].get(key)
                    if bucket and doc_id in bucket:
                        bucket.remove(doc_id)
                        if not bucket:
                            del self._bands[b][key]

    def clear(self) -> None:
        with self._lock:
            self._order.clear()
            self._bands = [{} for _ in range(BANDS)]
            self.warmed = False


near_index = NearIndex()


def _existing(field: str, values: set[int], using: str) -> dict[int, int]:
    """hash → the earliest document id having it: one indexed query per key for the whole batch (the values
    passed as one parameter; Django compiles every item of ``field__in=[...]`` on its own)."""
    from django.db import connections

    from wenzhi.core.search.backends import backend

    from .models import Document

    if not values:
        return {}
    column = {f.attname: f.column for f in Document._meta.concrete_fields}[field]
    values_sql, params = backend(using).id_set(list(values))
    sql = (f'SELECT "{column}", MIN("id") FROM "{Document._meta.db_table}" '  # noqa: S608 - fixed names
           f'WHERE "{column}" IN ({values_sql}) GROUP BY "{column}"')
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def find_matches(items: Sequence[Item], simhashes: Sequence[int | None], texts: Sequence[str], *,
                 using: str = "default") -> list[Match | None]:
    """For each item, the earlier document (stored or earlier in the batch) it duplicates, or None.

    The in-process near-duplicate index may name a document whose batch an enclosing transaction rolled back:
    near matches are checked against the table (one query) and, when one is gone, it is forgotten and the batch
    matched again."""
    from .models import Document

    out = _find_matches(items, simhashes, texts, using=using)
    near_ids = {m.document_id for m in out if m is not None and m.reason == "near" and m.document_id is not None}
    if near_ids:
        gone = near_ids - set(Document.objects.using(using).filter(pk__in=near_ids).values_list("pk", flat=True))
        if gone:
            near_index.discard(gone)
            return find_matches(items, simhashes, texts, using=using)
    return out


def _find_matches(items: Sequence[Item], simhashes: Sequence[int | None], texts: Sequence[str], *,
                  using: str = "default") -> list[Match | None]:
    near_index.warm()
    keys = (("url", "url_hash"), ("guid", "guid_hash"), ("title", "title_hash"))
    stored = {reason: _existing(field, {h for it in items if (h := getattr(it, field)) is not None}, using)
              for reason, field in keys}
    seen: dict[str, dict[int, int]] = {reason: {} for reason, _ in keys}
    near_seen: NearIndex = NearIndex(window=len(items) + 1)
    out: list[Match | None] = []
    for i, item in enumerate(items):
        match = None
        for reason, field in keys:
            h = getattr(item, field)
            if h is None:
                continue
            if h in stored[reason]:
                match = Match(reason, document_id=stored[reason][h])
            elif h in seen[reason]:
                match = Match(reason, batch_index=seen[reason][h])
            if match:
                break
        sh = simhashes[i] if len(texts[i]) >= MIN_TEXT_FOR_NEAR else None
        band_keys = NearIndex._keys(sh) if sh is not None else None
        if match is None and sh is not None:
            earlier = near_index.find(sh, band_keys)
            if earlier is not None:
                match = Match("near", document_id=earlier)
            else:
                j = near_seen.find(sh, band_keys)
                if j is not None:
                    match = Match("near", batch_index=j)
        for reason, field in keys:
            h = getattr(item, field)
            if h is not None and h not in stored[reason]:
                seen[reason].setdefault(h, i)
        if sh is not None and match is None:
            near_seen.add(i, sh, band_keys)
        out.append(match)
    return out
