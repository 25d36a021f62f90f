"""Events and their sessions: a session is created with its prices per zone and its seats put on sale."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wenzhi.core.permissions import require
from wenzhi.core.services import audited_save

from ..models import Event, Hall, Seat, Session, SessionPrice, SessionSeat, Venue

EVENT_FIELDS = ("title", "kind", "description", "published")
SESSION_FIELDS = ("starts_at", "sale_starts_at", "sale_ends_at", "is_free", "per_person_limit", "quota",
                  "hold_minutes", "refund_rule", "refund_hours", "refund_fee_percent")


def event_create(*, actor, venue: Venue, data: dict, is_demo: bool = False) -> Event:
    require(actor, "consumption.session_manage", venue)
    event = Event(venue=venue, is_demo=is_demo, **{k: v for k, v in data.items() if k in EVENT_FIELDS})
    with transaction.atomic(durable=True):
        return audited_save(event, actor=actor)


def event_update(*, actor, event: Event, data: dict) -> Event:
    require(actor, "consumption.session_manage", event)
    with transaction.atomic(durable=True):
        locked = Event.objects.select_for_update().get(pk=event.pk)
        changed = [k for k in EVENT_FIELDS if k in data and getattr(locked, k) != data[k]]
        for key in changed:
            setattr(locked, key, data[key])
        if changed:
            audited_save(locked, actor=actor, update_fields=changed)
    return locked


def _check_session(session: Session) -> None:
    errors = {}
    if session.sale_ends_at <= session.sale_starts_at:
        errors["sale_ends_at"] = gettext("停售时间：必须晚于开售时间。")
    elif session.sale_ends_at > session.starts_at:
        errors["sale_ends_at"] = gettext("停售时间：不能晚于开始时间。")
    if session.is_free and session.per_person_limit is None:
        errors["per_person_limit"] = gettext("每人限购：公益免费场必须设置每人限购张数。")
    if session.refund_fee_percent < 0 or session.refund_fee_percent > 100:
        errors["refund_fee_percent"] = gettext("退票手续费：应在 0 到 100 之间。")
    if errors:
        raise ValidationError(errors)


def session_create(*, actor, event: Event, hall: Hall, data: dict, prices: dict[str, Decimal]) -> Session:
    """A session of ``event`` in ``hall``; ``prices`` per zone code (every zone with seats needs one unless the
    session is free). The hall's sellable seats go on sale — with a quota, the first ``quota`` of them in the
    map's order (front rows, then left to right)."""
    require(actor, "consumption.session_manage", event)
    if hall.venue_id != event.venue_id:
        raise ValidationError({"hall": gettext("演出厅：必须是本场馆的厅。")})
    session = Session(event=event, hall=hall, **{k: v for k, v in data.items() if k in SESSION_FIELDS})
    _check_session(session)
    zones = {z.code: z for z in hall.zones.all()}
    used = set(Seat.objects.filter(hall=hall, blocked=False, retired=False).values_list("zone__code", flat=True))
    if not session.is_free:
        missing = sorted(c for c in used if c and c not in prices)
        if missing:
            raise ValidationError({"prices": gettext("票价：票档 %(codes)s 没有定价。") % {"codes": "、".join(missing)}})
        bad = [c for c, p in prices.items() if p is None or p < 0 or c not in zones]
        if bad:
            raise ValidationError({"prices": gettext("票价：票档 %(codes)s 不存在或价格为负。") % {"codes": "、".join(bad)}})
    with transaction.atomic(durable=True):
        audited_save(session, actor=actor)
        put_on_sale(session, prices)
    return session


def put_on_sale(session: Session, prices: dict[str, Decimal]) -> None:
    """Price the session's zones and put its seats on sale (inside the caller's transaction)."""
    hall = session.hall
    zones = {z.code: z for z in hall.zones.all()}
    SessionPrice.objects.bulk_create([SessionPrice(session=session, zone=zones[c],
                                                   price=Decimal("0.00") if session.is_free else p)
                                      for c, p in prices.items() if c in zones])
    seats = Seat.objects.filter(hall=hall, blocked=False, retired=False).order_by("y", "x").values_list(
        "pk", flat=True)
    if session.quota is not None:
        seats = seats[:session.quota]
    SessionSeat.objects.bulk_create([SessionSeat(session=session, seat_id=pk) for pk in seats], batch_size=2000)


def session_cancel(*, actor, session: Session) -> Session:
    """Stop selling a session (buyers cancel for a full refund, staff refund through the orders)."""
    require(actor, "consumption.session_manage", session)
    with transaction.atomic(durable=True):
        locked = Session.objects.select_for_update().get(pk=session.pk)
        locked.cancelled = True
        audited_save(locked, actor=actor, update_fields=["cancelled"])
    return locked
