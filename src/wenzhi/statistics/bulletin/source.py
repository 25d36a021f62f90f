"""Where the bulletin's named queries read their data: a small interface, an in-memory implementation for tests
and the database implementation (``wenzhi.statistics.bulletin.database``) over the statistics models.

Queries never touch the ORM themselves, so the same query answers the draft, the check and a unit test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from wenzhi.statistics.growth import AVERAGE, aggregate


@dataclass(frozen=True)
class IndicatorInfo:
    """What a query needs to know of an indicator: its name, unit, time aggregation rule and decimal places."""

    code: str
    name: str
    unit: str
    rule: str = "sum"
    places: int = 2


class DataSource(Protocol):
    """The reads every bulletin query is built from."""

    def indicator(self, code: str) -> IndicatorInfo | None: ...

    def districts(self) -> list[tuple[int, str]]: ...

    def district_values(self, code: str, period: str) -> dict[int, Decimal]: ...

    def city_value(self, code: str, period: str) -> Decimal | None: ...

    def city_series(self, code: str) -> dict[str, Decimal]: ...

    def district_series(self, code: str, district: int) -> dict[str, Decimal]: ...

    def sector_values(self, year: int) -> dict[str, Decimal]: ...

    def late_reporters(self, period: str) -> list[str]: ...

    def has_data(self, period: str) -> bool: ...


def across_districts(values, rule: str) -> Decimal | None:
    """The city figure from the districts' figures: the mean of averages, the sum of flows and of stocks."""
    return aggregate(values, AVERAGE if rule == AVERAGE else "sum")


@dataclass
class MemorySource:
    """A data source held in dictionaries: ``data[(code, period)] = {district_id: value}``.

    City figures are entered (``city[(code, period)]``) or else aggregated over the districts by the rule.
    """

    indicators: dict[str, IndicatorInfo]
    district_names: dict[int, str]
    data: dict[tuple[str, str], dict[int, Decimal]] = field(default_factory=dict)
    city: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    sectors: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    late: dict[str, list[str]] = field(default_factory=dict)

    def indicator(self, code: str) -> IndicatorInfo | None:
        return self.indicators.get(code)

    def districts(self) -> list[tuple[int, str]]:
        return sorted(self.district_names.items())

    def district_values(self, code: str, period: str) -> dict[int, Decimal]:
        return dict(self.data.get((code, period), {}))

    def city_value(self, code: str, period: str) -> Decimal | None:
        if (code, period) in self.city:
            return self.city[(code, period)]
        info = self.indicators.get(code)
        values = self.data.get((code, period))
        if info is None or not values:
            return None
        return across_districts(values.values(), info.rule)

    def city_series(self, code: str) -> dict[str, Decimal]:
        periods = {p for c, p in (*self.data, *self.city) if c == code}
        out = {p: self.city_value(code, p) for p in periods}
        return {p: v for p, v in out.items() if v is not None}

    def district_series(self, code: str, district: int) -> dict[str, Decimal]:
        return {p: values[district] for (c, p), values in self.data.items() if c == code and district in values}

    def sector_values(self, year: int) -> dict[str, Decimal]:
        return dict(self.sectors.get(year, {}))

    def late_reporters(self, period: str) -> list[str]:
        return list(self.late.get(period, []))

    def has_data(self, period: str) -> bool:
        return any(p == period and values for (_, p), values in self.data.items())


def as_decimal_map(values: Mapping) -> dict:
    return {k: Decimal(str(v)) for k, v in values.items()}
