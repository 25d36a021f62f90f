"""Bulk ingestion of a JSON Lines file: read in batches, analysed in parallel, stored in order.

The work per batch is that of :func:`wenzhi.media.ingest.ingest_records` split in two: records → items →
analysis (pure CPU, no database: run in ``jobs`` forked processes) and dedup → inserts → index → commit →
signal (one writer, this process, one transaction per batch). With ``jobs=1`` everything runs in this process.
``queue=True`` instead hands each batch to the task queue (embedded database worker or RQ) as
``ingest_batch_task`` and waits for every task to finish.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import analysis
from .ingest import BATCH, IngestResult, store_items
from .models import Source
from .records import clean_records


@dataclass
class FileStats:
    result: IngestResult
    seconds: float
    read_errors: int = 0

    @property
    def rate(self) -> float:
        return self.result.stored / self.seconds if self.seconds else 0.0


def read_batches(path: str, batch: int = BATCH) -> Iterator[tuple[int, list]]:
    """(first record number, records) per batch of a JSON Lines file; an unreadable line is kept as ``None``
    (reported as a bad record with its number)."""
    loads = _loads()
    chunk: list = []
    first = 1
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                chunk.append(loads(line))
            except ValueError:
                chunk.append(None)
            if len(chunk) >= batch:
                yield first, chunk
                first, chunk = n + 1, []
    if chunk:
        yield first, chunk


def _loads():
    try:
        import orjson

        return orjson.loads
    except ImportError:  # pragma: no cover - orjson is a dependency
        return json.loads


_source_name = ""


def _prepare(args: tuple[int, list]):
    """In a worker process: clean and analyse one batch (no database access)."""
    start, records = args
    items, errors = clean_records(records, source_name=_source_name, start=start)
    analyses = analysis.analyse([i.title for i in items], [i.text for i in items])
    return len(records), items, errors, analyses


def _init(name: str) -> None:
    global _source_name
    _source_name = name


def ingest_file(path: str, source: Source, *, jobs: int = 1, batch: int = BATCH,
                progress: Callable[[IngestResult, float], None] | None = None) -> FileStats:
    """Ingest a JSON Lines file into ``source``; returns when every document is stored and indexed."""
    from django.db import connections

    total = IngestResult()
    started = time.perf_counter()
    analysis.linker_cache.get()  # built once here: forked workers inherit it
    analysis.analyse(["预热"], ["预热"])  # models and dictionaries loaded before the fork
    _init(source.name)
    batches = read_batches(path, batch)
    if jobs > 1:
        import multiprocessing as mp

        connections.close_all()  # no connection may cross the fork
        ctx = mp.get_context("fork")
        with ctx.Pool(jobs, initializer=_init, initargs=(source.name,)) as pool:
            for prepared in pool.imap(_prepare, batches):
                _store(source, prepared, total, started, progress)
    else:
        for args in batches:
            _store(source, _prepare(args), total, started, progress)
    return FileStats(total, time.perf_counter() - started)


def _store(source, prepared, total: IngestResult, started: float, progress) -> None:
    received, items, errors, analyses = prepared
    result = store_items(source, items, analyses)
    result.received, result.rejected, result.errors = received, len(errors), errors
    result.document_ids = []
    total.add(result)
    if progress:
        progress(total, time.perf_counter() - started)


def ingest_file_queued(path: str, source: Source, *, batch: int = BATCH, poll: float = 0.5,
                       progress: Callable[[int, int], None] | None = None) -> FileStats:
    """Hand each batch to the task queue and wait until every task has finished."""
    from .tasks import ingest_batch_task

    started = time.perf_counter()
    pending = [ingest_batch_task.enqueue(source.pk, records, start) for start, records in read_batches(path, batch)]
    total = IngestResult()
    done: set[int] = set()
    while len(done) < len(pending):
        for i, res in enumerate(pending):
            if i in done:
                continue
            res.refresh()
            if res.is_finished:
                done.add(i)
                value = res.return_value if res.status == "SUCCESSFUL" else None
                if value:
                    total.stored += value["stored"]
                    total.new += value["new"]
                    total.duplicates += value["duplicates"]
                    total.rejected += value["rejected"]
                    total.errors.extend(value["errors"])
                else:
                    total.errors.append(f"批次 {i + 1} 处理失败")
        if progress:
            progress(len(done), len(pending))
        if len(done) < len(pending):
            time.sleep(poll)
    return FileStats(total, time.perf_counter() - started)
