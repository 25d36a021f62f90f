"""Demo culture consumption (labelled 演示): venues in the districts with drawn seat maps, performances,
exhibitions and films with sessions on sale (hundreds of free seats each), a public-benefit free session, and a
few paid orders of the demo resident. Re-running replaces the earlier demo rows."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wenzhi.core.choices import Level, Role
from wenzhi.core.models import Organisation

from .choices import EventKind, RefundRule, VenueKind
from .models import CheckIn, Event, Hall, LedgerEntry, Order, Payment, Session, Ticket, Venue
from .seatmaps import parse_layout
from .services import OrderRefused
from .services import orders as order_services
from .services.sessions import put_on_sale
from .services.venues import apply_map, parse_zones

DEMO = "（演示）"
VENUES = [("天津大剧院", VenueKind.THEATRE), ("中华剧院", VenueKind.THEATRE), ("天津音乐厅", VenueKind.CONCERT_HALL),
          ("滨海影城", VenueKind.CINEMA), ("津城影院", VenueKind.CINEMA), ("天津美术馆", VenueKind.MUSEUM),
          ("人民剧场", VenueKind.THEATRE), ("光华影城", VenueKind.CINEMA)]
SHOWS = {EventKind.PERFORMANCE: ["话剧《雷雨》", "京剧《杨门女将》", "相声专场", "评剧《花为媒》", "舞剧《咏春》"],
         EventKind.CINEMA: ["电影《流浪地球》", "电影《长津湖》", "动画电影《哪吒》", "纪录片《航拍天津》"],
         EventKind.EXHIBITION: ["津门书画展", "非遗剪纸展", "数字艺术特展"]}
THEATRE_ZONES = "A 一等座 #c0392b\nB 二等座 #2f6fb0\nC 三等座 #27ae60"
PRICES = {"A": Decimal("380.00"), "B": Decimal("180.00"), "C": Decimal("80.00")}


def theatre_layout(stalls: int, circle: int, width: int) -> str:
    """Stalls with a centre aisle, accessible seats at the ends of the last stalls row, a circle behind."""
    lines = []
    half = width // 2
    for r in range(1, stalls + 1):
        zone = "A" if r <= stalls // 2 else "B"
        left, right = zone * (half - (r % 2)), zone * (half - (r % 2))
        if r == stalls:
            left, right = zone.lower() * 2 + left[2:], right[:-2] + zone.lower() * 2
        lines.append(f"池座 {r} {'.' * (r % 2)}{left}..{right}")
    lines.append("")
    for r in range(1, circle + 1):
        lines.append(f"楼座 {r} {'C' * (width + 2)}")
    return "\n".join(lines)


def screen_layout(rows: int, width: int) -> str:
    return "\n".join(f"影厅 {r} {'#' if r == 1 else 'B'}{'B' * (width - 2)}{'#' if r == 1 else 'B'}"
                     for r in range(1, rows + 1))


def _clear() -> None:
    CheckIn.objects.filter(ticket__order__is_demo=True).delete()
    LedgerEntry.objects.filter(order__is_demo=True).delete()
    Payment.objects.filter(order__is_demo=True).delete()
    Ticket.objects.filter(order__is_demo=True).delete()
    Order.objects.filter(is_demo=True).delete()
    Session.objects.filter(event__venue__is_demo=True).delete()
    Venue.objects.filter(is_demo=True).delete()


def _hall(venue: Venue, name: str, layout: str, zones: str, is_screen: bool) -> Hall:
    hall = Hall.objects.create(venue=venue, name=name, is_screen=is_screen)
    apply_map(hall, parse_layout(layout), parse_zones(zones))
    return hall


def _sessions(rng: random.Random, event: Event, hall: Hall, n: int, free_first: bool) -> list[Session]:
    now = timezone.localtime()  # evening shows at 19:30 in the city's time, not in UTC
    out = []
    for i in range(n):
        starts = (now + timedelta(days=2 + i * 3 + rng.randint(0, 2))).replace(hour=19, minute=30, second=0,
                                                                                microsecond=0)
        free = free_first and i == 0
        session = Session.objects.create(
            event=event, hall=hall, starts_at=starts, sale_starts_at=now - timedelta(days=1),
            sale_ends_at=starts - timedelta(minutes=30), is_free=free, per_person_limit=2 if free else None,
            refund_rule=RefundRule.NONE if free else rng.choice([RefundRule.FULL, RefundRule.FEE]),
            refund_fee_percent=Decimal("10.00"))
        zones = {z.code for z in hall.zones.all()}
        put_on_sale(session, {c: PRICES.get(c, Decimal("60.00")) for c in zones})
        out.append(session)
    return out


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    rng = random.Random(20251201)
    with transaction.atomic():
        _clear()
    districts = list(Organisation.objects.filter(level=Level.DISTRICT).order_by("code"))
    if not districts:
        return {"venues": 0}
    operator = get_user_model().objects.filter(username="venue").first()  # the demo 场馆商户 account
    operator = operator if operator is not None and operator.has_role(Role.VENUE_OPERATOR) else None
    n_venues = max(2, min(len(VENUES) * 2, round(6 * scale)))
    sessions: list[Session] = []
    with transaction.atomic():
        for i in range(n_venues):
            name, kind = VENUES[i % len(VENUES)]
            suffix = "" if i < len(VENUES) else f"{i // len(VENUES) + 1}号馆"
            venue = Venue.objects.create(name=f"{name}{suffix}{DEMO}", kind=kind, district=districts[i % len(districts)],
                                         address=f"{districts[i % len(districts)].name}文化路{i + 1}号", is_demo=True)
            if operator is not None and i % 2 == 0:
                venue.managers.add(operator)
            sessions += _venue_program(rng, venue, kind, scale)
    orders = _demo_orders(rng, sessions)
    return {"venues": n_venues, "sessions": len(sessions), "orders": orders}


def _venue_program(rng: random.Random, venue: Venue, kind: str, scale: float) -> list[Session]:
    per_event = 2 if scale < 1 else 3
    if kind == VenueKind.CINEMA:
        out = []
        for s in range(2):
            hall = _hall(venue, f"{s + 1}号厅", screen_layout(12 + 2 * s, 18 + 2 * s), "B 普通座 #2f6fb0", True)
            title = rng.choice(SHOWS[EventKind.CINEMA])
            event = Event.objects.create(title=f"{title}{DEMO}", kind=EventKind.CINEMA, venue=venue, is_demo=True,
                                         description=f"{title}，{venue.name}放映。")
            out += _sessions(rng, event, hall, per_event, free_first=s == 1)
        return out
    hall = _hall(venue, "主厅" if kind != VenueKind.MUSEUM else "展厅",
                 theatre_layout(16, 6, 24) if kind != VenueKind.MUSEUM else screen_layout(10, 30),
                 THEATRE_ZONES if kind != VenueKind.MUSEUM else "B 普通票 #2f6fb0", False)
    event_kind = EventKind.EXHIBITION if kind == VenueKind.MUSEUM else EventKind.PERFORMANCE
    out = []
    for title in rng.sample(SHOWS[event_kind], 2):
        event = Event.objects.create(title=f"{title}{DEMO}", kind=event_kind, venue=venue, is_demo=True,
                                     description=f"{title}（{venue.name}）。")
        out += _sessions(rng, event, hall, per_event, free_first=event_kind == EventKind.EXHIBITION)
    return out


def _demo_orders(rng: random.Random, sessions: list[Session]) -> int:
    """The demo resident buys a few tickets (paid through the test provider) so its pages show real work."""
    buyer = get_user_model().objects.filter(username="public").first()
    if buyer is None or not sessions:
        return 0
    made = 0
    for session in rng.sample(sessions, min(3, len(sessions))):
        from .selectors import best_available

        seats = best_available(session=session, count=2)
        try:
            order = order_services.order_create(buyer=buyer, session=session, seat_ids=seats)
            order_services.order_pay(actor=buyer, order=order, provider="test")
        except OrderRefused:
            continue
        Order.objects.filter(pk=order.pk).update(is_demo=True)
        made += 1
    return made
