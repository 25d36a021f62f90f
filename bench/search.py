"""Full-text search over 1,000,000 indexed rows: p95 of a two-word query with a filter, on SQLite or PostgreSQL.

Usage (on a database with the demo registry; the README's benchmark section builds one):

    DATABASE_URL=sqlite:////tmp/wenzhi-search-1m.sqlite3 .venv/bin/wenzhi setup      # once
    .venv/bin/python bench/search.py --database-url sqlite:////tmp/wenzhi-search-1m.sqlite3
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/wenzhi_search

The registry is indexed (``wenzhi search rebuild``) and the index is filled up to ``--rows`` with generated
documents: titles and texts made of real Chinese news titles and culture/travel sentences (THUCNews,
TNEWS, from ../shared/data/nlp), segmented once and written straight into the index table in batches, each
placed in one of the 16 districts. Then each query runs through the search service (permission, scope,
segmentation, SQL, result URLs) as the city administrator with a district filter and as a district officer
(whose scope is the filter), and the p50/p95 are printed with the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

QUERIES = ["动漫 设计", "文化 旅游", "电影 票房", "博物馆 展览", "游戏 公司", "天津 文化", "音乐 演出", "古镇 旅游"]
# The generated rows' search type: their own (media registers "document" for its real documents).
TYPE = "benchdoc"
COLUMNS = ("type", "object_id", "title", "snippet", "title_tokens", "body", "keys", "district_id", "park_id",
           "enterprise_id", "public", "sector", "category", "kind", "year")


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def corpus() -> list[str]:
    """Real Chinese sentences: news titles and culture/entertainment/travel sentences."""
    from wenzhi.nlp.train import find_shared_data

    data = find_shared_data()
    if data is None:
        raise SystemExit("shared/data/nlp not found; set WENZHI_SHARED_DATA")
    out = [line.split("\t", 1)[0] for line in (data / "THUCNews_titles" / "dev.txt").read_text().splitlines()]
    for path in sorted((data / "THUCNews_titles" / "train").glob("*.txt")):
        out += [line.split("\t", 1)[0] for line in path.read_text().splitlines()[:20_000]]
    for line in (data / "tnews_culture_entertainment_travel_subset.jsonl").read_text().splitlines():
        out.append(json.loads(line)["sentence"])
    return [s for s in out if s.strip()]


def generate(missing: int, districts: list[int], batch: int = 5000) -> None:
    """Write ``missing`` generated documents straight into the index table, ``batch`` rows per transaction."""
    from wenzhi.core.models import SearchEntry
    from wenzhi.core.search import text
    from wenzhi.core.search.backends import backend

    sentences = corpus()
    t0 = time.perf_counter()
    tokens = [text.index_words(s) for s in sentences]
    print(f"  corpus: {len(sentences):,} sentences segmented in {time.perf_counter() - t0:.1f} s")
    rng = random.Random(7)
    start = (SearchEntry.objects.filter(type=TYPE).order_by("-object_id")
             .values_list("object_id", flat=True).first() or 0) + 1
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO core_search_entry ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608 - fixed names
    t0 = time.perf_counter()
    with backend().bulk_load():
        _insert(missing, start, batch, sql, sentences, tokens, districts, rng, t0)
    print(f"  full-text index built: {missing:,} documents in {time.perf_counter() - t0:.1f} s")


def _insert(missing, start, batch, sql, sentences, tokens, districts, rng, t0) -> None:
    from django.db import connection, transaction

    done = 0
    while done < missing:
        rows = []
        for i in range(start + done, start + min(done + batch, missing)):
            title = rng.randrange(len(sentences))
            body = " ".join(tokens[rng.randrange(len(tokens))] for _ in range(rng.randint(3, 6)))
            district = rng.choice(districts)
            year = rng.randint(2015, 2020)
            rows.append((TYPE, i, sentences[title][:300], "", tokens[title], body,
                         f"t{TYPE} d{district} y{year} v{TYPE}d{district}", district, None, None, False, "", "",
                         "", year))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        done += len(rows)
        if done % (batch * 20) == 0 or done == missing:
            rate = done / (time.perf_counter() - t0)
            print(f"  generated {done:,} / {missing:,} documents ({rate:,.0f} rows/s)")


def measure(func, n: int) -> list[float]:
    func()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        func()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="the database to use (default: DATABASE_URL)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="indexed rows to reach (default 1,000,000)")
    parser.add_argument("--n", type=int, default=60, help="runs of each query per user")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from wenzhi.core import search
    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation, SearchEntry, User
    from wenzhi.core.search import catalogue

    # The generated documents as a searchable type of their own (bench only: no model writes them).
    catalogue.register(search.SearchType(key=TYPE, label="文档", model=SearchEntry, action="search.use",
                                         url_name="core:organisation_detail", rows=SearchEntry.objects.none,
                                         document=lambda row: search.Document(title="")))
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    registry_types = [t.key for t in search.types() if t.key != TYPE]
    if not SearchEntry.objects.filter(type__in=registry_types, keys__contains=" v").exists():
        t0 = time.perf_counter()
        counts = {k: search.rebuild(k)[k] for k in registry_types}
        print(f"  registry indexed: {counts} in {time.perf_counter() - t0:.1f} s")
    districts = list(Organisation.objects.filter(level=Level.DISTRICT).values_list("id", flat=True))
    total = SearchEntry.objects.count()
    if total < args.rows:
        generate(args.rows - total, districts)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE core_search_entry")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    print(f"indexed rows: {SearchEntry.objects.count():,}")
    admin = User.objects.get(username="admin")
    officer = User.objects.get(username="district")
    district = officer.organisation.district_id
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores, shared)")
    everything: list[float] = []
    print(f"\n{'query':<14}{'user':<10}{'matches':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for q in QUERIES:
        for name, user, filters in (("admin", admin, {"district": district}), ("district", officer, {})):
            found = search.search(user, q, filters=filters, facets=True)
            matches = sum(found.facets["type"].values())
            times = measure(lambda user=user, q=q, filters=filters: search.search(user, q, filters=filters), args.n)
            everything += times
            print(f"{q:<14}{name:<10}{matches:>9,}{statistics.median(times):>9.2f}{p95(times):>9.2f}")
    load = os.getloadavg()
    overall = p95(everything)
    print(f"\nall queries: p95 {overall:.2f} ms over {len(everything):,} searches "
          f"({'within' if overall <= 50 else 'OVER'} 50 ms); load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0 if overall <= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
