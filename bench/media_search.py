"""Full-text search over the documents ``bench/media_ingest.py`` stored: a two-word Chinese query with a date
filter, as the document list and ``/api/v1/documents/?q=…&published_from=…&published_to=…`` run it.

    PYTHONPATH=src .venv/bin/python bench/media_search.py [--dir /tmp/media-bench] [--queries 300]

Queries: two words that occur together in stored titles (drawn from the headline corpus, seeded), each with a
random 30-day window inside the year the documents span. Timed: :func:`wenzhi.media.search.search_documents`
for a media editor (best 20 ranked among the newest 1,000 matches, as the search page and ``/api/v1/search``
rank documents; for the ratio, the same with every match ranked) and the list's id query (every match's id, up
to 5,000, as the list page and the API read them). Prints p50/p95/max, the number of documents and the load
average. The date filter is what the engine does best with: on SQLite day and month key tokens inside the FTS5
query, on PostgreSQL a condition on the entries' day column (``category``) checked on the words' GIN matches
(``Backend.ranges_as_keys``).

``--database-url postgres://…`` searches a PostgreSQL database instead (fill it once, then run the timed
queries against it again without ``--fill``; a million took 1,472 s on PostgreSQL and 1,714 s on SQLite, on
the shared 2-core machine at load 6-9):

    PYTHONPATH=src .venv/bin/python bench/media_search.py --database-url postgres://postgres@127.0.0.1/wt_search \
        --fill 1000000 --queries 20
    PYTHONPATH=src .venv/bin/python bench/media_search.py \
        --database-url postgres://postgres@127.0.0.1/wt_search --queries 300

``--fill N`` first tops the database up to N documents without ingesting them (ingestion is far slower than a
search benchmark needs): each generated document is a real headline of the shared corpus (THUCNews titles, as
``wenzhi.media.corpus`` reads them) as title and two more headlines or reviews as text, published at a random
time in the year before the newest stored document (or today), in a random district. Their rows are written by
the same functions ingestion uses -- ``Document`` rows by ``bulk_create`` and the index entries by
:func:`wenzhi.media.search.entries_for` from words cut by the index's segmenter -- in batches, inside the
search backend's ``bulk_load`` (the full-text index is built once at the end). Not done for filled documents:
deduplication, analysis (sentiment, topic, entity links), the ``documents_stored`` signal. Filled documents are
searched exactly as ingested ones.

    PYTHONPATH=src .venv/bin/python bench/media_search.py --fill 1000000 --queries 300
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def fill(target: int, batch: int = 10_000) -> None:
    """Top the documents up to ``target`` (see the module's docstring)."""
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from wenzhi.core import selectors as core_selectors
    from wenzhi.core.search import text as search_text
    from wenzhi.core.search.backends import backend
    from wenzhi.media import corpus
    from wenzhi.media.analysis import Analysis
    from wenzhi.media.models import Document, Source
    from wenzhi.media.search import entries_for

    call_command("migrate", verbosity=0)
    missing = target - Document.objects.count()
    if missing <= 0:
        return
    t0 = time.perf_counter()
    heads = list(corpus.headlines())
    texts = heads + list(corpus.reviews())
    words = [search_text.index_words(t) for t in texts]
    print(f"fill: {len(texts):,} corpus texts segmented in {time.perf_counter() - t0:.0f} s")
    source, _ = Source.objects.get_or_create(name="bench fill", defaults={"kind": "file"})
    districts = list(core_selectors.districts().values_list("pk", flat=True)) or [None]
    end = Document.objects.aggregate(m=Max("published_at"))["m"] or timezone.now()
    rng = random.Random(11)
    t0 = time.perf_counter()
    with backend().bulk_load():
        done = 0
        while done < missing:
            docs, analyses = [], []
            for _ in range(min(batch, missing - done)):
                t, a, b = rng.randrange(len(heads)), rng.randrange(len(texts)), rng.randrange(len(texts))
                body = f"{texts[a]}。{texts[b]}"
                docs.append(Document(source=source, title=heads[t][:500], text=body, clean_text=body,
                                     published_at=end - timedelta(seconds=rng.uniform(0, 365 * 86400)),
                                     district_id=rng.choice(districts), analysed_at=end))
                analyses.append(Analysis(clean_text=body, title_words=words[t], body_words=f"{words[a]} {words[b]}"))
            with transaction.atomic():
                Document.objects.bulk_create(docs, batch_size=1000)
                from wenzhi.core.search.models import SearchEntry

                SearchEntry.objects.bulk_create(entries_for(docs, analyses), batch_size=1000)
            done += len(docs)
            if done % 100_000 < batch:
                print(f"  filled {done:,} / {missing:,} ({done / (time.perf_counter() - t0):,.0f} documents/s)")
    print(f"fill: {missing:,} documents and index entries in {time.perf_counter() - t0:.0f} s (index built)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "media-bench"))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--fill", type=int, default=0, help="top the database up to this many documents first")
    parser.add_argument("--database-url", help="another database than the sqlite file in --dir (e.g. postgres)")
    args = parser.parse_args(argv)
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    os.environ["WENZHI_VAR_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    os.environ["WENZHI_DEMO_FEEDS"] = "0"
    import django

    django.setup()
    if args.fill:
        fill(args.fill)
    from django.db import connection
    from django.db.models import Max, Min

    from wenzhi.core.choices import Role
    from wenzhi.core.search import text as search_text
    from wenzhi.core.services import user_create
    from wenzhi.media import corpus
    from wenzhi.media.models import Document
    from wenzhi.media.search import matching_document_ids, search_documents

    user = user_create(username=f"bench-{time.time_ns()}", password=None, roles=[Role.MEDIA_EDITOR],
                       organisation=None)
    n = Document.objects.count()
    span = Document.objects.aggregate(a=Min("published_at"), b=Max("published_at"))
    rng = random.Random(7)
    heads = corpus.headlines()
    queries = []
    while len(queries) < args.queries:
        words = [w for w in search_text.query_words(rng.choice(heads)) if len(w) >= 2]
        if len(words) >= 2:
            a, b = rng.sample(words, 2)
            start = span["a"] + timedelta(days=rng.uniform(0, max(1, (span["b"] - span["a"]).days - args.days)))
            queries.append((f"{a} {b}", start.date(), (start + timedelta(days=args.days)).date()))
    for q, s, e in queries[:5]:  # warm the page cache and the segmenter
        search_documents(user, q, start=s, end=e)

    def timed(fn) -> tuple[list[float], list[int]]:
        times, hits = [], []
        for q, s, e in queries:
            t = time.perf_counter()
            hits.append(fn(q, s, e))
            times.append((time.perf_counter() - t) * 1000)
        return times, hits

    def ranked(q, s, e):
        return len(search_documents(user, q, start=s, end=e, limit=20))

    def ranked_all(q, s, e):
        return len(search_documents(user, q, start=s, end=e, limit=20, rank_newest=None))

    def ids(q, s, e):
        found = matching_document_ids(user, q, start=s, end=e)
        if found is None:
            return 0
        sql, params = found
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT 5001", params)
            return len(cursor.fetchall())

    print(f"{n:,} documents, {span['a']:%Y-%m-%d} – {span['b']:%Y-%m-%d}; {len(queries)} two-word queries, "
          f"{args.days}-day windows")
    runs = (("ranked best 20 (newest 1,000 scored)", ranked), ("ranked best 20, every match scored", ranked_all),
            ("all matching ids (list/API)", ids))
    for label, fn in runs:
        times, hits = timed(fn)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{label:37s} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  "
              f"(median {statistics.median(hits):.0f} hits, {sum(1 for h in hits if h)} queries with hits)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
