"""The search service: scoped queries over the index, and keeping the index in step with the rows."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Model

from . import text
from .backends import KeyExpr, backend
from .catalogue import Document, SearchType, get_type, types, types_for_model
from .models import SearchEntry

logger = logging.getLogger(__name__)

BATCH = 500
# Filters a caller may add, and the key-token prefix each is indexed under.
FILTER_PREFIXES = {"district": "d", "park": "p", "enterprise": "e", "sector": "s", "category": "c", "kind": "k",
                   "year": "y"}


@dataclass
class Hit:
    """One result: what it is, its title and a line about it, and where to open it."""

    type: str
    id: int
    title: str
    url: str
    snippet: str
    kind_label: str
    district_id: int | None = None


@dataclass
class Results:
    hits: list[Hit]
    words: list[str]
    facets: dict = field(default_factory=dict)


# --- queries ------------------------------------------------------------------------------------------------

def scope_token(type_key: str, where: str, value=None) -> str:
    """The token of "rows of ``type_key`` in organisation ``value``" (``where``: d, p or e) or of its public
    rows (``where="pub"``). One token per type and place keeps a scoped query an OR of small posting lists,
    where "type AND (place OR public)" merged every posting list of the type (a million documents)."""
    return text.key("v", f"{type_key}{where}{'' if value is None else value}")


def _visible(user, search_type: SearchType, scope) -> KeyExpr | None:
    """The key expression of the rows of ``search_type`` that ``user`` may find; "" for all, None for none."""
    from ..permissions import can

    if not can(user, search_type.action):
        return None
    if scope.kind == "all" or (search_type.sees_all is not None and search_type.sees_all(user)):
        return ""
    allowed = [scope_token(search_type.key, "pub")]
    if scope.kind in ("district", "park", "enterprise"):
        allowed.append(scope_token(search_type.key, scope.kind[0], scope.organisation_id))
    if search_type.extra_places is not None:
        allowed += [scope_token(search_type.key, where, value)
                    for where, value in search_type.extra_places(user, scope) if value is not None]
    return ("or", allowed)


def scoped_keys(user, *, type_keys: Iterable[str] | None = None, filters: dict | None = None) -> KeyExpr | None:
    """Type, scope and facet filters as one key expression (None: the user may find nothing of these types).

    A city-wide user searching every type gets no type or scope term at all: the words and facets suffice.
    """
    from ..scoping import scope_for

    scope = scope_for(user)
    wanted = set(type_keys) if type_keys else None
    parts = []
    every_type_whole = True
    for t in types():
        if wanted is not None and t.key not in wanted:
            every_type_whole = False
            continue
        expr = _visible(user, t, scope)
        if expr is None:
            every_type_whole = False
        elif expr == "":
            parts.append(text.key("t", t.key))
        else:
            every_type_whole = False
            parts.append(expr)
    if not parts:
        return None
    tokens = [tok for name, value in (filters or {}).items() if (tok := text.key(FILTER_PREFIXES[name], value))]
    return ("and", tokens if every_type_whole else [("or", parts), *tokens])


def search(user, query: str, *, type_keys: Iterable[str] | None = None, filters: dict | None = None,
           limit: int = 20, offset: int = 0, facets: bool = False) -> Results:
    """What ``user`` may find for ``query``: best first, scoped, filtered by type and facets inside the query.

    ``filters`` maps names of :data:`FILTER_PREFIXES` to values (``{"district": 12}``). With ``facets`` the
    result also counts the matches by type and by district.
    """
    from ..listing import row_url

    words = text.query_words(query or "")
    keys = scoped_keys(user, type_keys=type_keys, filters=filters)
    if not words or keys is None:
        return Results([], words, {"type": {}, "district": {}} if facets else {})
    engine = backend()
    hits = []
    for row in engine.search(words, keys, limit=limit, offset=offset, newest=_rank_newest(type_keys)):
        st = get_type(row["type"])
        hits.append(Hit(type=row["type"], id=row["object_id"], title=row["title"],
                        url=row_url(st.url_name, row["object_id"]), snippet=row["snippet"],
                        kind_label=str(st.label), district_id=row["district_id"]))
    _translate_snippets(hits)
    counts = {}
    if facets:
        counts = {"type": engine.counts(words, keys, "type"), "district": engine.counts(words, keys, "district_id")}
    return Results(hits, words, counts)


def _rank_newest(type_keys: Iterable[str] | None) -> int | None:
    """How many newest matches to rank: the largest ``rank_newest`` of the types searched, if all have one."""
    wanted = set(type_keys) if type_keys else None
    caps = [t.rank_newest for t in types() if wanted is None or t.key in wanted]
    return None if not caps or None in caps else max(c for c in caps if c is not None)


def _translate_snippets(hits: list[Hit]) -> None:
    """Result lines in the reader's language: the index holds them in the site's language (labels of sectors,
    levels, ...), so for a reader of another language the types that can (``SearchType.snippet``) write them
    again from their rows, one query per type on the page of hits."""
    from django.conf import settings
    from django.utils.translation import get_language

    language = get_language() or settings.LANGUAGE_CODE
    if not hits or language.split("-")[0] == settings.LANGUAGE_CODE.split("-")[0]:
        return
    by_type: dict[str, list[Hit]] = {}
    for hit in hits:
        by_type.setdefault(hit.type, []).append(hit)
    for key, group in by_type.items():
        st = get_type(key)
        if st.snippet is None:
            continue
        rows = st.rows().in_bulk([h.id for h in group])
        for hit in group:
            if hit.id in rows:
                hit.snippet = st.snippet(rows[hit.id])


def matching_ids(user, type_key: str, query: str) -> tuple[str, list] | None:
    """SQL selecting the ids of ``type_key`` rows matching ``query`` for ``user`` (``pk IN (that)``).

    None when the query has no searchable word or the user may find none of these rows.
    """
    words = text.query_words(query or "")
    keys = scoped_keys(user, type_keys=[type_key])
    if not words or keys is None:
        return None
    return backend().object_ids(words, keys)


ID_LIST_LIMIT = 5000


def filter_queryset(qs, user, type_key: str, query: str, *, bounded: bool = False):
    """``qs`` narrowed to the rows of ``type_key`` that the index finds for ``query`` and ``user``.

    The matching ids are read once and passed back as one parameter (up to :data:`ID_LIST_LIMIT`): a list page
    counts and then pages the same rows, and a subquery would run the full-text search twice. More matches
    than that stay a subquery inside the list's query. With ``bounded`` the answer is ``(queryset, whether
    the matches are at most ID_LIST_LIMIT ids)``.
    """
    from django.db import connections
    from django.db.models.expressions import RawSQL

    found = matching_ids(user, type_key, query)
    if found is None:
        return (qs.none(), True) if bounded else qs.none()
    sql, params = found
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {ID_LIST_LIMIT + 1}", params)
        ids = [row[0] for row in cursor.fetchall()]
    few = len(ids) <= ID_LIST_LIMIT
    if few:
        sql, params = backend(qs.db).id_set(ids)
    qs = qs.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - SQL from the search backend, values as parameters
    return (qs, few) if bounded else qs


# --- writing the index --------------------------------------------------------------------------------------

def _entry(search_type: SearchType, obj: Model) -> SearchEntry:
    doc: Document = search_type.document(obj)
    keys = [text.key("t", search_type.key), scope_token(search_type.key, "pub") if doc.public else ""]
    keys += [text.key(p, getattr(doc, n if n in ("sector", "category", "kind", "year") else f"{n}_id"))
             for n, p in FILTER_PREFIXES.items()]
    keys += [scope_token(search_type.key, where, value) for where, value in
             (("d", doc.district_id), ("p", doc.park_id), ("e", doc.enterprise_id)) if value is not None]
    return SearchEntry(
        type=search_type.key, object_id=obj.pk, title=doc.title[:300], snippet=doc.snippet[:500],
        title_tokens=text.index_words(doc.title), body=text.index_words(doc.text, *doc.aliases),
        keys=" ".join(k for k in keys if k), district_id=doc.district_id, park_id=doc.park_id,
        enterprise_id=doc.enterprise_id, public=doc.public, sector=doc.sector[:32], category=doc.category[:32],
        kind=doc.kind[:32], year=doc.year)


def index_rows(model: type[Model], pks: Iterable, *, using: str = "default") -> int:
    """Bring the index up to date for rows ``pks`` of ``model`` (created, changed or deleted); batched.

    Bulk writers that bypass ``save()`` call this after their transaction commits. Returns the number of
    entries written.
    """
    pks = list(dict.fromkeys(pks))
    written = 0
    with _index_language():
        for search_type in types_for_model(model):
            written += _index_type_rows(search_type, pks, using)
    return written


def _index_language():
    """Labels (sectors, levels) go into the index in the site's language, whoever's request wrote the row."""
    from django.conf import settings
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)


def _index_type_rows(search_type: SearchType, pks: list, using: str) -> int:
    written = 0
    for start in range(0, len(pks), BATCH):
        batch = pks[start:start + BATCH]
        entries = [_entry(search_type, obj) for obj in search_type.rows().using(using).filter(pk__in=batch)]
        with transaction.atomic(using=using):
            SearchEntry.objects.using(using).filter(type=search_type.key, object_id__in=batch).delete()
            SearchEntry.objects.using(using).bulk_create(entries, batch_size=BATCH)
        written += len(entries)
    return written


TASK_CHUNK = 5000


def index_rows_on_commit(model: type[Model], pks: Iterable, *, using: str = "default") -> None:
    """Index rows ``pks`` of ``model`` once the current transaction commits, in the task worker.

    For bulk writers (imports): segmenting 100,000 rows takes minutes, which must not lengthen the import
    itself. Each chunk of :data:`TASK_CHUNK` ids is one background task; models nobody registered are ignored.
    """
    if not types_for_model(model):
        return
    pks = list(pks)
    label = model._meta.label
    for start in range(0, len(pks), TASK_CHUNK):
        chunk = pks[start:start + TASK_CHUNK]
        transaction.on_commit(partial(_enqueue, model, label, chunk, using), using=using)


def _enqueue(model, label: str, pks: list, using: str) -> None:
    from .tasks import search_index_task

    try:
        search_index_task.enqueue(label, pks)
    except Exception:
        # No task queue reachable: index here rather than leave the rows unfindable.
        logger.exception("could not enqueue search indexing of %s; indexing now", label)
        _index_logged(model, pks, using)


def rebuild(type_key: str | None = None, *, batch: int = 2000, progress: Callable[[str, int], None] | None = None,
            using: str = "default") -> dict[str, int]:
    """Rebuild the index of one type (or all) from the rows; returns the number of entries per type.

    A rebuild of everything loads the table first and builds the engine's index once at the end.
    """
    from contextlib import nullcontext

    out = {}
    with _index_language(), (backend(using).bulk_load() if type_key is None else nullcontext()):
        for search_type in ([get_type(type_key)] if type_key else types()):
            out[search_type.key] = _rebuild_type(search_type, batch, progress, using)
    return out


def _rebuild_type(search_type: SearchType, batch: int, progress, using: str) -> int:
    SearchEntry.objects.using(using).filter(type=search_type.key).delete()
    count = 0
    pending: list[SearchEntry] = []
    for obj in search_type.rows().using(using).order_by("pk").iterator(chunk_size=batch):
        pending.append(_entry(search_type, obj))
        if len(pending) >= batch:
            SearchEntry.objects.using(using).bulk_create(pending)
            count += len(pending)
            pending = []
            if progress:
                progress(search_type.key, count)
    SearchEntry.objects.using(using).bulk_create(pending)
    return count + len(pending)


# --- on commit ----------------------------------------------------------------------------------------------

def _index_logged(model, pks, using) -> None:
    # The write itself has committed: an index failure must not turn it into an error page. The entry stays
    # stale until the next change of that row or `wenzhi search rebuild`.
    try:
        index_rows(model, pks, using=using)
    except Exception:
        logger.exception("search index update failed for %s %s", model.__name__, sorted(pks)[:10])


def queue(model: type[Model], pk, using: str = "default") -> None:
    """Index row ``pk`` of ``model`` when the current transaction commits (at once outside a transaction).

    Rows changed in one transaction are indexed together by the first of its callbacks to run; a rolled-back
    change stays queued and is indexed (from the database, so correctly) with the next commit.
    """
    conn = transaction.get_connection(using)
    pending = conn.__dict__.setdefault("_wenzhi_search_pending", {})
    pending.setdefault(model, set()).add(pk)
    transaction.on_commit(lambda: _flush(conn, using), using=using)


def _flush(conn, using: str) -> None:
    pending = conn.__dict__.pop("_wenzhi_search_pending", None) or {}
    for model, pks in pending.items():
        _index_logged(model, pks, using)


def _on_save(sender, instance, using, **kwargs) -> None:
    queue(sender, instance.pk, using)


def _on_delete(sender, instance, using, **kwargs) -> None:
    queue(sender, instance.pk, using)


def connect(model: type[Model]) -> None:
    """Follow saves and deletes of ``model`` (done by :func:`~wenzhi.core.search.register`)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_on_save, sender=model, dispatch_uid=f"wenzhi-search-save-{model._meta.label}")
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"wenzhi-search-delete-{model._meta.label}")


def _on_followed_save(sender, instance, using, created=False, update_fields=None, **kwargs) -> None:
    """A row other documents show (a district's or park's name) was saved: index those documents again once the
    transaction commits (in the task worker, as bulk writers do; a district holds thousands of enterprises).
    A new row is in no document yet, and a save that names its fields and leaves out ``name`` changes none."""
    if created or (update_fields is not None and "name" not in update_fields):
        return
    for search_type in types():
        for model, lookup in search_type.follows:
            if model is sender or model is sender._meta.concrete_model:
                pks = list(search_type.model._base_manager.using(using).filter(**{lookup: instance.pk})
                           .values_list("pk", flat=True))
                if pks:
                    index_rows_on_commit(search_type.model, pks, using=using)


def follow(model: type[Model]) -> None:
    """Index again, on commit, the documents that show rows of ``model`` (see ``SearchType.follows``)."""
    from django.db.models.signals import post_save

    post_save.connect(_on_followed_save, sender=model, dispatch_uid=f"wenzhi-search-follow-{model._meta.label}")
