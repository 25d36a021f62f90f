"""Cinema figures for the statistics module's derived indicators (``cinema_screens``, ``cinema_box_office``).

Read by ``wenzhi.statistics.derived`` without a user (the statistics caller checks its own permission); each is a
table ``{year: {district id: Decimal}}`` over every cinema on the platform:

- screens: the screens (halls marked 电影银幕) that had at least one screening in the year, a stock;
- box office: what buyers paid for the year's screenings, net of refunds, in 万元 (paid and refunded orders;
  a held or expired order paid nothing).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear

from .choices import EventKind, OrderStatus
from .models import Order, Session

TEN_THOUSAND = Decimal(10000)


def screens_by_year() -> dict[int, dict[int, Decimal]]:
    rows = (Session.objects.filter(event__kind=EventKind.CINEMA, cancelled=False, hall__is_screen=True)
            .annotate(year=ExtractYear("starts_at"), district_id=F("hall__venue__district_id"))
            .values("year", "district_id").annotate(n=Count("hall", distinct=True)).order_by())
    table: dict[int, dict[int, Decimal]] = {}
    for row in rows:
        table.setdefault(row["year"], {})[row["district_id"]] = Decimal(row["n"])
    return table


def box_office_by_year() -> dict[int, dict[int, Decimal]]:
    rows = (Order.objects.filter(session__event__kind=EventKind.CINEMA,
                                 status__in=[OrderStatus.PAID, OrderStatus.REFUNDED])
            .annotate(year=ExtractYear("session__starts_at"), district_id=F("session__hall__venue__district_id"))
            .values("year", "district_id").annotate(total=Sum("total"), refunded=Sum("refunded")).order_by())
    table: dict[int, dict[int, Decimal]] = {}
    for row in rows:
        net = Decimal(row["total"] or 0) - Decimal(row["refunded"] or 0)
        table.setdefault(row["year"], {})[row["district_id"]] = (net / TEN_THOUSAND).quantize(Decimal("0.0001"))
    return table


TABLES = {"cinema_screens": screens_by_year, "cinema_box_office": box_office_by_year}
