"""Page latency: p95 of each list page and the dashboard vs the p95 of a trivial view, same run.

Usage (on a database with the demo data loaded, e.g. after `make run` once, or):

    DATABASE_URL=sqlite:////tmp/wenzhi-bench.sqlite3 .venv/bin/wenzhi setup      # migrate + demo (25k)
    DATABASE_URL=sqlite:////tmp/wenzhi-bench.sqlite3 .venv/bin/python bench/page_latency.py [--n 40]

Requests go through Django's full stack in process (middleware, sessions, templates, queries) as the
demo city administrator and as the demo district officer; the bar is p95(page) <= 3 x p95(trivial), where
the trivial view is the "about" page: the same shell (navigation, user, language switch) and no data queries.
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
    client.get(url)  # warm caches and template loading
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        resp = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        if resp.status_code != 200:
            raise SystemExit(f"{url} answered {resp.status_code}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40, help="requests per page")
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
    print(f"database: {settings.DATABASES['default']['NAME']}")
    for model_counts in hooks.bench_counts() if hasattr(hooks, "bench_counts") else []:
        print(model_counts)
    failures = 0
    for username in usernames:
        user = User.objects.filter(username=username).first()
        if user is None:
            print(f"no user {username!r}: load the demo data first (wenzhi setup / wenzhi demo)")
            return 2
        client = Client()
        client.force_login(user)
        urls = ["/"]
        for entry in hooks.nav_for(user):
            url = reverse(entry.url_name)
            if url not in urls:
                urls.append(url)
        urls += [u for u in getattr(hooks, "bench_urls", lambda: [])() if u not in urls]
        trivial = p95(measure(client, reverse("about"), args.n * 2))
        print(f"\nuser {username} ({'、'.join(user.role_labels)}), n={args.n} per page")
        print(f"  {'trivial view (about page)':<48} p95 {trivial:8.2f} ms")
        for url in urls:
            times = measure(client, url, args.n)
            ratio = p95(times) / trivial
            ok = ratio <= 3.0
            failures += not ok
            print(f"  {url:<48} p95 {p95(times):8.2f} ms  median {statistics.median(times):8.2f} ms  "
                  f"{ratio:5.2f}x trivial  {'OK' if ok else 'OVER 3x'}")
    print(f"\n{'all pages within 3x the trivial view (about page)' if not failures else f'{failures} page(s) over 3x'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
