"""Named queries: every figure a bulletin prints comes from one of these, called with its parameters.

A query is a function ``(source, **params) -> Figure`` registered under a name. A draft stores, for each figure
it prints, the query's name, the parameters and what it showed (``FigureRef``); the check calls the same query
again and compares. Nothing else may put a number into a bulletin.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from wenzhi.statistics.growth import round_half_up

from .source import DataSource


class NoFigure(LookupError):
    """A query found no data for its parameters: the sentence that needed it is left out, never filled in."""


@dataclass(frozen=True)
class Figure:
    """One answer of a named query: the value (a rounded Decimal, an int, a name or a list), its unit and the
    text the bulletin prints for it."""

    value: Any
    text: str
    unit: str = ""

    @property
    def canonical(self) -> str:
        """The value as compared by the check (Decimals by their rounded digits, lists as JSON)."""
        return canonical(self.value)


def canonical(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class FigureRef:
    """What a draft keeps of one printed figure: which query, with which parameters, and what it showed."""

    key: str
    query: str
    params: dict
    value: str
    text: str
    unit: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FigureRef:
        return cls(**{k: data[k] for k in ("key", "query", "params", "value", "text")}, unit=data.get("unit", ""))


QueryFunc = Callable[..., Figure]


@dataclass(frozen=True)
class Query:
    name: str
    func: QueryFunc
    label: Any  # a lazily translated string


_queries: dict[str, Query] = {}


def query(name: str, label: Any) -> Callable[[QueryFunc], QueryFunc]:
    """Register a query function under ``name`` (``label`` says in Chinese what it answers)."""

    def decorate(func: QueryFunc) -> QueryFunc:
        if name in _queries and _queries[name].func is not func:
            raise ValueError(f"query {name!r} registered twice")
        _queries[name] = Query(name=name, func=func, label=label)
        return func

    return decorate


def queries() -> dict[str, Query]:
    from . import queries as _load  # noqa: F401  (registers the queries on first use)

    return dict(_queries)


def evaluate(source: DataSource, name: str, params: dict) -> Figure:
    """Run named query ``name`` with ``params`` over ``source`` (NoFigure when there is nothing to show)."""
    known = queries()
    if name not in known:
        raise KeyError(f"未登记的数据查询：{name}")
    return known[name].func(source, **params)


# Formatting ----------------------------------------------------------------------------------------------------

def number_text(value: Decimal | int, places: int) -> str:
    """A figure as official bulletins print it: fixed decimal places, no thousands separators (``1234.56``)."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.{places}f}"


def amount(value: Decimal | None, unit: str, places: int) -> Figure:
    if value is None:
        raise NoFigure
    rounded = round_half_up(value, places)
    if places == 0:
        return Figure(int(rounded), str(int(rounded)), unit)  # type: ignore[arg-type]
    return Figure(rounded, number_text(rounded, places), unit)  # type: ignore[arg-type]


def change(value: Decimal | None, *, up: str = "增长", down: str = "下降", flat: str = "持平") -> Figure:
    """A growth rate with its direction word inside the figure (``增长12.3%``, ``下降4.5%``, ``持平``), so an
    edit cannot turn a decline into growth around an unchanged number."""
    if value is None:
        raise NoFigure
    rounded = round_half_up(value, 1)
    assert rounded is not None
    if rounded > 0:
        return Figure(rounded, f"{up}{number_text(rounded, 1)}%", "%")
    if rounded < 0:
        return Figure(rounded, f"{down}{number_text(-rounded, 1)}%", "%")
    return Figure(rounded, flat, "%")


def percent(value: Decimal | None) -> Figure:
    if value is None:
        raise NoFigure
    rounded = round_half_up(value, 1)
    assert rounded is not None
    return Figure(rounded, f"{number_text(rounded, 1)}%", "%")


def points(value: Decimal | None) -> Figure:
    """A difference of two percentages with its direction (``提高2.3个百分点``, ``降低0.4个百分点``, ``持平``)."""
    if value is None:
        raise NoFigure
    rounded = round_half_up(value, 1)
    assert rounded is not None
    if rounded == 0:
        return Figure(rounded, "持平", "个百分点")
    word = "提高" if rounded > 0 else "降低"
    return Figure(rounded, f"{word}{number_text(abs(rounded), 1)}个百分点", "个百分点")


def name_list(names: list[str]) -> Figure:
    if not names:
        raise NoFigure
    return Figure(list(names), "、".join(names))


def count(n: int, unit: str = "个") -> Figure:
    return Figure(int(n), str(int(n)), unit)
