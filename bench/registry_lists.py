"""Registry list pages with filters at Tianjin scale: p95 of each vs the p95 of the trivial view, same run.

Usage (on a database with the demo registry, 25,000 enterprises):

    DATABASE_URL=sqlite:////tmp/wenzhi-bench.sqlite3 .venv/bin/wenzhi setup
    DATABASE_URL=sqlite:////tmp/wenzhi-bench.sqlite3 .venv/bin/python bench/registry_lists.py [--n 40]

Same method as bench/page_latency.py (in-process requests through the full stack, the about page as the
trivial view), but over the filtered, sorted and searched list URLs people actually use, as the city
administrator (all 25,000 rows) and as a district officer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_latency import measure, p95  # noqa: E402

URLS = [
    "/registry/enterprises/",
    "/registry/enterprises/?sector=animation_games",
    "/registry/enterprises/?tag=above_scale&sort=-latest_revenue",
    "/registry/enterprises/?culture_category=02&ownership=private&page=3",
    "/registry/enterprises/?district={district}&sort=-intelligent_score",
    "/registry/enterprises/?q=%E5%8A%A8%E6%BC%AB",
    "/registry/parks/?level=municipal",
    "/registry/talents/?category=high_end",
    "/registry/directories/",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40, help="requests per page")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from wenzhi.core.models import User
    from wenzhi.registry.models import Enterprise

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from wenzhi.core.models import SearchEntry

    indexed = SearchEntry.objects.filter(type="enterprise").count()
    print(f"database: {settings.DATABASES['default']['NAME']}; enterprises: {Enterprise.objects.count():,}; "
          f"in the search index: {indexed:,}")
    if not indexed:
        print("the search index is empty: run `wenzhi search rebuild` (or `wenzhi setup`) first")
        return 2

    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    failures = 0
    for username in ("admin", "district"):
        user = User.objects.filter(username=username).first()
        if user is None:
            print("no demo accounts: run `wenzhi setup` (or `wenzhi demo`) first")
            return 2
        client = Client()
        client.force_login(user)
        district = user.organisation.district_id or Enterprise.objects.values_list("district_id", flat=True)[0]
        trivial = p95(measure(client, reverse("about"), args.n * 2))
        print(f"\nuser {username}, n={args.n} per page\n  {'trivial view (about page)':<66} p95 {trivial:7.2f} ms")
        for url in URLS:
            url = url.format(district=district)
            times = measure(client, url, args.n)
            ratio = p95(times) / trivial
            failures += ratio > 3.0
            print(f"  {url:<66} p95 {p95(times):7.2f} ms  median {statistics.median(times):7.2f} ms  "
                  f"{ratio:5.2f}x {'OK' if ratio <= 3.0 else 'OVER 3x'}")
    load = os.getloadavg()
    print(f"\n{'all registry lists within 3x the trivial view' if not failures else f'{failures} over 3x'}; "
          f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
