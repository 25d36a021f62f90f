"""Indicators computed from the registry's rows, available without re-entry (marked ``source=derived``).

Each is a yearly figure per district over the live enterprises' yearly figures (``EnterpriseYearFigure``):
how many enterprises reported a year, how many of those are above designated size, their revenue (万元 in
the registry, 亿元 here) and their employees.
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


def _grouped(code: str, by: list[str], **filters) -> QuerySet:
    row_filter, aggregate, _scale = DEFINITIONS[code]
    return (_figures().filter(row_filter, **filters).annotate(district_id=F("enterprise__district_id"))
            .values(*by).annotate(v=aggregate()).order_by())


def _scaled(code: str, value) -> Decimal:
    return Decimal(value or 0) / DEFINITIONS[code][2]


def yearly_totals(code: str, *, district_id: int | None = None) -> dict[str, Decimal]:
    """{"2018": value, …}: the city's (or one district's) figure per year."""
    filters = {"enterprise__district_id": district_id} if district_id is not None else {}
    return {str(row["year"]): _scaled(code, row["v"]) for row in _grouped(code, ["year"], **filters)}


def values_by_district(code: str, *, year: int) -> dict[int, Decimal]:
    """{district id: value} for one year."""
    return {row["district_id"]: _scaled(code, row["v"]) for row in _grouped(code, ["district_id"], year=year)}
