"""Live progress of each plan target, computed from the platform's data at the moment it is asked.

Sources: the registry (directories, parks, talents), statistics (``wenzhi.statistics.selectors.indicator_series``,
the figures contract: ``[(period code, Decimal)]``, city total) and the project library (special-fund and
social-capital funding rows). Statistics and projects are optional apps: when one is not installed, or has no
data for the indicator, the target says 暂无数据 and names the source it waits for. These are city-wide
aggregates (counts and totals, never rows), shown to every official who may read the plan.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Measure, ProgressState, TargetKind
from .models import Target, TargetReading

YUAN_PER_YI = Decimal(100_000_000)
PLAN_START = 2018
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
YEAR = re.compile(r"^(\d{4})$")


@dataclass
class Progress:
    """What the dashboard shows for one target: the live value, its period and source, and the state."""

    target: Target
    value: Decimal | None = None
    period: str = ""
    source: str = ""
    detail: str = ""
    series: list[tuple[str, Decimal]] = field(default_factory=list)
    available: bool = True  # False: the source app is not installed

    @property
    def state(self) -> str:
        if self.target.kind == TargetKind.MONITORED:
            return ProgressState.MONITORED if self.value is not None else ProgressState.NO_DATA
        if self.target.kind == TargetKind.QUALITATIVE:
            return ProgressState.MONITORED if self.detail else ProgressState.NO_DATA
        if self.value is None:
            return ProgressState.NO_DATA
        low = self.target.target_low
        return ProgressState.MET if low is not None and self.value >= low else ProgressState.BEHIND

    @property
    def state_label(self) -> str:
        return str(ProgressState(self.state).label)

    @property
    def unit_label(self) -> str:
        """The unit the live value is in: % for growth targets, else the target's unit, translated."""
        return "%" if self.target.kind == TargetKind.GROWTH else unit_label(self.target.unit)

    @property
    def baseline_text(self) -> str:
        base = self.target
        if base.baseline_value is None:
            return ""
        return f"{number_text(base.baseline_value)} {unit_label(base.unit)} ({base.baseline_year})"

    @property
    def value_text(self) -> str:
        return "" if self.value is None else f"{number_text(self.value)} {self.unit_label}".strip()

    @property
    def target_text(self) -> str:
        return target_text(self.target)

    @property
    def percent(self) -> int | None:
        """How much of the (lower) target is reached, 0–100, for count targets; None otherwise."""
        low = self.target.target_low
        if self.target.kind != TargetKind.COUNT or self.value is None or not low:
            return None
        return int(min(Decimal(100), self.value * 100 / low))


# The units the plan's figures come in, translated for display (the stored unit stays the plan's Chinese).
UNIT_LABELS = {"个": _("个"), "家": _("家"), "名": _("名"), "块": _("块"), "亿元": _("亿元"), "万元": _("万元"),
               "%": "%"}


def unit_label(unit: str) -> str:
    """A target's unit in the active language."""
    return str(UNIT_LABELS.get(unit, unit))


def number_text(value) -> str:
    """A figure with thousands separators, "" for none."""
    from wenzhi.core.formatting import thousands

    if value is None:
        return ""
    if isinstance(value, Decimal):  # 800.00 → 800, 4.40 → 4.4: the plan's own way of writing its figures
        value = int(value) if value == value.to_integral_value() else value.normalize()
    return str(thousands(value))


def target_text(target: Target) -> str:
    """The target as the plan words it: 2–3 个, ≥ 500 块, ≥ 15 %; empty for monitored figures."""
    low, high, unit = target.target_low, target.target_high, target.unit
    if low is None:
        return ""
    if high is not None:
        return f"{number_text(low)}–{number_text(high)} {unit_label(unit)}".strip()
    return f"≥ {number_text(low)} {unit_label(unit)}".strip()


