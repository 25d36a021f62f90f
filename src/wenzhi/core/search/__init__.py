"""Full-text search over everything apps register: one service, SQLite FTS5 or PostgreSQL full text.

Apps register a :class:`SearchType` per searchable model in ``AppConfig.ready()``::

    from wenzhi.core import search
    search.register(search.SearchType(key="enterprise", label=_("企业"), model=Enterprise, ...))

The index follows saves and deletes of registered models once their transaction commits; bulk writers that
bypass ``save()`` call :func:`index_rows` after committing (or :func:`index_rows_on_commit` inside their
transaction, which hands large batches to the task worker); ``wenzhi search rebuild`` rebuilds it. Readers call
:func:`search` (global search box, API) or :func:`matching_ids` (a list page's ``q``); both apply the caller's
scope inside the full-text query.
"""

from __future__ import annotations

from .catalogue import Document, SearchType, get_type, types
from .service import (
    Hit,
    Results,
    filter_queryset,
    index_rows,
    index_rows_on_commit,
    matching_ids,
    queue,
    rebuild,
    scoped_keys,
    search,
)


def register(search_type: SearchType) -> None:
    """Register a searchable type and follow its model's saves and deletes (call from ``ready()``)."""
    from . import catalogue, service

    catalogue.register(search_type)
    service.connect(search_type.model)
    for model, _lookup in search_type.follows:
        service.follow(model)


__all__ = ["Document", "Hit", "Results", "SearchType", "filter_queryset", "get_type", "index_rows",
           "index_rows_on_commit", "matching_ids", "queue", "rebuild", "register", "scoped_keys", "search", "types"]
