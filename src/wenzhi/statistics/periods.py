"""Period codes (DHIS2 style): ``2018`` a year, ``2018Q3`` a quarter, ``2018-07`` a month; arithmetic on them.

Pure functions over codes; :func:`wenzhi.statistics.services.period_get` turns a code into its row.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from .choices import PeriodType

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


PER_YEAR: dict[str, int] = {PeriodType.YEARLY: 1, PeriodType.QUARTERLY: 4, PeriodType.MONTHLY: 12}


class PeriodCodeError(ValueError):
    """A text that is not a period code; the message says which forms are accepted."""


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    type: str
    start: datetime.date
    end: datetime.date

    @property
    def year(self) -> int:
        return self.start.year


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def parse(code: str) -> PeriodSpec:
    """The period a code names; raises :class:`PeriodCodeError` naming the accepted forms."""
    text = (code or "").strip().upper()
    if m := _YEAR.match(text):
        y = int(m.group(1))
        return PeriodSpec(text, PeriodType.YEARLY, datetime.date(y, 1, 1), datetime.date(y, 12, 31))
    if m := _QUARTER.match(text):
        y, q = int(m.group(1)), int(m.group(2))
        return PeriodSpec(text, PeriodType.QUARTERLY, datetime.date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
    if m := _MONTH.match(text):
        y, mo = int(m.group(1)), int(m.group(2))
        return PeriodSpec(text, PeriodType.MONTHLY, datetime.date(y, mo, 1), _month_end(y, mo))
    raise PeriodCodeError(gettext("“%(code)s”不是有效的报告期：应为 2018（年）、2018Q3（季度）或 2018-07（月）。")
                          % {"code": code})


def code_of(period_type: str, year: int, index: int = 1) -> str:
    """The code of the ``index``-th quarter or month of ``year`` (or of the year itself)."""
    if period_type == PeriodType.YEARLY:
        return f"{year}"
    if period_type == PeriodType.QUARTERLY:
        return f"{year}Q{index}"
    return f"{year}-{index:02d}"


def _index(spec: PeriodSpec) -> int:
    if spec.type == PeriodType.QUARTERLY:
        return int(spec.code[-1])
    if spec.type == PeriodType.MONTHLY:
        return spec.start.month
    return 1


def shift(code: str, steps: int) -> str:
    """The period ``steps`` periods of the same type after (negative: before) ``code``."""
    spec = parse(code)
    per_year = PER_YEAR[spec.type]
    n = spec.year * per_year + _index(spec) - 1 + steps
    return code_of(spec.type, n // per_year, n % per_year + 1)


def previous(code: str) -> str:
    return shift(code, -1)


def same_period_last_year(code: str) -> str:
    spec = parse(code)
    return shift(code, -PER_YEAR[spec.type])


def children(code: str, child_type: str) -> list[str]:
    """The quarters or months inside a year or quarter, in order (a period of the same type: itself)."""
    spec = parse(code)
    if spec.type == child_type:
        return [spec.code]
    out = []
    cur = code_of(child_type, spec.year, 1)
    while parse(cur).start <= spec.end:
        if parse(cur).start >= spec.start:
            out.append(cur)
        cur = shift(cur, 1)
    return out


def containing(code: str, parent_type: str) -> str:
    """The year (or quarter) a period lies in."""
    spec = parse(code)
    if parent_type == PeriodType.YEARLY:
        return f"{spec.year}"
    if parent_type == PeriodType.QUARTERLY:
        return code_of(PeriodType.QUARTERLY, spec.year, (spec.start.month - 1) // 3 + 1)
    return spec.code


def range_codes(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive (same type)."""
    out, cur = [], parse(first).code
    end = parse(last).code
    while parse(cur).start <= parse(end).start:
        out.append(cur)
        cur = shift(cur, 1)
    return out


def last_complete(period_type: str, today: datetime.date) -> str:
    """The latest period of ``period_type`` that has ended before ``today``."""
    if period_type == PeriodType.YEARLY:
        return f"{today.year - 1}"
    if period_type == PeriodType.QUARTERLY:
        current = code_of(PeriodType.QUARTERLY, today.year, (today.month - 1) // 3 + 1)
    else:
        current = code_of(PeriodType.MONTHLY, today.year, today.month)
    return shift(current, -1)


def label(code: str) -> str:
    """The period as a reader says it: 2018年第3季度, 2018年7月, 2018年."""
    spec = parse(code)
    if spec.type == PeriodType.QUARTERLY:
        return gettext("%(year)s年第%(q)s季度") % {"year": spec.year, "q": _index(spec)}
    if spec.type == PeriodType.MONTHLY:
        return gettext("%(year)s年%(month)s月") % {"year": spec.year, "month": spec.start.month}
    return gettext("%(year)s年") % {"year": spec.year}
