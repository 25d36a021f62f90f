"""Document arrival → opinion alert, under ingestion load, on the embedded default: SQLite WAL, the database task
queue, and the task workers exactly as ``wenzhi serve`` (``make run``) starts them -- the bench runs
``wenzhi serve --workers 1``, which starts one ``db_worker`` per queue (``default``: alert batches, ingestion;
``slow``: reports, the tick, sends; see ``wenzhi.core.tasks``) and one web process.

    PYTHONPATH=src .venv/bin/python bench/media_alerts.py [--count 50000] [--every 100] [--jobs 2]
        [--reports-every 0] [--dir /tmp/media-alerts]

Writes ``count`` short documents replayed from the shared corpora (as ``bench/media_ingest.py`` does), every
``every``-th one rewritten into a distinct incident headline that an alert rule watches. The ingestion runs
through the media app's own file pipeline (``wenzhi media ingest``'s code: read → analyse in ``jobs`` forked
processes → dedup → store in batches → ``documents_stored``), at full speed in this process, while the workers
run the alert tasks the signal enqueues. Active rules: the incident keywords, strong negative sentiment, and a
volume spike per district.

Before the ingestion starts the bench waits until both workers run tasks (an empty alert batch, then the tick
it queues): a running platform's workers are up before documents arrive. The database is new, so that tick
finds the three scheduled reports (daily, weekly, monthly; a PDF each) due and queues them: they are written
while the first documents arrive. ``--reports-every S`` also queues an opinion report
(``report_make_task``, daily, weekly and monthly in turn) every S seconds while documents are being ingested,
so reports are being written throughout the run. Their number and run times are printed.

Arrival is the document's stored time (``fetched_at``, written when its batch is stored, before the commit
that makes it visible); the alert time is when the document was matched to its alert (``matched_at``: the
alert's ``raised_at`` when it raised the alert, later when it joined an alert already open -- a near-duplicate
incident story joins its group's alert, and measuring it from the alert's ``raised_at`` gave negative delays).
Both are taken at the start of the alert task; its commit follows within the task's run time, printed too.
Prints p50/p95/max of the delay over every incident document, how many incident documents got an alert, the
alert tasks' queue wait and run time, the report tasks' run times, the ingestion rate and the load average.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

INCIDENTS = ("剧场散场时发生踩踏", "景区游船侧翻事故", "博物馆展厅突发火灾", "演唱会现场坍塌")


def setup(directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    env = {"WENZHI_VAR_DIR": str(directory), "DATABASE_URL": f"sqlite:///{directory / 'alerts.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "wenzhi.config.settings.local", "WENZHI_DEMO_FEEDS": "0",
           "WENZHI_TASKS": "db"}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wenzhi.core import hooks
    from wenzhi.core.models import Organisation
    from wenzhi.core.reference import load_divisions

    load_divisions(Organisation)
    for loader in hooks.reference_loaders():
        loader()
    return env


def write_corpus(path: Path, count: int, every: int) -> int:
    import orjson

    from wenzhi.media import corpus

    incidents = 0
    with path.open("wb") as fh:
        for n, rec in enumerate(corpus.replay(count, source="alerts")):
            if n % every == every - 1:
                rec["title"] = f"{INCIDENTS[incidents % len(INCIDENTS)]}（第{incidents}起）"
                rec["text"] = rec["title"] + "，现场秩序混乱，多名观众受伤，引发网友关注。"
                incidents += 1
            fh.write(orjson.dumps(rec) + b"\n")
    return incidents


def rules() -> None:
    from wenzhi.media.watch.models import AlertRule

    AlertRule.objects.all().delete()
    AlertRule.objects.create(name="突发事件", kind="keyword", keywords=["踩踏", "侧翻", "火灾", "坍塌"],
                             severity="critical")
    AlertRule.objects.create(name="强烈负面", kind="sentiment", negativity=0.97, severity="warning")
    AlertRule.objects.create(name="区域声量突增", kind="volume_spike", entity_kind="district", min_count=50,
                             spike_factor=5, severity="info")


def pending_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).count()


def failed_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="FAILED").count()


def serve(env: dict) -> subprocess.Popen:
    """``wenzhi serve`` with one web process on a free port: the task workers as ``make run`` starts them."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return subprocess.Popen([sys.executable, "-m", "wenzhi.config.cli", "serve", "--workers", "1", "--bind",
                             f"127.0.0.1:{port}"],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def ready(timeout: float) -> None:
    """Wait until both workers run tasks (a running platform's workers are up before documents arrive; under
    load a worker takes half a minute to start): an empty alert batch on the default queue, then the tick it
    queues on the slow queue. The tick queues the reports that are due."""
    from django_tasks_db.models import DBTaskResult

    from wenzhi.media.watch.tasks import ALERTS_PRIORITY, alerts_evaluate_task, at_priority

    at_priority(alerts_evaluate_task, ALERTS_PRIORITY).enqueue([])
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and DBTaskResult.objects.filter(
            task_path__endswith="watch_tick_task", status="SUCCESSFUL").count() == 0:
        time.sleep(0.5)


