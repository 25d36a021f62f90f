"""Storing a batch: analysed, deduplicated, written and indexed in one transaction.

:func:`ingest_records` is the one entry point of every source kind (a fetched feed, an upload, the partner API,
the command line, a background task): records → items → analysis → duplicate groups → bulk inserts of the
documents, their registry links and their search entries → commit → ``documents_stored``. A batch is written
whole or not at all; a record that cannot be read is reported (its number and field) and the others go on.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from functools import partial

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from . import analysis, bulk, dedup
from .analysis import Analysis
from .models import Document, DocumentEnterprise, DocumentPark, DocumentProject, DuplicateGroup, Source
from .records import Item, clean_records
from .signals import documents_stored

logger = logging.getLogger(__name__)

BATCH = 2000
SEARCH_TYPE = "document"
LinkModel = type[DocumentEnterprise] | type[DocumentPark] | type[DocumentProject]
LINK_MODELS: dict[str, tuple[LinkModel, str]] = {
    "enterprise": (DocumentEnterprise, "enterprise_id"), "park": (DocumentPark, "park_id"),
    "project": (DocumentProject, "project_id")}


@dataclass
class IngestResult:
    received: int = 0
    stored: int = 0
    new: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        self.received += other.received
        self.stored += other.stored
        self.new += other.new
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.errors.extend(other.errors[:100 - len(self.errors)] if len(self.errors) < 100 else [])
        self.document_ids.extend(other.document_ids)


def ingest_records(source: Source, records: Sequence, *, start: int = 1, using: str = "default",
                   keep_ids: bool = True) -> IngestResult:
    """Clean, analyse, deduplicate and store ``records`` of ``source`` in batches of :data:`BATCH`."""
    total = IngestResult()
    for offset in range(0, len(records), BATCH):
        chunk = records[offset:offset + BATCH]
        items, errors = clean_records(chunk, source_name=source.name, start=start + offset)
        result = store_items(source, items, analysis.analyse([i.title for i in items], [i.text for i in items]),
                             using=using)
        result.received = len(chunk)
        result.rejected = len(errors)
        result.errors = errors
        if not keep_ids:
            result.document_ids = []
        total.add(result)
    return total


def store_items(source: Source, items: Sequence[Item], analyses: Sequence[Analysis], *,
                using: str = "default") -> IngestResult:
    """Write one analysed batch in one transaction; ``documents_stored`` is sent after the commit."""
    result = IngestResult(received=len(items))
    if not items:
        return result
    now = timezone.now()
    with transaction.atomic(using=using):
        matches = dedup.find_matches(items, [a.simhash for a in analyses], [a.clean_text for a in analyses],
                                     using=using)
        docs = [_document(source, item, a, now) for item, a in zip(items, analyses, strict=True)]
        pending = _prepare_groups(docs, matches, now, using)
        bulk.insert_documents(docs, using)
        _set_representatives(pending, docs, using)
        _links(docs, analyses, using)
        _search_entries(source, docs, analyses, using)
        Source.objects.using(using).filter(pk=source.pk).update(items_total=F("items_total") + len(docs))
        ids = [d.pk for d in docs]
        transaction.on_commit(partial(_stored, source.pk, ids), using=using)
    dedup.near_index.add_many([(doc.pk, a.simhash) for doc, a, m in zip(docs, analyses, matches, strict=True)
                               if m is None and a.simhash is not None
                               and len(a.clean_text) >= dedup.MIN_TEXT_FOR_NEAR])
    dup = sum(1 for m in matches if m is not None)
    result.stored, result.duplicates, result.new, result.document_ids = len(docs), dup, len(docs) - dup, ids
    return result


def _stored(source_id: int, ids: list[int]) -> None:
    try:
        documents_stored.send(sender=Source, document_ids=ids, source_id=source_id)
    except Exception:  # a listener's failure must not undo or hide the stored batch
        logger.exception("a documents_stored listener failed for %s documents", len(ids))


def _document(source: Source, item: Item, a: Analysis, now) -> bulk.NewDocument:
    return bulk.NewDocument(
        source_id=source.pk, external_id=item.external_id, url=item.url, url_normalised=item.url_normalised,
        url_hash=item.url_hash, guid=item.guid, guid_hash=item.guid_hash, title=item.title,
        title_hash=item.title_hash, text=item.text, clean_text=a.clean_text, published_at=item.published_at,
        fetched_at=now, analysed_at=now, keywords=a.keywords, sentiment=a.sentiment,
        sentiment_score=a.sentiment_score, topic=a.topic, culture_relevance=a.culture_relevance,
        is_culture=a.is_culture, sector=a.sector, district_id=a.district_id or source.district_id,
        simhash=a.simhash)


def _prepare_groups(docs: list[bulk.NewDocument], matches, now, using: str) -> list[tuple[int, int]]:
    """Before the insert: give every duplicate (and the earlier document it repeats) its group, creating groups
    on a first repeat. Returns (group id, index of the batch document that represents it) for groups whose
    representative is in this batch (its id is known only after the insert)."""
    if not any(matches):
        return []
    # The earliest document of each chain: ("db", id) for a stored document, ("batch", index) for this batch's.
    root_of: dict[int, tuple[str, int]] = {}
    for i, m in enumerate(matches):
        if m is not None:
            root_of[i] = ("db", m.document_id) if m.document_id is not None else \
                root_of.get(m.batch_index, ("batch", m.batch_index))
    db_roots = {r for kind, r in root_of.values() if kind == "db"}
    existing = dict(Document.objects.using(using).filter(pk__in=db_roots, duplicate_group__isnull=False)
                    .values_list("pk", "duplicate_group_id"))
    new_db = sorted(db_roots - set(existing))
    titles = dict(Document.objects.using(using).filter(pk__in=new_db).values_list("pk", "title"))
    batch_roots = sorted({r for kind, r in root_of.values() if kind == "batch"})
    groups = [DuplicateGroup(representative_id=r, title=titles.get(r, "")[:500], size=1, first_seen=now,
                             last_seen=now) for r in new_db]
    groups += [DuplicateGroup(title=docs[i].title[:500], size=1, first_seen=now, last_seen=now)
               for i in batch_roots]
    DuplicateGroup.objects.using(using).bulk_create(groups)
    group_of = {("db", pk): g for pk, g in existing.items()}
    group_of.update({("db", r): g.pk for r, g in zip(new_db, groups, strict=False)})
    group_of.update({("batch", i): g.pk for i, g in zip(batch_roots, groups[len(new_db):], strict=True)})
    for i in batch_roots:
        docs[i].duplicate_group_id = group_of[("batch", i)]
    grown: Counter[int] = Counter()
    for i, root in root_of.items():
        docs[i].duplicate_group_id = group_of[root]
        docs[i].duplicate_reason = matches[i].reason
        grown[group_of[root]] += 1
    with connections[using].cursor() as cursor:
        if new_db:
            cursor.executemany("UPDATE media_document SET duplicate_group_id = %s WHERE id = %s",
                               [(group_of[("db", r)], r) for r in new_db])
        cursor.executemany("UPDATE media_duplicategroup SET size = size + %s, last_seen = %s WHERE id = %s",
                           [(n, now, g) for g, n in grown.items()])
    return [(group_of[("batch", i)], i) for i in batch_roots]


def _set_representatives(pending: list[tuple[int, int]], docs: list[bulk.NewDocument], using: str) -> None:
    if pending:
        with connections[using].cursor() as cursor:
            cursor.executemany("UPDATE media_duplicategroup SET representative_id = %s WHERE id = %s",
                               [(docs[i].pk, g) for g, i in pending])


def _links(docs: list[bulk.NewDocument], analyses: Sequence[Analysis], using: str) -> None:
    rows: dict[str, list] = {k: [] for k in LINK_MODELS}
    for doc, a in zip(docs, analyses, strict=True):
        for kind, pk, confidence, count in a.links:
            if kind in LINK_MODELS:
                model, fk = LINK_MODELS[kind]
                rows[kind].append(model(document_id=doc.pk, confidence=confidence, mentions=min(count, 32767),
                                        **{fk: pk}))
    for kind, objs in rows.items():
        if not objs:
            continue
        model, fk = LINK_MODELS[kind]
        # The linker is cached for a while: an entity deleted since (or in a rolled-back transaction) is left
        # out rather than failing the batch on its foreign key.
        target = model._meta.get_field(fk).related_model
        wanted = {getattr(o, fk) for o in objs}
        assert target is not None  # a foreign key
        alive = set(target._default_manager.using(using).filter(pk__in=wanted).values_list("pk", flat=True))
        objs = [o for o in objs if getattr(o, fk) in alive]
        model.objects.using(using).bulk_create(objs, batch_size=500, ignore_conflicts=True)


def _search_entries(source: Source, docs: list[bulk.NewDocument], analyses: Sequence[Analysis], using: str) -> None:
    from .search import entry_rows

    bulk.insert_entries(entry_rows(docs, analyses), using)


def day_of(dt) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%d")
