"""Benefit-card top-up storm: 10,000 cards × 3 concurrent top-ups with network retries.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_card_bench \\
        .venv/bin/python bench/consumption_topups.py [--cards 10000] [--topups 3] [--threads 16] [--retry 0.5]

Each card gets ``--topups`` distinct top-ups (its own request key each); every request is sent once and, with
probability ``--retry``, sent again as a network retry would be — by another thread, at about the same time, so
the original and its retry race on the card's lock. All requests are shuffled and run by ``--threads`` threads,
each on its own database connection, through ``services.card_topup`` (the same path as the page and the API).

Checks, printed: every card's balance equals the sum of its ledger rows; no top-up counted twice (one TopUp per
(card, key), one ledger row per TopUp, total credited = distinct top-ups × amount); no request failed. Prints the
wall time, throughput, latency percentiles and the machine's load average (the machine is shared).

The database is migrated on first use (PostgreSQL: the database is created if missing; SQLite works too, with
its IMMEDIATE transactions, but serialises every writer). Earlier bench cards are deleted first.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wt_card_bench")

AMOUNT_FEN = 50_00
PREFIX = "8888"


def _create_postgres_database(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup(cards: int):
    import django

    _create_postgres_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wenzhi.consumption.card.models import Card, CardPolicy, LedgerEntry, TopUp
    from wenzhi.core.choices import Role
    from wenzhi.core.models import User

    bench_cards = Card.objects.filter(number__startswith=PREFIX)
    LedgerEntry.objects.filter(card__in=bench_cards).delete()
    TopUp.objects.filter(card__in=bench_cards).delete()
    bench_cards.delete()
    CardPolicy.objects.update_or_create(pk=1, defaults={"topup_min_fen": 100, "topup_max_fen": 200_000,
                                                        "balance_max_fen": 500_000})
    admin, _ = User.objects.get_or_create(username="bench-card-admin")
    admin.roles, admin.is_active = [Role.CITY_ADMIN], True
    admin.set_unusable_password()
    admin.save()
    Card.objects.bulk_create([Card(number=f"{PREFIX}{i:012d}") for i in range(cards)], batch_size=2000)
    return admin, list(Card.objects.filter(number__startswith=PREFIX).order_by("id"))


def storm(admin, cards, *, topups: int, threads: int, retry: float, seed: int):
    from django.db import connections

    from wenzhi.consumption.card import services

    rng = random.Random(seed)
    requests = []
    for card in cards:
        for k in range(topups):
            requests.append((card, f"bench-{card.pk}-{k}"))
            if rng.random() < retry:
                requests.append((card, f"bench-{card.pk}-{k}"))  # the same request again: a network retry
    rng.shuffle(requests)
    work: queue.Queue = queue.Queue()
    for r in requests:
        work.put(r)
    latencies: list[float] = []
    errors: list[str] = []
    replays = [0]
    lock = threading.Lock()

    def worker() -> None:
        mine, bad, again = [], [], 0
        try:
            while True:
                try:
                    card, key = work.get_nowait()
                except queue.Empty:
                    break
                t0 = time.perf_counter()
                try:
                    topup = services.card_topup(actor=admin, card=card, amount_fen=AMOUNT_FEN, client_key=key,
                                                channel="counter")
                    again += int(topup.replayed)
                except Exception as exc:  # noqa: BLE001 - a failed request is a finding, printed below
                    bad.append(f"{type(exc).__name__}: {exc}")
                mine.append(time.perf_counter() - t0)
        finally:
            connections.close_all()
            with lock:
                latencies.extend(mine)
                errors.extend(bad)
                replays[0] += again

    start = time.perf_counter()
    cpu0 = time.process_time()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    while any(t.is_alive() for t in pool):  # progress, so a run cut short still shows how far it got
        pool[0].join(timeout=30)
        done = len(requests) - work.qsize()
        print(f"  … {done:,}/{len(requests):,} requests sent after {time.perf_counter() - start:.0f} s", flush=True)
    for t in pool:
        t.join()
    return len(requests), time.perf_counter() - start, time.process_time() - cpu0, latencies, errors, replays[0]


def verify(cards, topups: int) -> dict:
    from django.db.models import Count, Sum

    from wenzhi.consumption.card.models import LedgerEntry, TopUp
    from wenzhi.consumption.card.selectors import card_balance_check

    ids = [c.pk for c in cards]
    check = card_balance_check(ids)
    topup_rows = TopUp.objects.filter(card_id__in=ids)
    doubled = topup_rows.values("card_id", "client_key").annotate(n=Count("id")).filter(n__gt=1).count()
    entries = LedgerEntry.objects.filter(card_id__in=ids)
    return {"cards": len(ids), "mismatched": len(check.mismatched), "topups": topup_rows.count(),
            "expected_topups": len(ids) * topups, "doubled_keys": doubled, "ledger_rows": entries.count(),
            "credited_fen": entries.aggregate(s=Sum("amount_fen"))["s"] or 0,
            "expected_fen": len(ids) * topups * AMOUNT_FEN, "cached_total_fen": check.cached_total_fen}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=10_000)
    ap.add_argument("--topups", type=int, default=3)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--retry", type=float, default=0.5, help="share of requests sent a second time")
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args()
    t0 = time.perf_counter()
    admin, cards = setup(args.cards)
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); setup {time.perf_counter() - t0:.1f} s")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    n, wall, cpu, lat, errors, replays = storm(admin, cards, topups=args.topups, threads=args.threads,
                                               retry=args.retry, seed=args.seed)
    load = os.getloadavg()
    lat.sort()
    pct = {p: lat[min(len(lat) - 1, int(len(lat) * p / 100))] * 1000 for p in (50, 95, 99)}
    print(f"{n:,} requests ({args.cards:,} cards × {args.topups} top-ups, {n - args.cards * args.topups:,} retries) "
          f"by {args.threads} threads in {wall:.1f} s: {n / wall:,.0f} requests/s; process CPU {cpu:.1f} s")
    print(f"latency ms: p50 {pct[50]:.1f}  p95 {pct[95]:.1f}  p99 {pct[99]:.1f}  max {lat[-1] * 1000:.1f}; "
          f"mean {statistics.fmean(lat) * 1000:.1f}")
    print(f"answered as a replay (retry found the first top-up): {replays:,}; failed requests: {len(errors)}")
    for e in errors[:5]:
        print("  ", e)
    v = verify(cards, args.topups)
    print(f"cards {v['cards']:,}: balance ≠ ledger sum on {v['mismatched']}; top-ups {v['topups']:,} "
          f"(expected {v['expected_topups']:,}); keys counted twice {v['doubled_keys']}; ledger rows "
          f"{v['ledger_rows']:,}; credited {v['credited_fen']:,} fen (expected {v['expected_fen']:,}, cached balances "
          f"{v['cached_total_fen']:,})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in load)}")
    ok = (not errors and v["mismatched"] == 0 and v["doubled_keys"] == 0 and v["topups"] == v["expected_topups"]
          and v["ledger_rows"] == v["topups"] and v["credited_fen"] == v["expected_fen"] == v["cached_total_fen"])
    print("RESULT:", "balanced, nothing counted twice" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