def _round(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


# Statistics -----------------------------------------------------------------------------------------------------


def statistics_series(code: str) -> list[tuple[str, Decimal]] | None:
    """The city series of a statistics indicator; None when the statistics app or the indicator is absent."""
    if not apps.is_installed("wenzhi.statistics"):
        return None
    # Imported by name: the statistics app is optional, and this module must load without it.
    selectors = importlib.import_module("wenzhi.statistics.selectors")
    try:
        return list(selectors.indicator_series(code))
    except ObjectDoesNotExist:
        return None


def yearly(series: list[tuple[str, Decimal]], *, stock: bool) -> list[tuple[str, Decimal]]:
    """Complete years of a series: yearly codes as given, quarters rolled up when all four are in (summed for
    flows such as box office, the last quarter for stocks such as screens)."""
    years: dict[str, Decimal] = {}
    quarters: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for period, value in series:
        if YEAR.match(period):
            years[period] = value
        elif match := QUARTER.match(period):
            quarters[match.group(1)][int(match.group(2))] = value
    for year, values in quarters.items():
        if len(values) == 4 and year not in years:
            years[year] = values[4] if stock else sum(values.values(), Decimal(0))
    return sorted(years.items())


def _model(label: str):
    """A model of another app by its "app.Model" label (that app may be absent: LookupError)."""
    return apps.get_model(label)


def _indicator_label(code: str) -> str:
    try:
        Indicator = _model("statistics.Indicator")
        return str(Indicator.objects.get(code=code))
    except (LookupError, ObjectDoesNotExist):
        return code


def _from_statistics(progress: Progress) -> None:
    target = progress.target
    progress.source = gettext("统计：%(indicator)s") % {"indicator": _indicator_label(target.indicator)}
    series = statistics_series(target.indicator)
    if series is None:
        progress.available = apps.is_installed("wenzhi.statistics")
        return
    if target.measure == Measure.STAT_LATEST:
        progress.series = series
        if series:
            progress.period, progress.value = series[-1]
        _at_horizon(progress, yearly(series, stock=True))
        return
    years = yearly(series, stock=False)
    progress.series = years
    if target.measure == Measure.STAT_YEAR:
        if years:
            progress.period, progress.value = years[-1]
        _at_horizon(progress, years)
        return
    _growth(progress, years)
    _at_horizon(progress, progress.series)


def _at_horizon(progress: Progress, years: list[tuple[str, Decimal]]) -> None:
    """When the latest figure is past the target year, say what it was in that year (the plan's deadline)."""
    horizon = str(progress.target.horizon)
    value = dict(years).get(horizon)
    if value is None or progress.period.startswith(horizon):
        return
    text = gettext("%(year)s 年：%(value)s") % {"year": horizon, "value": f"{number_text(value)} {progress.unit_label}"}
    progress.detail = gettext("；").join(part for part in (progress.detail, text) if part)


def _growth(progress: Progress, years: list[tuple[str, Decimal]]) -> None:
    """Latest year's growth over the year before; the detail adds the average since the plan's start."""
    growth = [(year, _round((value / previous - 1) * 100, "0.1"))
              for (_, previous), (year, value) in zip(years, years[1:], strict=False) if previous]
    progress.series = growth
    if not growth:
        return
    progress.period, progress.value = growth[-1]
    since = [(y, v) for y, v in years if int(y) >= PLAN_START - 1]
    if len(since) >= 2 and since[0][1]:
        span = int(since[-1][0]) - int(since[0][0])
        average = (float(since[-1][1] / since[0][1]) ** (1 / span) - 1) * 100
        progress.detail = gettext("%(first)s—%(last)s 年年均增长 %(average).1f%%") % {
            "first": since[0][0], "last": since[-1][0], "average": average}


# Registry -------------------------------------------------------------------------------------------------------


def _directory_count(progress: Progress, kind: str, *, enterprises: bool) -> None:
    """Active entries per year of the directories of ``kind``: enterprises, or parks and named platforms."""
    DirectoryEntry = apps.get_model("registry", "DirectoryEntry")
    entries = DirectoryEntry.objects.filter(directory__kind=kind, directory__deleted_at=None, removed_on=None)
    if kind == "leading":
        entries = entries.filter(directory__published=True)
    entries = entries.filter(enterprise__isnull=False) if enterprises else entries.filter(enterprise__isnull=True)
    by_year = entries.values("directory__year").annotate(
        n=Count("enterprise" if enterprises else "id", distinct=enterprises)).order_by("directory__year")
    progress.series = [(str(row["directory__year"]), Decimal(row["n"])) for row in by_year]
    if progress.series:
        progress.period, progress.value = progress.series[-1]


def _talents(progress: Progress) -> None:
    Talent = apps.get_model("registry", "Talent")
    rows = (Talent.objects.filter(category="high_end", year_recognised__gte=PLAN_START)
            .values("year_recognised").annotate(n=Count("id")).order_by("year_recognised"))
    total = Decimal(0)
    for row in rows:
        total += row["n"]
        progress.series.append((str(row["year_recognised"]), total))
    if progress.series:
        progress.period, progress.value = progress.series[-1]


def _parks(progress: Progress) -> None:
    from django.utils import timezone

    Park = apps.get_model("registry", "Park")
    progress.value = Decimal(Park.objects.exclude(status="revoked").count())
    progress.period = str(timezone.localdate().year)


# Projects -------------------------------------------------------------------------------------------------------


def _projects(progress: Progress) -> None:
    if not apps.is_installed("wenzhi.projects"):
        progress.available = False
        return
    try:
        Funding = _model("projects.ProjectFunding")
    except LookupError:
        progress.available = False
        return
    measure = progress.target.measure
    source = "social_capital" if measure == Measure.SOCIAL_CAPITAL else "special_fund"
    rows = Funding.objects.filter(source=source)
    if measure == Measure.FUNDED_PROJECTS:
        by_year = rows.values("year").annotate(v=Count("project", distinct=True)).order_by("year")
        total = rows.aggregate(v=Count("project", distinct=True))["v"]
    else:
        by_year = rows.values("year").annotate(v=Sum("amount")).order_by("year")
        total = rows.aggregate(v=Sum("amount"))["v"]
    def convert(value) -> Decimal:  # yuan → 亿元 for money; a count stays a whole number
        return Decimal(value) if measure == Measure.FUNDED_PROJECTS else _round(Decimal(value) / YUAN_PER_YI)

    progress.series = [(str(r["year"]), convert(r["v"])) for r in by_year]
    if total:
        progress.value = convert(total)
        progress.period = progress.series[-1][0] if progress.series else ""


def _manual(progress: Progress) -> None:
    reading = (TargetReading.objects.filter(target=progress.target, is_baseline=False)
               .order_by("-period", "-recorded_at").first())
    if reading is not None:
        progress.value, progress.period, progress.detail = reading.value, reading.period, reading.note


def target_progress(target: Target) -> Progress:
    """The live progress of ``target`` from its measure's source (see the module docstring)."""
    progress = Progress(target=target, source=str(Measure(target.measure).label))
    measure = target.measure
    if measure in (Measure.STAT_LATEST, Measure.STAT_YEAR, Measure.STAT_GROWTH):
        _from_statistics(progress)
    elif measure == Measure.INTELLIGENT_PARKS:
        _directory_count(progress, "intelligent", enterprises=False)
    elif measure == Measure.LEADING_ENTERPRISES:
        _directory_count(progress, "leading", enterprises=True)
    elif measure == Measure.HIGH_END_TALENTS:
        _talents(progress)
    elif measure == Measure.PARKS:
        _parks(progress)
    elif measure in (Measure.SPECIAL_FUNDS, Measure.FUNDED_PROJECTS, Measure.SOCIAL_CAPITAL):
        _projects(progress)
    else:
        _manual(progress)
    return progress


def all_progress() -> list[Progress]:
    """Every target's progress, in the plan's order."""
    return [target_progress(t) for t in Target.objects.all().order_by("order", "code")]


def baseline_readings() -> dict[int, TargetReading]:
    """The 2016 baseline reading of each target that has one, by target id."""
    return {r.target_id: r for r in TargetReading.objects.filter(is_baseline=True).filter(~Q(value=None))}
