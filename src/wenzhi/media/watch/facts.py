"""The rule engine's view of the media app's rows: ``DocFacts`` for stored documents, and volume counts.

A batch's ids reach the database as ONE parameter (the search backend's id set): Django compiles each item of
``pk__in=[...]`` on its own, which for a batch of 2,000 documents cost more than reading the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL

from wenzhi.core.search.backends import backend
from wenzhi.media.models import Document, DocumentEnterprise, DocumentPark, DocumentProject

from .rules import DocFacts, EntityRef

LINKS = (("enterprise", DocumentEnterprise, "enterprise_id"), ("park", DocumentPark, "park_id"),
         ("project", DocumentProject, "project_id"))
LINK_OF_KIND = {kind: (model, column) for kind, model, column in LINKS}


def id_set(ids: Iterable[int]) -> RawSQL:
    """A subquery of the given ids, for ``__in`` (one parameter however many ids)."""
    sql, params = backend().id_set(sorted(set(ids)))
    return RawSQL(sql, params)  # noqa: S611 - SQL from the search backend, ids as a parameter


def document_facts(document_ids: Iterable[int]) -> list[DocFacts]:
    """Facts of the documents with these ids (in id order): text, sentiment, source, district, entities."""
    ids = sorted(set(document_ids))
    entities: dict[int, set[EntityRef]] = defaultdict(set)
    for kind, model, column in LINKS:
        for doc_id, entity_id in model.objects.filter(document_id__in=id_set(ids)).values_list("document_id",
                                                                                               column):
            entities[doc_id].add((kind, entity_id))
    out = []
    rows = Document.objects.filter(pk__in=id_set(ids)).order_by("pk").values_list(
        "pk", "title", "clean_text", "text", "fetched_at", "published_at", "source_id", "sentiment",
        "sentiment_score", "district_id", "duplicate_group_id")
    for pk, title, clean, text, fetched, published, source, sentiment, score, district, group in rows:
        refs = entities[pk]
        if district:
            refs.add(("district", district))
        negativity = (1.0 - score) if sentiment == "negative" and score is not None else 0.0
        out.append(DocFacts(id=pk, title=title, text=clean or text, arrived_at=fetched, published_at=published,
                            source_id=source, sentiment=sentiment or "neutral", negativity=negativity,
                            district_id=district, entities=frozenset(refs),
                            group=f"group:{group}" if group else ""))
    return out


class DocumentVolume:
    """Documents that mention entities in a time range (by publication time), straight from the media tables:
    one grouped query per entity kind, whatever the number of entities."""

    def counts(self, entities: Sequence[EntityRef], start: dt.datetime, end: dt.datetime) -> dict[EntityRef, int]:
        by_kind: dict[str, set[int]] = defaultdict(set)
        for kind, pk in entities:
            by_kind[kind].add(pk)
        out = dict.fromkeys(entities, 0)
        for kind, pks in by_kind.items():
            rows: QuerySet
            if kind == "district":
                rows = Document.objects.filter(district_id__in=pks, published_at__gte=start, published_at__lt=end)
                column = "district_id"
            elif kind in LINK_OF_KIND:
                model, column = LINK_OF_KIND[kind]
                rows = model.objects.filter(**{f"{column}__in": pks}, document__published_at__gte=start,
                                            document__published_at__lt=end)
            else:
                raise ValueError(f"unknown entity kind {kind!r}")
            for pk, n in rows.order_by().values(column).annotate(n=Count("pk")).values_list(column, "n"):
                out[(kind, pk)] = n
        return out


def entity_model(kind: str):
    """The registry (or project library, or core) model behind an entity kind."""
    from wenzhi.core.models import Organisation
    from wenzhi.projects.models import Project
    from wenzhi.registry.models import Enterprise, Park

    return {"enterprise": Enterprise, "park": Park, "project": Project, "district": Organisation}[kind]


def entity_name(kind: str, pk: int) -> str:
    """The name of an entity (empty when it no longer exists)."""
    row = entity_model(kind).objects.filter(pk=pk).values_list("name", flat=True).first()
    return row or ""


def entity_names(refs: Iterable[EntityRef]) -> dict[EntityRef, str]:
    """Names of many entities at once, one query per kind."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in refs:
        by_kind[kind].add(pk)
    out: dict[EntityRef, str] = {}
    for kind, pks in by_kind.items():
        for pk, name in entity_model(kind).objects.filter(pk__in=pks).values_list("pk", "name"):
            out[(kind, pk)] = name
    return out
