"""Scoring a year's assessment (功效系数法, the efficacy-coefficient method of Chinese performance assessment).

Per indicator, a district's figure scores ``60 + 40 × (figure − lowest) / (highest − lowest)`` among the
districts with a figure (all 100 when they are equal); a district without a figure scores 0 on it. The
indicator contributes ``weight × score / 100``; the total (at most 100) ranks the districts, ties sharing a rank.
Pure: the figures come in as dictionaries, so the method is tested without a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from wenzhi.statistics.growth import round_half_up

BASE = Decimal(60)
SPAN = Decimal(40)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Criterion:
    """One scored indicator: its label (name and measure), weight and every district's figure."""

    label: str
    weight: Decimal
    values: dict[int, Decimal]
    unit: str = ""


@dataclass
class Contribution:
    label: str
    weight: Decimal
    value: Decimal | None
    score: Decimal
    points: Decimal
    unit: str = ""


@dataclass
class DistrictScore:
    district: int
    name: str
    total: Decimal = Decimal(0)
    rank: int = 0
    contributions: list[Contribution] = field(default_factory=list)


def indicator_score(value: Decimal | None, low: Decimal, high: Decimal) -> Decimal:
    if value is None:
        return Decimal(0)
    if high == low:
        return HUNDRED
    return BASE + SPAN * (value - low) / (high - low)


def score(districts: Sequence[tuple[int, str]], criteria: Sequence[Criterion]) -> list[DistrictScore]:
    """Every district's total, rank and per-indicator contribution, best first (ties by name)."""
    out = {pk: DistrictScore(district=pk, name=name) for pk, name in districts}
    for criterion in criteria:
        present = [v for pk, v in criterion.values.items() if pk in out]
        low, high = (min(present), max(present)) if present else (Decimal(0), Decimal(0))
        for pk, result in out.items():
            value = criterion.values.get(pk)
            s = indicator_score(value, low, high)
            points = criterion.weight * s / HUNDRED
            result.contributions.append(Contribution(
                label=criterion.label, weight=criterion.weight, value=value, unit=criterion.unit,
                score=round_half_up(s, 1), points=round_half_up(points, 2)))  # type: ignore[arg-type]
            result.total += points
    ranked = sorted(out.values(), key=lambda r: (-r.total, r.name))
    previous, rank = None, 0
    for position, result in enumerate(ranked, start=1):
        result.total = round_half_up(result.total, 2)  # type: ignore[assignment]
        if result.total != previous:
            rank, previous = position, result.total
        result.rank = rank
    return ranked
