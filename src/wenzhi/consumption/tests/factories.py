"""Rows for the consumption tests: a venue with a small drawn hall and a session on sale."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from ..models import Event, Hall, Session, Venue
from ..seatmaps import parse_layout
from ..services.sessions import put_on_sale
from ..services.venues import apply_map, parse_zones

SMALL_MAP = "池座 1 AAAA.AAAA\n池座 2 AAa#.#aAA\n楼座 1 BBBBBBBBB"


def venue(name: str = "测试剧场", district: str = "和平区", managers=()) -> Venue:
    v = Venue.objects.create(name=name, district=Organisation.objects.get(level=Level.DISTRICT, name=district))
    v.managers.add(*managers)
    return v


def hall(v: Venue, layout: str = SMALL_MAP, zones: str = "A 一等座\nB 二等座", name: str = "主厅") -> Hall:
    h = Hall.objects.create(venue=v, name=name)
    with transaction.atomic():
        apply_map(h, parse_layout(layout), parse_zones(zones))
    return h


def session(h: Hall, *, free: bool = False, limit: int | None = None, quota: int | None = None,
            hold_minutes: int = 15, starts_in: timedelta = timedelta(days=3), **extra) -> Session:
    now = timezone.now()
    event = Event.objects.create(title="测试演出", venue=h.venue)
    s = Session.objects.create(event=event, hall=h, starts_at=now + starts_in, sale_starts_at=now - timedelta(days=1),
                               sale_ends_at=now + starts_in - timedelta(minutes=30), is_free=free,
                               per_person_limit=limit, quota=quota, hold_minutes=hold_minutes, **extra)
    put_on_sale(s, {"A": Decimal("100.00"), "B": Decimal("50.00")})
    return s


def seat_ids(s: Session, n: int | None = None, zone: str = "") -> list[int]:
    qs = s.hall.seats.filter(blocked=False, retired=False).order_by("y", "x")
    if zone:
        qs = qs.filter(zone__code=zone)
    ids = list(qs.values_list("pk", flat=True))
    return ids if n is None else ids[:n]
