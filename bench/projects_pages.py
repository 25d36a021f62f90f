"""Project pages at scale: the project list (plain, filtered, page 50) and a call's ranking table vs the trivial
view, p95 over interleaved rounds in the same run (the bar: ≤ 3× the trivial view).

Usage (on a database with the demo data loaded; the script tops the library up to ``--projects`` labelled demo
projects with bulk inserts first):

    DATABASE_URL=sqlite:////tmp/projects-a/bench.sqlite3 PYTHONPATH=src python -m wenzhi.config.cli setup
    DATABASE_URL=sqlite:////tmp/projects-a/bench.sqlite3 PYTHONPATH=src python bench/projects_pages.py [--n 40]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def top_up(target: int) -> int:
    """Add labelled demo projects until the library holds ``target`` (owners drawn from the demo registry)."""
    from django.db import connection, transaction

    from wenzhi.projects.models import Project
    from wenzhi.registry.models import Enterprise

    have = Project.objects.count()
    if have >= target:
        return have
    owners = list(Enterprise.objects.filter(is_demo=True).values_list("id", "district_id", "park_id", "sector"))
    rng = random.Random(50_000)
    stages = ["reserve", "incubating", "under_construction", "completed", "terminated"]
    with transaction.atomic():
        batch = []
        for i in range(target - have):
            owner, district, park, sector = rng.choice(owners)
            batch.append(Project(name=f"演示项目库扩充项目{i:05d}", owner_id=owner, district_id=district, park_id=park,
                                 sector=sector or "", stage=rng.choice(stages), start_year=rng.choice([2016, 2017, 2018]),
                                 level=rng.choice(["library", "library", "district_key", "city_key"]),
                                 planned_investment=Decimal(rng.randint(100, 50000)) * 10000, is_demo=True,
                                 intelligent=rng.random() < 0.3))
            if len(batch) == 5000:
                Project.objects.bulk_create(batch)
                batch = []
        Project.objects.bulk_create(batch)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Project.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40, help="rounds (requests per page)")
    parser.add_argument("--projects", type=int, default=50_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from wenzhi.core.models import User
    from wenzhi.projects.models import Call

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    total = top_up(args.projects)
    from django.db.models import Count

    call = (Call.objects.filter(is_demo=True, level="city").annotate(n=Count("applications"))
            .order_by("-n", "-year").first())
    if call is None:
        print("no demo calls: run `wenzhi demo` first")
        return 2
    print(f"database: {settings.DATABASES['default']['NAME']}  projects: {total:,}  "
          f"ranking of '{call.name}' ({call.applications.count():,} applications)  rounds: {args.n}")
    failures = 0
    for username in ("admin", "district"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        trivial = reverse("about")
        lst = reverse("projects:project_list")
        urls = [lst, f"{lst}?stage=under_construction", f"{lst}?page=50", f"{lst}?sort=-planned_investment"]
        if username == "admin":
            urls.append(reverse("projects:call_ranking", args=[call.pk]))
        times: dict[str, list[float]] = {u: [] for u in [trivial, *urls]}
        cpu: dict[str, list[float]] = {u: [] for u in times}  # CPU time too: wall time suffers from a busy machine
        for url in times:
            if client.get(url).status_code != 200:
                raise SystemExit(f"{url} answered {client.get(url).status_code}")
        for _ in range(args.n):
            for url in times:
                t0, c0 = time.perf_counter(), time.process_time()
                client.get(url)
                times[url].append((time.perf_counter() - t0) * 1000)
                cpu[url].append((time.process_time() - c0) * 1000)
        base = p95(times[trivial])
        print(f"\nuser {username}: trivial view p95 {base:.2f} ms (median {statistics.median(times[trivial]):.2f}, "
              f"CPU p95 {p95(cpu[trivial]):.2f} ms)")
        for url in urls:
            ratio = p95(times[url]) / base
            failures += ratio > 3.0
            print(f"  {url:<48} p95 {p95(times[url]):8.2f} ms  median {statistics.median(times[url]):8.2f} ms  "
                  f"{ratio:5.2f}x  {'OK' if ratio <= 3.0 else 'OVER 3x'}  "
                  f"(CPU p95 {p95(cpu[url]):8.2f} ms, {p95(cpu[url]) / p95(cpu[trivial]):5.2f}x)")
    print(f"\n{'all within 3x the trivial view' if not failures else f'{failures} page(s) over 3x'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
