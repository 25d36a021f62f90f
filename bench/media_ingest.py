"""End-to-end ingestion of short documents into the embedded default (SQLite, WAL), as ``wenzhi media ingest``.

    PYTHONPATH=src .venv/bin/python bench/media_ingest.py [--count 1000000] [--jobs 2] [--dir /tmp/media-bench]

Writes ``count`` short documents replayed from the shared headline and review corpora (a headline as title, the
headline plus an 80-character review snippet as text, unique URLs, publication times over a year) as JSON
Lines, then ingests them through :func:`wenzhi.media.pipeline.ingest_file` (the command's code: read → clean →
analyse in ``jobs`` processes → dedup → bulk insert of documents, links and search entries, one transaction per
batch → signal) into a fresh database. Prints the sustained rate, then bare rjieba segmentation (``cut``, HMM)
of the same titles and texts in one process for the ratio, peak memory (this process and the largest analysis
worker) and the load average. The database is kept for ``bench/media_search.py``. Every 100,000 documents (a
tenth of smaller runs) it prints the rate so far, the rate over the last step and the writer's CPU per document
over it, so a cost that grows with the database shows.

Measured on this 2-core machine, 2026-12-02, after core/0009 dropped the stale full-text statistics that had made
every FTS5 merge scan the whole index. Quiet (this run alone, load 1.7–2.3): ``--count 1000000``: 1,000,000
stored (7,452 grouped duplicates, 0 rejected) in 366 s, 2,729 docs/s overall; per 100,000: 2,871 2,926 2,903
2,768 2,831 2,586 2,618 2,599 2,617 2,638 docs/s; writer CPU 0.27–0.35 ms/doc; CPU per document 0.619 ms (writer
0.325 + analysis 0.294). Bare rjieba 63,984 docs/s (23.4x). Peak memory writer 826 MB + 2 x 568 MB ≤ 1,962 MB;
database 1.86 GB. The same run beside other work (load 3.6–5.1): 1,847 docs/s overall. Before core/0009: writer
0.37 ms/doc over the first 50,000, 1.14 over the next, 416 docs/s over 200,000.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def setup(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["WENZHI_VAR_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    os.environ["WENZHI_DEMO_FEEDS"] = "0"
    import django

    django.setup()


def _cpu() -> float:
    """CPU seconds (user + system) of this process: the writer."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def write_corpus(path: Path, count: int) -> None:
    import orjson

    from wenzhi.media import corpus

    with path.open("wb") as fh:
        for rec in corpus.replay(count, source="bench"):
            fh.write(orjson.dumps(rec) + b"\n")


def bare_segmentation(path: Path, limit: int) -> tuple[float, int]:
    """Seconds for rjieba ``cut`` of every title and text (first ``limit`` records), one process."""
    import orjson
    import rjieba

    jieba = rjieba.Jieba()
    texts = []
    with path.open("rb") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                break
            rec = orjson.loads(line)
            texts.append(rec["title"])
            texts.append(rec["text"])
    jieba.cut("预热", True)
    started = time.perf_counter()
    for t in texts:
        jieba.cut(t, True)
    return time.perf_counter() - started, len(texts) // 2


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "media-bench"))
    args = parser.parse_args(argv)
    directory = Path(args.dir)
    db = directory / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    setup(directory)
    from django.core.management import call_command

    from wenzhi.media.models import Source
    from wenzhi.media.pipeline import ingest_file

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated a fresh database in {time.perf_counter() - t0:.0f} s: {db}")
    data = directory / f"replay-{args.count}.jsonl"
    if not data.exists():
        write_corpus(data, args.count)
    print(f"corpus: {args.count:,} records, {data.stat().st_size / 1e6:.0f} MB ({data})")
    source = Source.objects.create(name="bench replay", kind="file")
    step = min(100_000, max(args.count // 10, 1))
    marks = {"next": step, "stored": 0, "seconds": 0.0, "writer": _cpu()}

    def progress(total, seconds):
        if total.stored >= marks["next"]:
            marks["next"] += step
            n, writer = total.stored - marks["stored"], _cpu()
            print(f"  {total.stored:>9,} stored  {total.stored / seconds:7,.0f} docs/s overall  "
                  f"{n / (seconds - marks['seconds']):7,.0f} docs/s over the last {n:,}  "
                  f"writer CPU {1000 * (writer - marks['writer']) / n:.3f} ms/doc  load {os.getloadavg()[0]:.1f}",
                  flush=True)
            marks.update(stored=total.stored, seconds=seconds, writer=writer)

    cpu0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = ingest_file(str(data), source, jobs=args.jobs, batch=args.batch, progress=progress)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    writer_cpu, workers_cpu = (b.ru_utime + b.ru_stime - a.ru_utime - a.ru_stime
                               for a, b in zip(cpu0, cpu1, strict=True))
    cpu = writer_cpu + workers_cpu
    r = stats.result
    print(f"ingested {r.stored:,} documents ({r.new:,} new, {r.duplicates:,} grouped duplicates, {r.rejected} "
          f"rejected) in {stats.seconds:.1f} s: {stats.rate:,.0f} docs/s wall; {cpu:.0f} CPU-seconds "
          f"({r.stored / cpu:,.0f} docs per CPU-second)")
    per_doc = 1000 / max(r.stored, 1)
    print(f"CPU per document: {cpu * per_doc:.3f} ms = writer {writer_cpu * per_doc:.3f} ms (read, dedup, insert, "
          f"index) + analysis workers {workers_cpu * per_doc:.3f} ms; with one writer the rate on two idle cores "
          f"is at most {min(r.stored / max(writer_cpu, 1e-9), 2 * r.stored / max(cpu, 1e-9)):,.0f} docs/s")
    seg_seconds, seg_docs = bare_segmentation(data, min(args.count, 200_000))
    seg_rate = seg_docs / seg_seconds
    print(f"bare rjieba cut of the same titles and texts: {seg_rate:,.0f} docs/s (first {seg_docs:,} records); "
          f"ingestion takes {seg_rate / stats.rate:.1f}x the time of bare segmentation")
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: writer {self_mb:,.0f} MB, largest analysis worker {child_mb:,.0f} MB; "
          f"sum with {args.jobs} workers ≤ {self_mb + args.jobs * child_mb:,.0f} MB")
    from wenzhi.core.search.models import SearchEntry

    print(f"documents {Source.objects.get(pk=source.pk).documents.count():,}, search entries "
          f"{SearchEntry.objects.filter(type='document').count():,}, database {db.stat().st_size / 1e9:.2f} GB")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
