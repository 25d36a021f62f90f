"""Write side of the media app: sources and uploads, each checked against the permission table."""

from __future__ import annotations

from django.db import transaction

from wenzhi.core.permissions import require

from . import feeds
from .fetch import ingest_pushed
from .models import Source


def save_source(actor, form) -> Source:
    """Create or change a source from a valid :class:`~wenzhi.media.forms.SourceForm`."""
    require(actor, "media_source.manage", form.instance)
    with transaction.atomic():
        source = form.save(commit=False)
        source.selectors = form.cleaned_data.get("selectors_text") or {}
        source.save()
    if source.enabled and source.url:
        transaction.on_commit(lambda: _schedule(source))
    return source


def _schedule(source: Source) -> None:
    from .tasks import schedule

    try:
        schedule(source)
    except Exception:  # no task queue: the next `wenzhi media schedule` picks it up
        import logging

        logging.getLogger(__name__).exception("could not schedule source %s", source.pk)


def fetch_now(actor, source: Source):
    """Fetch a source at once (back-off ignored) in the task worker."""
    from .tasks import fetch_source_task

    require(actor, "media_source.manage", source)
    return fetch_source_task.enqueue(source.pk, True)


def upload(actor, source: Source, name: str, data: bytes):
    """Ingest an uploaded file into ``source``; returns (fetch log, result). Bad rows are reported by number."""
    require(actor, "media_document.ingest", source)
    records, notes = feeds.parse_upload(name, data)
    log, result = ingest_pushed(source, records)
    result.errors = notes + result.errors
    return log, result
