"""Growth maths over indicator series: year-on-year, quarter-on-quarter, cumulative year-to-date, share of GDP,
and aggregation by an indicator's rule. Pure functions over ``Decimal`` (no Django, no database), used by the
analysis pages, the bulletin's named queries and the assessment.

A series is a mapping ``period code → Decimal`` of one indicator for one organisation (or the whole city).
Period codes: ``"2018Q3"`` (quarter), ``"2018"`` (year), ``"2018-07"`` (month), as in ``periods.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SUM = "sum"
AVERAGE = "average"
LAST = "last"
RULES = (SUM, AVERAGE, LAST)

HUNDRED = Decimal(100)
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:Q(?P<q>[1-4])|-(?P<m>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, order=True)
class PeriodCode:
    """A parsed period code: its year, its kind (``Y``, ``Q``, ``M``) and number inside the year (0 for a year)."""

    year: int
    kind: str
    number: int

    @classmethod
    def parse(cls, code: str) -> PeriodCode:
        match = _PERIOD.match(code.strip()) if isinstance(code, str) else None
        if match is None:
            raise ValueError(f"不是有效的期别代码：{code!r}（应为 2018Q3、2018 或 2018-07）")
        if match["q"]:
            return cls(int(match["year"]), "Q", int(match["q"]))
        if match["m"]:
            return cls(int(match["year"]), "M", int(match["m"]))
        return cls(int(match["year"]), "Y", 0)

    @property
    def code(self) -> str:
        if self.kind == "Q":
            return f"{self.year}Q{self.number}"
        if self.kind == "M":
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    def shift_years(self, years: int) -> PeriodCode:
        return PeriodCode(self.year + years, self.kind, self.number)

    def previous(self) -> PeriodCode:
        """The period just before (the fourth quarter of last year before a first quarter)."""
        if self.kind == "Y":
            return PeriodCode(self.year - 1, "Y", 0)
        last = 4 if self.kind == "Q" else 12
        if self.number == 1:
            return PeriodCode(self.year - 1, self.kind, last)
        return PeriodCode(self.year, self.kind, self.number - 1)

    def year_to_date(self) -> list[PeriodCode]:
        """This year's periods of the same kind up to and including this one."""
        if self.kind == "Y":
            return [self]
        return [PeriodCode(self.year, self.kind, n) for n in range(1, self.number + 1)]


def shift_year(code: str, years: int = -1) -> str:
    """The same period ``years`` years away (``2018Q3`` → ``2017Q3``)."""
    return PeriodCode.parse(code).shift_years(years).code


def previous_period(code: str) -> str:
    return PeriodCode.parse(code).previous().code


def year_to_date(code: str) -> list[str]:
    return [p.code for p in PeriodCode.parse(code).year_to_date()]


def aggregate(values: Iterable[Decimal | None], rule: str) -> Decimal | None:
    """Combine values by an indicator's rule: ``sum``, ``average`` (mean) or ``last`` (the last value given).

    Missing values (None) are skipped; nothing at all gives None, never zero (a zero would be an invented figure).
    """
    present = [Decimal(v) for v in values if v is not None]
    if not present:
        return None
    if rule == SUM:
        return sum(present, Decimal(0))
    if rule == AVERAGE:
        return sum(present, Decimal(0)) / len(present)
    if rule == LAST:
        return present[-1]
    raise ValueError(f"未知的汇总方式：{rule!r}（应为 {', '.join(RULES)}）")


def growth(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    """Percentage change from ``base`` to ``current`` (12.5 means +12.5 %); None when either is missing or the
    base is zero (a growth rate from nothing is not a number)."""
    if current is None or base is None or base == 0:
        return None
    return (Decimal(current) - Decimal(base)) / abs(Decimal(base)) * HUNDRED


def share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole`` (the share of GDP, of a district in the city); None without both."""
    if part is None or whole is None or whole == 0:
        return None
    return Decimal(part) / Decimal(whole) * HUNDRED


def year_on_year(series: Mapping[str, Decimal | None], code: str) -> Decimal | None:
    """Growth of ``code`` over the same period a year before."""
    return growth(series.get(code), series.get(shift_year(code)))


def quarter_on_quarter(series: Mapping[str, Decimal | None], code: str) -> Decimal | None:
    """Growth of ``code`` over the period just before (the previous quarter or month)."""
    return growth(series.get(code), series.get(previous_period(code)))


def cumulative(series: Mapping[str, Decimal | None], code: str, rule: str) -> Decimal | None:
    """The year-to-date figure up to ``code`` by the indicator's rule (sum of flows, last of stocks, mean of
    averages). None unless every period of the year so far is present: a sum with a missing quarter would
    understate the year."""
    values = [series.get(c) for c in year_to_date(code)]
    if any(v is None for v in values):
        return None
    return aggregate(values, rule)


def cumulative_growth(series: Mapping[str, Decimal | None], code: str, rule: str) -> Decimal | None:
    """Growth of the year-to-date figure over last year's to the same period (前三季度同比)."""
    return growth(cumulative(series, code, rule), cumulative(series, shift_year(code), rule))


def round_half_up(value: Decimal | None, places: int = 1) -> Decimal | None:
    """Round as statistical bulletins do (0.05 → 0.1), never banker's rounding."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def highest_since(series: Mapping[str, Decimal | None], code: str) -> str | None:
    """For a record: the earliest period of the same kind since which ``code``'s value is the highest.

    Returns the code of the first period of the series when it is the highest ever, the period after the last
    higher one otherwise, and None when an earlier period of the last four was higher (no record to tell)."""
    current = series.get(code)
    if current is None:
        return None
    kind = PeriodCode.parse(code)
    earlier = sorted((PeriodCode.parse(c), v) for c, v in series.items()
                     if v is not None and PeriodCode.parse(c).kind == kind.kind and PeriodCode.parse(c) < kind)
    if not earlier:
        return None
    higher = [p for p, v in earlier if v >= current]
    if not higher:
        return earlier[0][0].code
    last_higher = higher[-1]
    since = [p for p, _ in earlier if p > last_higher]
    # A "highest since" only worth telling when it spans more than a year of periods.
    span = {"Q": 4, "M": 12, "Y": 1}[kind.kind]
    if len(since) < span:
        return None
    return since[0].code
