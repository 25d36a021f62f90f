"""Background tasks of opinion monitoring: thin wrappers over services, the same on the embedded database worker
and on RQ workers.

A source's fetches form a chain: each fetch task, once done, enqueues the next for the source's next fetch time
(``run_after``). A task that finds its source not yet due ends its chain, so a second chain started by accident
dies out at its first step.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

EARLY_SLACK = timedelta(seconds=30)


@task()
def ingest_batch_task(source_id: int, records: list, start: int = 1) -> dict:
    """Clean, analyse, deduplicate and store one batch of records of a source."""
    from .fetch import ingest_pushed
    from .models import Source

    source = Source.objects.get(pk=source_id)
    log, result = ingest_pushed(source, records)
    return {"stored": result.stored, "new": result.new, "duplicates": result.duplicates,
            "rejected": result.rejected, "errors": result.errors[:20], "fetch": log.pk}


@task()
def fetch_source_task(source_id: int, force: bool = False) -> dict:
    """Fetch one source if it is due (or ``force``), then schedule its next fetch."""
    from .fetch import fetch_source
    from .models import Source

    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return {"skipped": "disabled"}
    now = timezone.now()
    if not force and source.next_fetch_at and source.next_fetch_at > now + EARLY_SLACK:
        return {"skipped": "not due"}
    log = fetch_source(source, force=force)
    source.refresh_from_db(fields=["next_fetch_at"])
    schedule(source)
    return {"outcome": log.outcome, "items": log.items, "new": log.new_documents, "error": log.error[:200]}


def schedule(source) -> None:
    """Enqueue the source's next fetch at its ``next_fetch_at`` (now when unset)."""
    if not source.enabled or not source.url:
        return
    if not fetch_source_task.get_backend().supports_defer:  # the immediate backend (tests): no chain
        return
    when = source.next_fetch_at or timezone.now()
    fetch_source_task.using(run_after=when).enqueue(source.pk)


@task()
def schedule_sources_task() -> int:
    """Start the fetch chain of every enabled feed source (after a restart or from ``wenzhi media schedule``)."""
    from .choices import SourceKind
    from .models import Source

    n = 0
    for source in Source.objects.filter(enabled=True, kind__in=[SourceKind.RSS, SourceKind.JSON, SourceKind.HTML]):
        schedule(source)
        n += 1
    return n
