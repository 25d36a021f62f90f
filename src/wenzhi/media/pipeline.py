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
from collections import deque
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
    for first, lines in read_line_batches(path, batch):
        yield first, parse_lines(lines)


def read_line_batches(path: str, batch: int = BATCH) -> Iterator[tuple[int, list[bytes]]]:
    """(first record number, raw lines) per batch, blank lines skipped: the parsing is left to whoever analyses
    the batch (a worker process), so the writing process only moves bytes."""
    chunk: list[bytes] = []
    first = 1
    with open(path, "rb") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            chunk.append(line)
            if len(chunk) >= batch:
                yield first, chunk
                first, chunk = n + 1, []
    if chunk:
        yield first, chunk


def parse_lines(lines: list[bytes]) -> list:
    loads = _loads()
    records: list = []
    for line in lines:
        try:
            records.append(loads(line))
        except ValueError:
            records.append(None)
    return records


def _loads():
    try:
        import orjson

        return orjson.loads
    except ImportError:  # pragma: no cover - orjson is a dependency
        return json.loads


_source_name = ""


def _prepare(args: tuple[int, list[bytes]]):
    """In a worker process: parse, clean and analyse one batch (no database access)."""
    start, lines = args
    records = parse_lines(lines)
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
    batches = read_line_batches(path, batch)
    if jobs > 1:
        import multiprocessing as mp

        connections.close_all()  # no connection may cross the fork
        ctx = mp.get_context("fork")
        with ctx.Pool(jobs, initializer=_init, initargs=(source.name,)) as pool:
            for prepared in _bounded(pool, batches, 2 * jobs):
                _store(source, prepared, total, started, progress)
    else:
        for args in batches:
            _store(source, _prepare(args), total, started, progress)
    return FileStats(total, time.perf_counter() - started)


def _bounded(pool, batches: Iterator[tuple[int, list[bytes]]], ahead: int) -> Iterator:
    """The pool's results in order, with at most ``ahead`` batches handed out and not yet stored (``imap`` would
    read the whole file ahead and hold every analysed batch while the writer catches up)."""
    pending: deque = deque()
    for args in batches:
        pending.append(pool.apply_async(_prepare, (args,)))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


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
