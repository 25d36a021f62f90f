"""Indicators computed from other modules' rows, available without re-entry (marked ``source=derived``).

Each is a yearly figure per district. From the registry, over the live enterprises' yearly figures
(``EnterpriseYearFigure``): how many enterprises reported a year, how many of those are above designated size,
their revenue (万元 in the registry, 亿元 here) and their employees. From other apps, through
``hooks.derived_table``: culture consumption's cinema screens with screenings in the year and the year's box
office (万元).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

TEN_THOUSAND = Decimal(10000)


def _figures() -> QuerySet:
    from wenzhi.registry.models import EnterpriseYearFigure

    return EnterpriseYearFigure.objects.filter(enterprise__deleted_at__isnull=True)


# code → (row filter, aggregate, scale applied to the aggregate)
DEFINITIONS: dict[str, tuple[Q, Callable[[], object], Decimal]] = {
    "registry_enterprises": (Q(), lambda: Count("id"), Decimal(1)),
    "registry_above_scale_units": (Q(enterprise__above_scale=True), lambda: Count("id"), Decimal(1)),
    "registry_above_scale_revenue": (Q(enterprise__above_scale=True, revenue__isnull=False),
                                     lambda: Sum("revenue"), TEN_THOUSAND),
    "registry_employees": (Q(employees__isnull=False), lambda: Sum("employees"), Decimal(1)),
}


def _app_table(code: str) -> dict[int, dict[int, Decimal]]:
    """An indicator another app computes from its own rows (``hooks.derived_table``); empty when that app is
    not installed."""
    from wenzhi.core import hooks

    source = hooks.derived_tables().get(code)
    return source() if source else {}


def table(code: str) -> dict[str, dict[int, Decimal]]:
    """{"2018": {district id: value}, …}: every year's figure per district."""
    if code not in DEFINITIONS:
        return {str(year): {d: v for d, v in row.items() if d is not None}
                for year, row in _app_table(code).items()}
    out: dict[str, dict[int, Decimal]] = {}
    for row in _grouped(code, ["year", "district_id"]):
        out.setdefault(str(row["year"]), {})[row["district_id"]] = _scaled(code, row["v"])
    return out


def _grouped(code: str, by: list[str], **filters) -> QuerySet:
    row_filter, aggregate, _scale = DEFINITIONS[code]
    return (_figures().filter(row_filter, **filters).annotate(district_id=F("enterprise__district_id"))
            .values(*by).annotate(v=aggregate()).order_by())


def _scaled(code: str, value) -> Decimal:
    return Decimal(value or 0) / DEFINITIONS[code][2]


def yearly_totals(code: str, *, district_id: int | None = None) -> dict[str, Decimal]:
    """{"2018": value, …}: the city's (or one district's) figure per year."""
    if code not in DEFINITIONS:
        return {year: sum((v for d, v in row.items() if district_id is None or d == district_id), Decimal(0))
                for year, row in table(code).items() if district_id is None or district_id in row}
    filters = {"enterprise__district_id": district_id} if district_id is not None else {}
    return {str(row["year"]): _scaled(code, row["v"]) for row in _grouped(code, ["year"], **filters)}


def values_by_district(code: str, *, year: int) -> dict[int, Decimal]:
    """{district id: value} for one year."""
    if code not in DEFINITIONS:
        return table(code).get(str(year), {})
    return {row["district_id"]: _scaled(code, row["v"]) for row in _grouped(code, ["district_id"], year=year)}
