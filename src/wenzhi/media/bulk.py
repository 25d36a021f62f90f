"""Writing an analysed batch without the ORM's per-field work: new documents and their search entries as plain
rows, inserted with ``executemany``.

Django's ``bulk_create`` prepares every value of every field through the field classes; for a batch of short
documents that costs more CPU than their analysis. Here a new document is a :class:`NewDocument` (the columns
only) and is written as a tuple. On SQLite (the embedded default) the ingesting transaction starts with
``BEGIN IMMEDIATE`` (the settings' ``transaction_mode``), so it is the only writer until it commits: the next ids
are read from ``sqlite_sequence`` and given to the rows. Other databases get the ids back from ``bulk_create``.
Search entries need no ids back and are inserted with ``executemany`` on every database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from django.db import connections

from .models import Document


@dataclass(slots=True)
class NewDocument:
    """A document about to be inserted: the columns of :class:`~wenzhi.media.models.Document` (attribute names
    as the model's, so the search entry and dedup code read it like a model instance)."""

    source_id: int
    external_id: str
    url: str
    url_normalised: str
    url_hash: int | None
    guid: str
    guid_hash: int | None
    title: str
    title_hash: int | None
    text: str
    clean_text: str
    published_at: datetime
    fetched_at: datetime
    analysed_at: datetime
    keywords: str
    sentiment: str
    sentiment_score: float
    topic: str
    culture_relevance: float
    is_culture: bool
    sector: str
    district_id: int | None
    simhash: int | None
    duplicate_group_id: int | None = None
    duplicate_reason: str = ""
    pk: int = 0  # set by insert_documents


COLUMNS = [f.name for f in fields(NewDocument) if f.name != "pk"]
_DATETIMES = ("published_at", "fetched_at", "analysed_at")


def insert_documents(docs: Sequence[NewDocument], using: str) -> None:
    """Insert ``docs`` and set each one's ``pk`` (inside the batch's transaction)."""
    if not docs:
        return
    connection = connections[using]
    immediate = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode") == "IMMEDIATE"
    if connection.vendor != "sqlite" or not immediate or not connection.in_atomic_block:
        objs = [Document(**{c: getattr(d, c) for c in COLUMNS}) for d in docs]
        Document.objects.using(using).bulk_create(objs, batch_size=500)
        for d, o in zip(docs, objs, strict=True):
            d.pk = o.pk
        return
    table = Document._meta.db_table
    column_of = {f.attname: f.column for f in Document._meta.concrete_fields}
    columns = [column_of[c] for c in COLUMNS]
    adapt = connection.ops.adapt_datetimefield_value
    positions = [COLUMNS.index(c) for c in _DATETIMES]
    adapted: dict = {}  # fetched_at and analysed_at are the same instant for the whole batch
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f'SELECT MAX("id") FROM "{table}"')
            row = cursor.fetchone()
        next_id = (row[0] or 0) + 1
        rows = []
        for offset, d in enumerate(docs):
            d.pk = next_id + offset
            values = [getattr(d, c) for c in COLUMNS]
            for p in positions:
                value = values[p]
                got = adapted.get(value)
                if got is None:
                    got = adapted[value] = adapt(value)
                values[p] = got
            rows.append((d.pk, *values))
        names = ", ".join(f'"{c}"' for c in ["id", *columns])
        marks = ", ".join(["%s"] * (len(columns) + 1))
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def insert_entries(rows: Sequence[tuple], using: str) -> None:
    """Insert search entries given as tuples of :data:`wenzhi.media.search.ENTRY_COLUMNS` with one
    ``executemany``; the database's own triggers or functions fill the full-text index as for any other insert."""
    if not rows:
        return
    from wenzhi.core.search.models import SearchEntry

    from .search import ENTRY_COLUMNS

    column_of = {f.attname: f.column for f in SearchEntry._meta.concrete_fields}
    names = ", ".join(f'"{column_of[c]}"' for c in ENTRY_COLUMNS)
    marks = ", ".join(["%s"] * len(ENTRY_COLUMNS))
    with connections[using].cursor() as cursor:
        cursor.executemany(f'INSERT INTO "{SearchEntry._meta.db_table}" ({names}) VALUES ({marks})', rows)
