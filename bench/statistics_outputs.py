"""Statistics outputs at city scale: every analysis and dashboard query, and the whole quarterly bulletin.

Data: 16 districts × 40+ quarters × 60 indicators (the demo's reports 2016Q1 → the last complete quarter for the
catalogue's 14 indicators, plus 46 bench indicators over the 40 quarters 2009Q1–2018Q4) and the registry demo's
25,000 enterprises with their yearly figures.

    createdb -h 127.0.0.1 -U postgres wt_stats_an_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_stats_an_bench python bench/statistics_outputs.py --setup
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_stats_an_bench python bench/statistics_outputs.py [--n 15]

Bars: each analysis or dashboard query ≤ 200 ms (its p95 over ``--n`` runs after a warm-up); the whole bulletin
(text, the number check, charts, DOCX and PDF) ≤ 10 s. Prints every figure; exit status 1 if a bar is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")

EXTRA_INDICATORS = 46
QUARTERS = [f"{y}Q{q}" for y in range(2009, 2019) for q in (1, 2, 3, 4)]  # 40 quarters
QUERY_BAR_MS = 200.0
BULLETIN_BAR_S = 10.0


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def setup() -> None:
    from django.core.management import call_command

    from wenzhi.core import hooks
    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation
    from wenzhi.statistics.models import DataValue, Indicator
    from wenzhi.statistics.services import period_get

    call_command("migrate", verbosity=0)
    for loader in hooks.reference_loaders():
        loader()
    t0 = time.perf_counter()
    call_command("demo", scale=1.0)  # accounts, the registry's 25,000 enterprises, the statistics reports
    print(f"demo data: {time.perf_counter() - t0:.0f} s")
    districts = list(Organisation.objects.filter(level=Level.DISTRICT))
    rng = random.Random(2018)
    rows = []
    for n in range(1, EXTRA_INDICATORS + 1):
        indicator, _ = Indicator.objects.get_or_create(code=f"bench_{n:02d}", defaults=dict(
            name=f"基准指标{n:02d}", unit="万元", aggregation=("sum", "last", "average")[n % 3], order=1000 + n))
        if DataValue.objects.filter(indicator=indicator).exists():
            continue
        for q, code in enumerate(QUARTERS):
            period = period_get(code)
            for d in districts:
                value = Decimal(rng.uniform(50, 150) * (1.02 ** q)).quantize(Decimal("0.01"))
                rows.append(DataValue(indicator=indicator, organisation=d, district=d, period=period, value=value,
                                      is_demo=True))
        if len(rows) > 20000:
            DataValue.objects.bulk_create(rows, batch_size=5000)
            rows = []
    DataValue.objects.bulk_create(rows, batch_size=5000)
    print("data values:", DataValue.objects.count(), " indicators:", Indicator.objects.count())


def timed(func, n: int) -> list[float]:
    func()  # warm-up
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        func()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def measure_queries(n: int) -> int:
    from types import SimpleNamespace

    from django.test import Client

    from wenzhi.core.models import User
    from wenzhi.registry.models import EnterpriseYearFigure
    from wenzhi.statistics import analysis, outputs
    from wenzhi.statistics.assessment.models import AssessmentScheme
    from wenzhi.statistics.assessment.services import ItemInput, assessment_results, assessment_scheme_save
    from wenzhi.statistics.models import DataValue, Indicator

    admin = User.objects.get(username="admin")
    periods = analysis.periods_with_data()
    latest = periods[0]
    year = int(latest[:4]) - 1
    print(f"data values: {DataValue.objects.count():,}  indicators: {Indicator.objects.count()}  "
          f"enterprise yearly rows: {EnterpriseYearFigure.objects.count():,}  latest quarter: {latest}  runs: {n}")
    scheme = AssessmentScheme.objects.filter(year=year).first() or assessment_scheme_save(
        actor=admin, year=year, name=f"{year}年度基准考核", items=[
            ItemInput("value_added", "level", "30"), ItemInput("value_added", "growth", "20"),
            ItemInput("revenue", "level", "20"), ItemInput("screens", "level", "15"),
            ItemInput("box_office", "growth", "15")])
    request = SimpleNamespace(user=admin)
    client = Client()
    client.force_login(admin)
    cases = {
        "analysis value_added (city + 16 districts, YoY, QoQ, YTD, GDP share, trend)":
            lambda: analysis.indicator_analysis("value_added", latest),
        "analysis bench_30 in 2018Q4": lambda: analysis.indicator_analysis("bench_30", "2018Q4"),
        "registry structure by sector": lambda: analysis.registry_structure(year, "sector"),
        "registry structure by culture category": lambda: analysis.registry_structure(year, "category"),
        "assessment results (5 indicators × 16 districts)": lambda: assessment_results(user=admin, scheme=scheme),
        "dashboard panel: headline figures": lambda: outputs._headline(request),
        "dashboard panel: bulletins": lambda: outputs._bulletins(request),
        "page /statistics/analysis/ (full request)": lambda: client.get("/statistics/analysis/"),
        "page /statistics/analysis/?view=structure (full request)":
            lambda: client.get("/statistics/analysis/?view=structure"),
        f"page /statistics/assessments/{scheme.pk}/ (full request)": lambda: client.get(f"/statistics/assessments/{scheme.pk}/"),
        "API /api/v1/statistics/analysis/": lambda: client.get("/api/v1/statistics/analysis/?indicator=value_added"),
    }
    failures = 0
    for label, func in cases.items():
        times = timed(func, n)
        ok = p95(times) <= QUERY_BAR_MS
        failures += not ok
        print(f"  {label:<78} p95 {p95(times):7.1f} ms  max {max(times):7.1f} ms  {'ok' if ok else 'OVER'}")
    every = []
    for indicator in Indicator.objects.filter(active=True).values_list("code", flat=True):
        t0 = time.perf_counter()
        analysis.indicator_analysis(indicator, latest if not indicator.startswith("bench_") else "2018Q4")
        every.append(((time.perf_counter() - t0) * 1000, indicator))
    worst = max(every)
    ok = worst[0] <= QUERY_BAR_MS
    failures += not ok
    print(f"  analysis of every one of the {len(every)} indicators once: median "
          f"{sorted(every)[len(every) // 2][0]:.1f} ms, slowest {worst[0]:.1f} ms ({worst[1]})  {'ok' if ok else 'OVER'}")
    return failures


def measure_bulletin() -> int:
    from wenzhi.statistics import analysis
    from wenzhi.statistics.bulletin.check import check
    from wenzhi.statistics.bulletin.compose import compose
    from wenzhi.statistics.bulletin.database import DatabaseSource
    from wenzhi.statistics.bulletin.output import write_files

    latest = analysis.periods_with_data()[0]
    t0 = time.perf_counter()
    draft = compose(DatabaseSource(), latest)
    t1 = time.perf_counter()
    check(draft.figures, DatabaseSource())
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        t3 = time.perf_counter()
        written = write_files(latest, Path(out))
        total = time.perf_counter() - t3
        sizes = f"docx {written.docx.stat().st_size // 1024} KB, pdf {written.pdf.stat().st_size // 1024} KB"
    ok = total <= BULLETIN_BAR_S
    print(f"bulletin {latest}: {len(draft.figures)} figures; text {1000 * (t1 - t0):.0f} ms, check "
          f"{1000 * (t2 - t1):.0f} ms; whole bulletin (text, check, charts, DOCX, PDF) {total:.2f} s ({sizes})"
          f"  {'ok' if ok else 'OVER'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--setup", action="store_true", help="migrate and load the data first")
    parser.add_argument("--n", type=int, default=15, help="runs per query")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} "
          f"{settings.DATABASES['default']['NAME']}")
    if args.setup:
        setup()
    print(f"load average (1/5/15 min) on this {os.cpu_count()}-core machine: "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    failures = measure_queries(args.n) + measure_bulletin()
    print("load average at the end: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
