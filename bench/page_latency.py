"""Page latency: p95 of each list page and the dashboard vs the p95 of a trivial view, same run.

Usage (on a database with the demo data loaded, e.g. after `make run` once, or):

    DATABASE_URL=sqlite:////tmp/wenzhi-bench.sqlite3 .venv/bin/wenzhi setup      # migrate + demo (25k)
    DATABASE_URL=sqlite:////tmp/wenzhi-bench.sqlite3 .venv/bin/python bench/page_latency.py [--n 60]

Requests go through Django's full stack in process (middleware, sessions, templates, queries) as the
demo city administrator and as the demo district officer. The bar: p95(page) <= 3 x p95(trivial), where the
trivial view is the "about" page: the same shell (navigation, user, language switch) and no data queries.
Requests are interleaved (one round = every page once, trivial included), so background load on the
machine falls on every page alike. Both wall-clock and CPU time (this process: Django and SQLite) are
printed; CPU time does not count waiting for a core that another process holds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def measure(client, url: str, n: int) -> list[float]:
    """Wall-clock milliseconds of ``n`` GETs of ``url`` after one warm-up request (used by registry_lists)."""
    resp = client.get(url)
    if resp.status_code != 200:
        raise SystemExit(f"{url} answered {resp.status_code}")
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=60, help="rounds (requests per page)")
    parser.add_argument("--user", action="append", default=[], help="usernames (default: admin, district)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from wenzhi.core import hooks
    from wenzhi.core.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    usernames = args.user or ["admin", "district"]
    print(f"database: {settings.DATABASES['default']['NAME']}  rounds: {args.n}")
    print("'/' is the dashboard as served (figures cached per scope for WENZHI_DASHBOARD_CACHE_SECONDS);"
          " '/ (uncached)' recomputes every figure on every request")
    ttl = settings.WENZHI_DASHBOARD_CACHE_SECONDS
    failures = 0
    for username in usernames:
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"no user {username!r}: load the demo data first (wenzhi setup / wenzhi demo)")
            return 2
        client = Client()
        client.force_login(user)
        trivial = reverse("about")
        urls = ["/", "/ (uncached)"]
        for entry in hooks.nav_for(user):
            url = reverse(entry.url_name)
            if url not in urls and url != trivial:
                urls.append(url)
        times: dict[str, list[float]] = {u: [] for u in [trivial, *urls]}
        cpu: dict[str, list[float]] = {u: [] for u in times}
        def get(url, client=client):
            if url == "/ (uncached)":
                settings.WENZHI_DASHBOARD_CACHE_SECONDS = 0
                try:
                    return client.get("/")
                finally:
                    settings.WENZHI_DASHBOARD_CACHE_SECONDS = ttl
            return client.get(url)

        for url in times:  # warm caches and template loading
            resp = get(url)
            if resp.status_code != 200:
                raise SystemExit(f"{url} answered {resp.status_code}")
        for _ in range(args.n):
            for url in times:
                t0, c0 = time.perf_counter(), time.process_time()
                get(url)
                times[url].append((time.perf_counter() - t0) * 1000)
                cpu[url].append((time.process_time() - c0) * 1000)
        base = p95(times[trivial])
        cpu_base = p95(cpu[trivial])
        print(f"\nuser {username} ({'、'.join(user.role_labels)})")
        print(f"  {'page':<42} {'wall p95':>9} {'median':>8} {'ratio':>6}   {'CPU p95':>8} {'ratio':>6}")
        print(f"  {'trivial view (about page)':<42} {base:7.2f}ms {statistics.median(times[trivial]):6.2f}ms "
              f"{'':>6}   {cpu_base:6.2f}ms")
        for url in urls:
            ratio = p95(times[url]) / base
            cpu_ratio = p95(cpu[url]) / cpu_base
            ok = ratio <= 3.0
            failures += not ok
            print(f"  {url:<42} {p95(times[url]):7.2f}ms {statistics.median(times[url]):6.2f}ms {ratio:5.2f}x   "
                  f"{p95(cpu[url]):6.2f}ms {cpu_ratio:5.2f}x  {'OK' if ok else 'OVER 3x'}")
    print(f"\n{'all pages within 3x the trivial view' if not failures else f'{failures} page(s) over 3x'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
