"""Reads of culture consumption, each scoped to its caller: the public listing, a session's seats, a buyer's
orders, the venues a user keeps or reads, and box-office figures."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.utils import timezone

from wenzhi.core.choices import Role
from wenzhi.core.scoping import scope_for

from .choices import OrderStatus, SeatStatus, TicketStatus
from .models import Event, Order, Seat, Session, SessionSeat, Ticket, Venue


def available_q(now=None) -> Q:
    """A session seat a claim would take now: available, or held with the hold lapsed."""
    now = now or timezone.now()
    return Q(status=SeatStatus.AVAILABLE) | Q(status=SeatStatus.HELD, held_until__lt=now)


def public_sessions(*, q: str = "", kind: str = "", district: int | None = None, day: dt.date | None = None,
                    free: bool = False) -> QuerySet[Session]:
    """Sessions on sale now, soonest first, with the lowest price and the number of seats left."""
    now = timezone.now()
    qs = Session.objects.filter(cancelled=False, event__published=True, sale_starts_at__lte=now,
                                sale_ends_at__gt=now, starts_at__gt=now)
    if q:
        qs = qs.filter(Q(event__title__icontains=q) | Q(event__venue__name__icontains=q))
    if kind:
        qs = qs.filter(event__kind=kind)
    if district:
        qs = qs.filter(hall__venue__district_id=district)
    if day:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    if free:
        qs = qs.filter(is_free=True)
    return (qs.select_related("event", "hall__venue__district")
            .annotate(min_price=Min("prices__price"),
                      seats_left=Count("seat_states", filter=Q(seat_states__status=SeatStatus.AVAILABLE)
                                       | Q(seat_states__status=SeatStatus.HELD, seat_states__held_until__lt=now),
                                       distinct=True))
            .order_by("starts_at", "pk"))


def session_seats(*, session: Session) -> list[dict]:
    """Every seat on the session's map with its status now (a lapsed hold reads as available), price and
    drawing position; seats not on sale in this session read as sold-out places (``status`` "sold")."""
    now = timezone.now()
    states = {s["seat_id"]: s for s in SessionSeat.objects.filter(session=session).values(
        "seat_id", "status", "held_until")}
    prices = dict(session.prices.values_list("zone_id", "price"))
    out = []
    for seat in Seat.objects.filter(hall_id=session.hall_id, retired=False).values(
            "pk", "section__name", "row_label", "number", "x", "y", "zone_id", "zone__code", "accessible", "blocked"):
        state = states.get(seat["pk"])
        if state is None or seat["blocked"]:
            status = SeatStatus.SOLD if state is None and not seat["blocked"] else "blocked"
        elif state["status"] == SeatStatus.HELD and state["held_until"] and state["held_until"] < now:
            status = SeatStatus.AVAILABLE
        else:
            status = state["status"]
        out.append({"id": seat["pk"], "status": str(status), "section": seat["section__name"],
                    "row": seat["row_label"], "number": seat["number"], "x": seat["x"], "y": seat["y"],
                    "zone": seat["zone__code"], "price": prices.get(seat["zone_id"]),
                    "accessible": seat["accessible"]})
    return out


def best_available(*, session: Session, count: int, zone: str = "") -> list[int]:
    """``count`` free seats side by side in one row, nearest the front and centre; else the best ``count``."""
    seats = [s for s in session_seats(session=session) if s["status"] == SeatStatus.AVAILABLE
             and (not zone or s["zone"] == zone)]
    if len(seats) < count:
        return []
    centre = (min(s["x"] for s in seats) + max(s["x"] for s in seats)) / 2
    rows: dict[tuple, list[dict]] = {}
    for s in seats:
        rows.setdefault((s["y"], s["section"], s["row"]), []).append(s)
    best: tuple | None = None
    for key in sorted(rows):
        row = sorted(rows[key], key=lambda s: s["x"])
        for i in range(len(row) - count + 1):
            block = row[i:i + count]
            if block[-1]["x"] - block[0]["x"] != count - 1:
                continue  # an aisle or a taken seat in between
            score = (key[0], abs((block[0]["x"] + block[-1]["x"]) / 2 - centre))
            if best is None or score < best[0]:
                best = (score, [s["id"] for s in block])
        if best is not None:
            return best[1]
    seats.sort(key=lambda s: (s["y"], abs(s["x"] - centre)))
    return [s["id"] for s in seats[:count]]


def orders_for(*, user) -> QuerySet[Order]:
    return (Order.objects.filter(buyer=user).select_related("session__event", "session__hall__venue")
            .annotate(tickets_n=Count("tickets")).order_by("-created_at", "-pk"))


def venues_for(*, user) -> QuerySet[Venue]:
    """Venues the user keeps (venue operator: its own; city: all) or reads (district officer: its district)."""
    qs = Venue.objects.select_related("district").annotate(halls_n=Count("halls", distinct=True))
    if user.is_superuser or user.has_role(Role.CITY_ADMIN):
        return qs
    scope = scope_for(user)
    cond = Q(managers=user) if user.has_role(Role.VENUE_OPERATOR) else Q(pk__in=[])
    if user.has_role(Role.DISTRICT_OFFICER) and scope.kind == "district":
        cond |= Q(district_id=scope.organisation_id)
    return qs.filter(cond).distinct()


def events_for(*, user) -> QuerySet[Event]:
    return Event.objects.filter(venue__in=venues_for(user=user).values("pk")).select_related("venue")


def sessions_for(*, user) -> QuerySet[Session]:
    return (Session.objects.filter(event__venue__in=venues_for(user=user).values("pk"))
            .select_related("event", "hall__venue").order_by("-starts_at", "-pk"))


def box_office(*, session: Session) -> dict:
    """Tickets sold, revenue (net of refunds), seats left and admissions of one session."""
    tickets = Ticket.objects.filter(session=session)
    sold = tickets.filter(status=TicketStatus.VALID)
    orders = Order.objects.filter(session=session, status__in=[OrderStatus.PAID, OrderStatus.REFUNDED])
    money = orders.aggregate(total=Sum("total"), refunded=Sum("refunded"))
    capacity = SessionSeat.objects.filter(session=session).count()
    return {"capacity": capacity, "sold": sold.count(),
            "left": SessionSeat.objects.filter(session=session).filter(available_q()).count(),
            "revenue": (money["total"] or 0) - (money["refunded"] or 0), "refunded": money["refunded"] or 0,
            "checked_in": sold.filter(check_in__isnull=False).count(),
            "by_zone": list(sold.values(zone=F("seat__zone__name")).annotate(n=Count("pk"), amount=Sum("price"))
                            .order_by("zone"))}

