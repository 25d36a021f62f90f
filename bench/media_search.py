"""Full-text search over the documents ``bench/media_ingest.py`` stored: a two-word Chinese query with a date
filter, as the document list and ``/api/v1/documents/?q=…&published_from=…&published_to=…`` run it.

    PYTHONPATH=src .venv/bin/python bench/media_search.py [--dir /tmp/media-bench] [--queries 300]

Queries: two words that occur together in stored titles (drawn from the headline corpus, seeded), each with a
random 30-day window inside the year the documents span. Timed: :func:`wenzhi.media.search.search_documents`
for a city official (best 20, ranked) and the list's id query (every match's id, up to 5,000, as the list page
and the API read them). Prints p50/p95/max, the number of documents and the load average.
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "media-bench"))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args(argv)
    directory = Path(args.dir)
    os.environ["WENZHI_VAR_DIR"] = str(directory)
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    import django

    django.setup()
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
    for label, fn in (("ranked best 20", ranked), ("all matching ids (list/API)", ids)):
        times, hits = timed(fn)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{label:30s} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  max {times[-1]:6.1f} ms  "
              f"(median {statistics.median(hits):.0f} hits, {sum(1 for h in hits if h)} queries with hits)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
