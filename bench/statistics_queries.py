"""Statistics figures at the issue's size: 16 districts × 40 quarters × 60 indicators (38,400 values).

Usage (a scratch database is created and migrated if it is empty; PostgreSQL works too):

    .venv/bin/python bench/statistics_queries.py [--n 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_stats_core_bench .venv/bin/python bench/statistics_queries.py

Prints the time of loading the values (bulk insert) and the median and p95 wall-clock milliseconds of the
figures the analysis, the bulletin and the plan tracker read: a city series, a district series, a yearly
roll-up, one period's values by district, and a form's completeness (one period, and per reporter over eight).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/wenzhi-statistics-bench.sqlite3")

EXTRA = 46  # the catalogue's 14 entered indicators + 46 = 60


def _load() -> float:
    """Create the bench indicators and every district's value for 40 quarters; seconds taken (0 if present)."""
    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation
    from wenzhi.statistics import periods
    from wenzhi.statistics.models import DataValue, Indicator, Period

    if DataValue.objects.filter(period__code="2016Q1").count() >= 16 * 60:
        return 0.0
    t0 = time.perf_counter()
    for i in range(EXTRA):
        Indicator.objects.get_or_create(code=f"bench_{i:02d}", defaults=dict(name=f"基准指标{i}", kind="number"))
    indicators = list(Indicator.objects.filter(source="entered"))[:60]
    districts = list(Organisation.objects.filter(level=Level.DISTRICT))
    rows = []
    for code in periods.range_codes("2016Q1", "2025Q4"):
        spec = periods.parse(code)
        period, _ = Period.objects.get_or_create(code=code, defaults=dict(type=spec.type, start=spec.start,
                                                                          end=spec.end))
        for d in districts:
            for n, ind in enumerate(indicators):
                rows.append(DataValue(indicator=ind, organisation=d, district=d, period=period,
                                      value=Decimal(100 + n + d.id % 7), is_demo=True))
    DataValue.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return time.perf_counter() - t0


def _time(func, n: int) -> tuple[float, float]:
    func()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        func()
        out.append((time.perf_counter() - t0) * 1000)
    out.sort()
    return statistics.median(out), out[min(len(out) - 1, int(round(0.95 * (len(out) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30, help="repetitions per query")
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from wenzhi.core import hooks
    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation
    from wenzhi.core.reference import load_divisions
    from wenzhi.statistics import periods, selectors
    from wenzhi.statistics.models import DataValue, ReportingForm

    load_divisions(Organisation)
    for loader in hooks.reference_loaders():
        loader()
    seconds = _load()
    print(f"values: {DataValue.objects.count():,}" + (f" (loaded in {seconds:.1f} s)" if seconds else " (present)"))
    heping = Organisation.objects.filter(level=Level.DISTRICT).order_by("code").first()
    form = ReportingForm.objects.get(code="district_quarterly")
    eight = [periods.shift("2025Q4", -i) for i in range(8)]
    cases = {
        "indicator_series(value_added) city": lambda: selectors.indicator_series("value_added"),
        "indicator_series(screens, district)": lambda: selectors.indicator_series("screens", district=heping),
        "indicator_series(box_office, yearly)": lambda: selectors.indicator_series("box_office",
                                                                                   period_type="yearly"),
        "indicator_values(value_added, 2025Q4)": lambda: selectors.indicator_values("value_added", "2025Q4"),
        "indicator_values(value_added, 2025)": lambda: selectors.indicator_values("value_added", "2025"),
        "completeness(district form, 2025Q4)": lambda: selectors.completeness(form=form, period="2025Q4"),
        "completeness_by_reporter(8 quarters)": lambda: selectors.completeness_by_reporter(form=form,
                                                                                           period_codes=eight),
    }
    print(f"{'query':42} {'median ms':>10} {'p95 ms':>8}")
    for label, func in cases.items():
        median, p95 = _time(func, args.n)
        print(f"{label:42} {median:10.1f} {p95:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
