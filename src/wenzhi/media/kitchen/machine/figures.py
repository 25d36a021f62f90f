"""Named queries: every number a machine-written story prints comes from one of these, called with plain
parameters. A draft keeps, for each, the query, the parameters and what it showed (``FigureRef``); approval
calls the same query again and compares (``check.py``). The queries read other apps only through their
selectors (``wenzhi.projects.selectors``, ``wenzhi.statistics.selectors``, ``wenzhi.media.selectors``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


class NoFigure(LookupError):
    """The data has no answer for these parameters: the sentence that needed it is left out, never filled in."""


class NoData(LookupError):
    """There is nothing to write about (no published list, no statistics for the period, no documents)."""


@dataclass(frozen=True)
class Figure:
    """One answer of a query: the value (compared by the check) and the text the story prints."""

    value: Any
    text: str

    @property
    def canonical(self) -> str:
        if isinstance(self.value, Decimal):
            return str(self.value)
        if isinstance(self.value, list | tuple | dict):
            return json.dumps(self.value, ensure_ascii=False, default=str, sort_keys=True)
        return str(self.value)


@dataclass(frozen=True)
class FigureRef:
    """What a draft keeps of one printed figure."""

    key: str
    query: str
    params: dict
    value: str
    text: str

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FigureRef:
        return cls(**{k: data[k] for k in ("key", "query", "params", "value", "text")})


@dataclass(frozen=True)
class Query:
    name: str
    func: Callable[..., Figure]
    label: Any


_queries: dict[str, Query] = {}


def query(name: str, label: Any) -> Callable[[Callable[..., Figure]], Callable[..., Figure]]:
    """Register a query under ``name``; ``label`` says in Chinese what it answers (shown when a check fails)."""

    def decorate(func: Callable[..., Figure]) -> Callable[..., Figure]:
        _queries[name] = Query(name=name, func=func, label=label)
        return func

    return decorate


def queries() -> dict[str, Query]:
    from . import writers  # noqa: F401  (registers the queries on first use)

    return dict(_queries)


def evaluate(name: str, params: dict) -> Figure:
    """Run query ``name`` with ``params`` (KeyError: unknown query; NoFigure: no answer)."""
    return queries()[name].func(**params)


# Formatting ----------------------------------------------------------------------------------------------------

def rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def count(n: int, unit: str = "") -> Figure:
    return Figure(int(n), f"{int(n)}{unit}")


def amount(value: Decimal | None, unit: str, places: int = 2) -> Figure:
    if value is None:
        raise NoFigure
    r = rounded(Decimal(value), places)
    return Figure(r, f"{r:.{places}f}{unit}")


def change(rate: Decimal | None, *, up: str = "增长", down: str = "下降", flat: str = "持平") -> Figure:
    """A growth rate with its direction inside the figure (``增长12.3%``, ``下降4.5%``, ``持平``): an edit cannot
    turn a decline into growth around an unchanged number."""
    if rate is None:
        raise NoFigure
    r = rounded(Decimal(rate), 1)
    if r > 0:
        return Figure(r, f"{up}{r:.1f}%")
    if r < 0:
        return Figure(r, f"{down}{-r:.1f}%")
    return Figure(r, flat)


def difference(n: int, *, up: str = "增加", down: str = "减少", unit: str = "个") -> Figure:
    if n > 0:
        return Figure(n, f"{up}{n}{unit}")
    if n < 0:
        return Figure(n, f"{down}{-n}{unit}")
    return Figure(0, "持平")


def names(items: list[str]) -> Figure:
    if not items:
        raise NoFigure
    return Figure(list(items), "、".join(items))


def growth_rate(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    if now is None or before is None or before == 0:
        return None
    return (Decimal(now) - Decimal(before)) / abs(Decimal(before)) * 100