def queue_reports(every: float, stop: threading.Event) -> None:
    """Queue an opinion report every ``every`` seconds until ``stop`` (daily, weekly, monthly in turn)."""
    from django.db import connection
    from django.utils import timezone

    from wenzhi.media.watch.tasks import CLOCK_PRIORITY, at_priority, report_make_task

    kinds = ("daily", "weekly", "monthly")
    n = 0
    try:
        while not stop.wait(every):
            at_priority(report_make_task, CLOCK_PRIORITY).enqueue(kinds[n % 3], timezone.localdate().isoformat())
            n += 1
    finally:
        connection.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50000)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2, help="analysis processes (as wenzhi media ingest)")
    parser.add_argument("--reports-every", type=float, default=0.0,
                        help="queue an opinion report every this many seconds during the ingestion (0: none)")
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "media-alerts"))
    parser.add_argument("--wait", type=float, default=600.0, help="seconds to wait for the queue to drain")
    args = parser.parse_args()
    directory = Path(args.dir)
    db = directory / "alerts.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = setup(directory)
    corpus_path = directory / "alerts.jsonl"
    incidents = write_corpus(corpus_path, args.count, args.every)
    rules()

    from django.db import connections
    from django.utils import timezone

    from wenzhi.media.models import Document, Source
    from wenzhi.media.pipeline import ingest_file
    from wenzhi.media.watch.models import AlertDocument

    source = Source.objects.create(name="告警基准", kind="file")
    connections.close_all()
    server = serve(env)
    ready(args.wait)
    stop = threading.Event()
    reporter = threading.Thread(target=queue_reports, args=(args.reports_every, stop), daemon=True)
    try:
        if args.reports_every > 0:
            reporter.start()
        started, began = time.perf_counter(), timezone.now()
        stats = ingest_file(str(corpus_path), source, jobs=args.jobs)
        ingest_seconds = time.perf_counter() - started
        stop.set()
        deadline = time.perf_counter() + args.wait
        while pending_tasks() and time.perf_counter() < deadline:
            time.sleep(0.5)
        drained = time.perf_counter() - started
    finally:
        stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    incident_ids = set(Document.objects.filter(source=source, title__contains="（第").values_list("pk", flat=True))
    delays = []
    alerted = set()
    for doc_id, fetched, matched in AlertDocument.objects.filter(
            document_id__in=incident_ids, alert__rule__name="突发事件").order_by("matched_at").values_list(
            "document_id", "document__fetched_at", "matched_at"):
        if doc_id in alerted:
            continue
        alerted.add(doc_id)
        delays.append((matched - fetched).total_seconds())
    from django_tasks_db.models import DBTaskResult

    waits, runs = [], []
    for enqueued, started_at, finished in DBTaskResult.objects.filter(
            task_path__endswith="alerts_evaluate_task", finished_at__isnull=False, enqueued_at__gte=began).values_list(
            "enqueued_at", "started_at", "finished_at"):
        waits.append((started_at - enqueued).total_seconds())
        runs.append((finished - started_at).total_seconds())
    reports = [((finished - started_at).total_seconds(), queue)
               for started_at, finished, queue in DBTaskResult.objects.filter(
                   task_path__contains=".report_", finished_at__isnull=False).values_list(
                   "started_at", "finished_at", "queue_name")]
    load = os.getloadavg()
    print(f"documents ingested: {stats.result.stored:,} in {ingest_seconds:.1f} s "
          f"({stats.result.stored / ingest_seconds:,.0f} documents/s, queue drained after {drained:.1f} s)")
    print(f"incident documents: {incidents:,}; with their alert: {len(alerted):,}; tasks failed: {failed_tasks()}")
    if delays:
        print(f"arrival → alert (s): p50 {percentile(delays, 0.5):.2f}  p95 {percentile(delays, 0.95):.2f}  "
              f"max {max(delays):.2f}  mean {statistics.fmean(delays):.2f}  (bar: p95 ≤ 60 s)")
    if runs:
        print(f"alert tasks: {len(runs)}; queue wait p95 {percentile(waits, 0.95):.2f} s, max {max(waits):.2f} s; "
              f"run time p50 {percentile(runs, 0.5):.2f} s, p95 {percentile(runs, 0.95):.2f} s, "
              f"max {max(runs):.2f} s")
    if reports:
        made = sorted(r for r, _q in reports)
        print(f"report tasks: {len(made)} on queue(s) {sorted({q for _r, q in reports})}; run time p50 "
              f"{percentile(made, 0.5):.2f} s, max {made[-1]:.2f} s, {sum(made):.0f} s in all")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores; "
          f"finished {timezone.now():%Y-%m-%d %H:%M:%S} UTC")


if __name__ == "__main__":
    main()
