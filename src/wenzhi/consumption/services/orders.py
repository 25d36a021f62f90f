"""Orders: claim seats (one conditional UPDATE), pay through a provider, apply its callbacks once, cancel and
refund by rule.

The seat claim is the inventory's only gate: ``UPDATE session seat SET held WHERE seat IN (...) AND (available
OR hold lapsed)`` inside the order's transaction; fewer rows changed than seats asked means another buyer won
one of them, and the whole order rolls back. No read-then-write: the database's row locks decide, on
PostgreSQL (READ COMMITTED re-checks the condition after waiting) and on SQLite (IMMEDIATE transactions).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core import pgsql
from wenzhi.core.permissions import require

from .. import payments
from ..choices import LedgerKind, OrderStatus, PaymentStatus, RefundRule, SeatStatus, TicketStatus
from ..models import LedgerEntry, Order, Payment, Seat, Session, SessionPrice, SessionSeat, Ticket
from .errors import OrderRefused, SeatTaken

MAX_SEATS_PER_ORDER = 10
CENT = Decimal("0.01")


def _clean_seat_ids(seat_ids) -> list[int]:
    if not isinstance(seat_ids, (list, tuple)) or not seat_ids:
        raise ValidationError({"seats": gettext("座位：请至少选择一个座位（座位编号列表）。")})
    try:
        ids = [int(s) for s in seat_ids]
    except (TypeError, ValueError):
        raise ValidationError({"seats": gettext("座位：编号必须是整数。")}) from None
    if len(set(ids)) != len(ids):
        raise ValidationError({"seats": gettext("座位：同一个座位选了两次。")})
    if len(ids) > MAX_SEATS_PER_ORDER:
        raise ValidationError({"seats": gettext("座位：一个订单最多 %(n)d 个座位。") % {"n": MAX_SEATS_PER_ORDER}})
    return sorted(ids)


_map_cache: dict[tuple[str, int, int], dict] = {}
_price_cache: dict[int, tuple[float, dict[int, Decimal]]] = {}
PRICE_CACHE_SECONDS = 30.0


def _per_map(what: str, hall_id: int, map_version: int, build) -> dict:
    """``build()``, kept per process for each version of a hall's map (a rush reads the same map thousands of
    times; an edited map has a new version)."""
    key = (what, hall_id, map_version)
    if key not in _map_cache:
        if len(_map_cache) > 512:
            _map_cache.clear()
        _map_cache[key] = build()
    return _map_cache[key]


def _hall_zones(hall_id: int, map_version: int) -> dict[int, int]:
    """Sellable seat → price zone of a hall's map."""
    return _per_map("zones", hall_id, map_version, lambda: dict(Seat.objects.filter(
        hall_id=hall_id, blocked=False, retired=False).values_list("pk", "zone_id")))


def _zone_prices(session: Session) -> dict[int, Decimal]:
    cached = _price_cache.get(session.pk)
    if cached is None or time.monotonic() - cached[0] > PRICE_CACHE_SECONDS:
        if len(_price_cache) > 4096:
            _price_cache.clear()
        cached = (time.monotonic(), dict(SessionPrice.objects.filter(session=session).values_list("zone_id", "price")))
        _price_cache[session.pk] = cached
    return cached[1]


def _prices(session: Session, ids: list[int]) -> dict[int, Decimal]:
    """The price of each chosen seat; unknown or unsellable seats are bad input naming them."""
    seats = _hall_zones(session.hall_id, session.hall.map_version)
    unknown = [i for i in ids if i not in seats]
    if unknown:
        raise ValidationError({"seats": gettext("座位：%(ids)s 不是本场次可售的座位。") % {
            "ids": ", ".join(map(str, unknown))}})
    zone_prices = _zone_prices(session)
    if session.is_free:
        return dict.fromkeys(ids, Decimal("0.00"))
    missing = [i for i in ids if seats[i] not in zone_prices]
    if missing:
        raise ValidationError({"seats": gettext("座位：%(ids)s 所在票档本场次未定价，暂不出售。") % {
            "ids": ", ".join(map(str, missing))}})
    return {i: zone_prices[seats[i]] for i in ids}


def _check_person_limit(session: Session, buyer, wanted: int, now) -> None:
    """Public-benefit limits: lock the session row (once, late), then count the buyer's live tickets."""
    Session.objects.select_for_update().filter(pk=session.pk).first()
    live = Ticket.objects.filter(session=session, order__buyer=buyer).filter(
        Q(status=TicketStatus.VALID) | Q(status=TicketStatus.HELD, order__status=OrderStatus.PENDING,
                                         order__held_until__gt=now)).count()
    if live + wanted > (session.per_person_limit or 0):
        raise OrderRefused(gettext("本场次每人限 %(limit)d 张，您已有 %(have)d 张，不能再选 %(want)d 张。") % {
            "limit": session.per_person_limit, "have": live, "want": wanted})


def _taken_message(session: Session, ids: list[int]) -> SeatTaken:
    now = timezone.now()
    states = {s.seat_id: s for s in SessionSeat.objects.filter(session=session, seat_id__in=ids).select_related(
        "seat__section")}  # the states and the seats' names in one query
    taken = [i for i in ids if i not in states or states[i].status == SeatStatus.SOLD
             or (states[i].status == SeatStatus.HELD and (states[i].held_until or now) >= now)]
    names = "、".join(str(states[i].seat) if i in states else str(i) for i in taken) or gettext("所选座位")
    return SeatTaken(gettext("座位已被他人选走：%(seats)s。请重新选座。") % {"seats": names}, taken)


def _is_deadlock(exc: OperationalError) -> bool:
    code = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
    return code in ("40P01", "40001", "55P03") or "deadlock" in str(exc).lower()


def order_create(*, buyer, session: Session, seat_ids: Sequence) -> Order:
    """Hold the chosen seats of ``session`` for ``buyer`` for the session's hold time; 409 (``SeatTaken``) when
    any seat is held or sold, ``OrderRefused`` outside the sale window or over a per-person limit."""
    require(buyer, "consumption.buy")
    ids = _clean_seat_ids(seat_ids)
    now = timezone.now()
    if not session.on_sale(now):
        raise OrderRefused(gettext("本场次当前不在售票时间内。"))
    prices = _prices(session, ids)
    claim = _claim_pg if pgsql.is_postgresql() and not session.per_person_limit else _claim
    for attempt in range(3):
        try:
            return claim(buyer, session, ids, prices)
        except OperationalError as exc:  # a deadlock between two claims: the loser tries again
            if attempt == 2 or not _is_deadlock(exc):
                raise
    raise AssertionError("unreachable")


def _claim(buyer, session: Session, ids: list[int], prices: dict[int, Decimal]) -> Order:
    now = timezone.now()
    until = now + timedelta(minutes=session.hold_minutes)
    try:
        with transaction.atomic(durable=True):
            if session.per_person_limit:
                _check_person_limit(session, buyer, len(ids), now)
            order = Order.objects.create(session=session, buyer=buyer, total=sum(prices.values(), Decimal("0.00")),
                                         seat_count=len(ids), held_until=until)
            claimed = SessionSeat.objects.filter(session=session, seat_id__in=ids).filter(
                Q(status=SeatStatus.AVAILABLE) | Q(status=SeatStatus.HELD, held_until__lt=now),
            ).update(status=SeatStatus.HELD, order=order, held_until=until)
            if claimed != len(ids):
                raise SeatTaken("", [])
            order.held_tickets = Ticket.objects.bulk_create([  # type: ignore[attr-defined]
                Ticket(order=order, session=session, seat_id=i, price=prices[i], secret=secrets.token_hex(12))
                for i in ids])
            return order
    except SeatTaken:
        raise _taken_message(session, ids) from None


# PostgreSQL: the whole claim in one statement, its own transaction. The wanted seats that are free are locked in
# seat order (no deadlock between two claims) and checked again once locked; the order, the seats' hold and the
# tickets are written only when every seat was free; otherwise the statement changes nothing and returns the seats
# that were not. Seats are locked only when a first look without locks (``free``) finds them all free: a claim
# refused at that look (most refusals in a rush) writes nothing at all, not even row locks, so its transaction
# commits without waiting for the WAL to reach the disk. The hold is committed durably like every other write: a
# buyer answered 201 has the seats even if PostgreSQL restarts.
_CLAIM_SQL = """
WITH free AS MATERIALIZED (
    SELECT seat_id FROM consumption_sessionseat
    WHERE session_id = %(session)s AND seat_id = ANY(%(seats)s::bigint[])
      AND (status = 'available' OR (status = 'held' AND held_until < %(now)s))
), want AS MATERIALIZED (
    SELECT id, seat_id FROM consumption_sessionseat
    WHERE session_id = %(session)s AND seat_id = ANY(%(seats)s::bigint[])
      AND (status = 'available' OR (status = 'held' AND held_until < %(now)s))
      AND (SELECT count(*) FROM free) = %(count)s
    ORDER BY seat_id FOR UPDATE
), ord AS (
    INSERT INTO consumption_order (number, session_id, buyer_id, status, total, seat_count, refunded, held_until,
                                   created_at, note, is_demo)
    SELECT %(number)s, %(session)s, %(buyer)s, 'pending', %(total)s, %(count)s, 0, %(until)s, %(now)s, '', false
    WHERE (SELECT count(*) FROM want) = %(count)s
    RETURNING id
), held AS (
    UPDATE consumption_sessionseat ss SET status = 'held', order_id = ord.id, held_until = %(until)s
    FROM ord WHERE ss.id IN (SELECT id FROM want)
), tickets AS (
    INSERT INTO consumption_ticket (order_id, session_id, seat_id, price, status, secret)
    SELECT ord.id, %(session)s, t.seat, t.price, 'held', t.secret
    FROM ord, unnest(%(seats)s::bigint[], %(prices)s::numeric[], %(secrets)s::varchar[]) AS t(seat, price, secret)
    RETURNING id, order_id, seat_id
)
SELECT order_id, id, seat_id FROM tickets
UNION ALL
SELECT NULL, NULL, x.seat FROM unnest(%(seats)s::bigint[]) AS x(seat)
WHERE NOT EXISTS (SELECT 1 FROM ord) AND x.seat NOT IN (SELECT seat_id FROM want)
  AND (x.seat NOT IN (SELECT seat_id FROM free) OR (SELECT count(*) FROM free) = %(count)s)
"""


def _claim_pg(buyer, session: Session, ids: list[int], prices: dict[int, Decimal]) -> Order:
    """``_claim`` on PostgreSQL in one round trip (``_CLAIM_SQL``): the same rows, the same refusal."""
    now = timezone.now()
    until = now + timedelta(minutes=session.hold_minutes)
    order = _built(Order, {"number": uuid.uuid4(), "total": sum(prices.values(), Decimal("0.00")),
                           "seat_count": len(ids), "held_until": until, "created_at": now},
                   session=session, buyer=buyer)
    secrets_ = [secrets.token_hex(12) for _ in ids]
    found = pgsql.rows(_CLAIM_SQL, {  # the arrays as array literals: psycopg adapts a list element by element
        "session": session.pk, "seats": _array(ids), "now": now, "until": until, "number": order.number,
        "buyer": buyer.pk, "total": order.total, "count": len(ids), "prices": _array(prices[i] for i in ids),
        "secrets": _array(secrets_)})
    if not found or found[0][0] is None:
        taken = sorted(row[2] for row in found)
        names = _seat_names(session.hall_id, session.hall.map_version)
        seat = gettext("%(section)s %(row)s排%(number)s座")
        text = "、".join(seat % names[i] if i in names else str(i) for i in taken)
        raise SeatTaken(gettext("座位已被他人选走：%(seats)s。请重新选座。") % {
            "seats": text or gettext("所选座位")}, taken)
    order.pk = found[0][0]
    secret_of = dict(zip(ids, secrets_, strict=True))
    order.held_tickets = [_built(Ticket, {
        "id": row[1], "seat_id": row[2], "price": prices[row[2]], "secret": secret_of[row[2]]},
        order=order, session=session) for row in sorted(found, key=lambda row: row[2])]
    return order


def _array(values) -> str:
    """A PostgreSQL array literal of integers, decimals or hex strings (nothing in them to quote)."""
    return "{" + ",".join(map(str, values)) + "}"


def _seat_names(hall_id: int, map_version: int) -> dict[int, dict]:
    """Seat → its section, row and number of a hall's map, as the seat-name pattern takes them: what a refused
    claim names the taken seats by."""
    return _per_map("names", hall_id, map_version, lambda: {
        pk: {"section": section, "row": row, "number": number} for pk, section, row, number in Seat.objects.filter(
            hall_id=hall_id).values_list("pk", "section__name", "row_label", "number")})


_defaults: dict[type, tuple[tuple[str, ...], dict]] = {}


def _built(model, values: dict, **related):
    """The instance ``model(**values, **related)`` marked as stored, for a row a statement wrote: built as
    ``pgsql.loaded`` builds a row read (``Model.__init__`` cost more than the statement's Python side), every
    field not in ``values`` at its default (a field with a callable default must be in ``values``), and
    ``related`` (foreign keys as instances) cached as ``Model.__init__`` caches them."""
    spec = _defaults.get(model)
    if spec is None:
        fields = model._meta.concrete_fields
        spec = _defaults[model] = (tuple(f.attname for f in fields), {
            f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))})
    names, defaults = spec
    for name, obj in related.items():
        values[name + "_id"] = obj.pk
    obj = pgsql.loaded(model, names, [values[n] if n in values else defaults[n] for n in names])
    for name, value in related.items():
        model._meta.get_field(name).set_cached_value(obj, value)
    return obj


def order_pay(*, actor, order: Order, provider: str) -> tuple[Order, str]:
    """Pay ``order`` through ``provider``; returns the order and, for a provider that sends the buyer
    elsewhere, the address to go to. Paying a paid order again charges nothing."""
    require(actor, "consumption.buy", order)
    impl = payments.get(provider)
    if impl is None:
        raise ValidationError({"provider": gettext("支付方式：没有名为“%(name)s”的支付方式。") % {"name": provider}})
    if order.status == OrderStatus.PAID:
        return order, ""
    if order.status != OrderStatus.PENDING:
        raise OrderRefused(gettext("订单%(status)s，不能支付。") % {"status": order.get_status_display()})
    if order.total == 0:
        with transaction.atomic(durable=True):
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status == OrderStatus.PENDING and not _settle(locked):
                raise OrderRefused(_LOST())
        order.refresh_from_db()
        if order.status != OrderStatus.PAID:  # expired by the hold sweep a moment before
            raise OrderRefused(order.note or _LOST())
        return order, ""
    payment = _payment_store(order, impl.name)
    result = impl.start(payment)
    if result.event is not None:
        order = payment_event_apply(provider=impl.name, event=result.event, payment=payment)
    else:
        order.refresh_from_db()
    if order.status == OrderStatus.EXPIRED:
        raise OrderRefused(order.note or _LOST())
    return order, result.redirect_url


def _payment_store(order: Order, provider: str) -> Payment:
    """The payment row, committed before the provider is asked (its callbacks name it): one INSERT on its own."""
    if not pgsql.is_postgresql():
        payment = Payment(order=order, provider=provider, reference=payments.new_reference(), amount=order.total)
        with transaction.atomic(durable=True):
            payment.save(force_insert=True)
        return payment
    payment = _built(Payment, {"provider": provider, "reference": payments.new_reference(), "amount": order.total,
                               "created_at": timezone.now()}, order=order)
    payment.pk = pgsql.rows(
        "INSERT INTO consumption_payment (order_id, provider, reference, amount, status, created_at) "
        "VALUES (%(order)s, %(provider)s, %(reference)s, %(amount)s, 'pending', %(now)s) RETURNING id",
        {"order": order.pk, "provider": provider, "reference": payment.reference, "amount": payment.amount,
         "now": payment.created_at})[0][0]
    return payment


def _LOST() -> str:  # noqa: N802 - a message, spelled like a constant
    return gettext("锁座已超时，部分座位已被他人购买，订单失效；如已付款，款项已全额退回。请重新选座。")


def _settle(order: Order) -> bool:
    """Turn the order's held seats into sold ones (the order row is locked); False when a seat was lost."""
    expected = order.seat_count
    sold = SessionSeat.objects.filter(order=order, status=SeatStatus.HELD).update(status=SeatStatus.SOLD,
                                                                                   held_until=None)
    if sold == expected and expected:
        order.tickets.filter(status=TicketStatus.HELD).update(status=TicketStatus.VALID)
        order.status, order.paid_at = OrderStatus.PAID, timezone.now()
        order.save(update_fields=["status", "paid_at"])
        return True
    SessionSeat.objects.filter(order=order).exclude(status=SeatStatus.AVAILABLE).update(
        status=SeatStatus.AVAILABLE, order=None, held_until=None)
    order.tickets.filter(status=TicketStatus.HELD).update(status=TicketStatus.RELEASED)
    order.status, order.note = OrderStatus.EXPIRED, _LOST()
    order.save(update_fields=["status", "note"])
    return False


def payment_callback(*, provider: str, body: bytes, headers) -> Order:
    """A provider's signed callback (``/consumption/payments/<provider>/callback/``): verify, then apply once."""
    impl = payments.get(provider)
    if impl is None:
        raise ValidationError({"provider": gettext("支付方式：没有名为“%(name)s”的支付方式。") % {"name": provider}})
    try:
        event = impl.verify_callback(body, headers)
    except payments.BadSignature:
        raise ValidationError({"signature": gettext("支付回调签名无效，已拒绝。")}) from None
    return payment_event_apply(provider=impl.name, event=event)


def payment_event_apply(*, provider: str, event: payments.CallbackEvent, order_id: int | None = None,
                        payment: Payment | None = None) -> Order:
    """Apply a provider's event exactly once, in any order: a success charges the ledger and sells the seats (or,
    when they were lost or the order is no longer waiting, is refunded in full at once); a failure after a
    success is stale and ignored; an event seen before changes nothing. ``payment`` is the row ``order_pay``
    has just stored for this event: its status is then claimed with one conditional UPDATE, not read first."""
    if payment is not None:
        if (pgsql.is_postgresql() and payment.reference == event.reference
                and event.status == PaymentStatus.SUCCEEDED):
            _check_amount(event, payment)
            paid = _charge_pg(provider, event, payment)
            if paid is not None:
                return paid
        order_id = payment.order_id
    found = [order_id] if order_id else Payment.objects.filter(
        provider=provider, reference=event.reference).values_list("order_id", flat=True)
    if not found:
        raise ValidationError({"reference": gettext("支付回调：找不到支付单 %(ref)s。") % {"ref": event.reference}})
    with transaction.atomic(durable=True):
        order = Order.objects.select_for_update().get(pk=found[0])  # order first, then payment: one lock order
        payment = _payment_to_charge(order, provider, event, payment)
        if payment is None:
            return order
        LedgerEntry.objects.create(order=order, payment=payment, kind=LedgerKind.CHARGE, amount=payment.amount,
                                   provider=provider, event_id=event.event_id)
        if order.status == OrderStatus.PENDING and _settle(order):
            return order
        _refund_payment(order, payment, payment.amount)
        return order


_ORDER_COLUMNS = [str(f.column) for f in Order._meta.concrete_fields]
# PostgreSQL, the common case of a payment as one statement: the order row locked while it waits, then its held
# seats (in seat order); only when every seat of the order is still held is the payment marked succeeded, the
# charge written to the ledger, the seats sold, the tickets made valid and the order paid. Anything else (the
# order no longer waiting, a seat lost, the payment seen before) changes nothing, and the general path decides.
_CHARGE_SQL = f"""
WITH o AS MATERIALIZED (
    SELECT id, seat_count FROM consumption_order WHERE id = %(order)s AND status = 'pending' FOR UPDATE
), hs AS MATERIALIZED (
    SELECT id FROM consumption_sessionseat WHERE order_id = (SELECT id FROM o) AND status = 'held'
    ORDER BY seat_id FOR UPDATE
), p AS (
    UPDATE consumption_payment SET status = 'succeeded'
    WHERE id = %(payment)s AND status <> 'succeeded'
      AND (SELECT seat_count FROM o) > 0 AND (SELECT seat_count FROM o) = (SELECT count(*) FROM hs)
    RETURNING id, amount
), ledger AS (
    INSERT INTO consumption_ledgerentry (order_id, payment_id, kind, amount, provider, event_id, created_at)
    SELECT %(order)s, p.id, 'charge', p.amount, %(provider)s, %(event)s, %(now)s FROM p
), sold AS (
    UPDATE consumption_sessionseat SET status = 'sold', held_until = NULL
    WHERE id IN (SELECT id FROM hs) AND EXISTS (SELECT 1 FROM p)
), valid AS (
    UPDATE consumption_ticket SET status = 'valid'
    WHERE order_id = %(order)s AND status = 'held' AND EXISTS (SELECT 1 FROM p)
    RETURNING id, seat_id, price, secret
), paid AS (
    UPDATE consumption_order SET status = 'paid', paid_at = %(now)s WHERE id = %(order)s AND EXISTS (SELECT 1 FROM p)
    RETURNING {", ".join(_ORDER_COLUMNS)}
)
SELECT paid.*, valid.id, valid.seat_id, valid.price, valid.secret FROM paid LEFT JOIN valid ON true
"""


def _charge_pg(provider: str, event: payments.CallbackEvent, payment: Payment) -> Order | None:
    """The payment's success applied in one statement (``_CHARGE_SQL``): the paid order with its valid tickets
    (``paid_tickets``), or None when the statement changed nothing."""
    found = pgsql.rows(_CHARGE_SQL, {"order": payment.order_id, "payment": payment.pk, "provider": provider,
                                     "event": event.event_id, "now": timezone.now()})
    if not found:
        return None
    width = len(_ORDER_COLUMNS)
    order = pgsql.load(Order, found[0])
    order.paid_tickets = sorted((_built(Ticket, {
        "id": row[width], "session_id": order.session_id, "seat_id": row[width + 1], "price": row[width + 2],
        "status": TicketStatus.VALID, "secret": row[width + 3]}, order=order)
        for row in found if row[width] is not None), key=lambda t: t.pk)
    return order


def _payment_to_charge(order: Order, provider: str, event: payments.CallbackEvent,
                       known: Payment | None) -> Payment | None:
    """The payment ``event`` succeeds, now marked succeeded; None when the event is a failure or a success seen
    before. The order row is locked: every change of a payment's status happens under its order's lock."""
    if known is not None and known.reference == event.reference and event.status == PaymentStatus.SUCCEEDED:
        _check_amount(event, known)
        changed = Payment.objects.filter(pk=known.pk).exclude(status=PaymentStatus.SUCCEEDED).update(
            status=PaymentStatus.SUCCEEDED)
        if not changed:  # a callback of the same success came first
            return None
        known.status = PaymentStatus.SUCCEEDED
        return known
    payment = Payment.objects.select_for_update().filter(provider=provider, reference=event.reference,
                                                         order=order).first()
    if payment is None:
        raise ValidationError({"reference": gettext("支付回调：找不到支付单 %(ref)s。") % {"ref": event.reference}})
    if event.status != PaymentStatus.SUCCEEDED:
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.FAILED
            payment.save(update_fields=["status"])
        return None
    if payment.status == PaymentStatus.SUCCEEDED:  # a success seen before (the row is locked: no race)
        return None
    _check_amount(event, payment)
    payment.status = PaymentStatus.SUCCEEDED
    payment.save(update_fields=["status"])
    return payment


def _check_amount(event: payments.CallbackEvent, payment: Payment) -> None:
    if event.amount != payment.amount:
        raise ValidationError({"amount": gettext("支付回调金额 %(got)s 元与支付单金额 %(want)s 元不符，已拒绝。") % {
            "got": event.amount, "want": payment.amount}})


def _refund_payment(order: Order, payment: Payment, amount: Decimal) -> None:
    impl = payments.get(payment.provider)
    if impl is None:
        raise OrderRefused(gettext("支付方式“%(name)s”已停用，无法原路退款。") % {"name": payment.provider})
    refund_id = impl.refund(payment, amount)
    LedgerEntry.objects.create(order=order, payment=payment, kind=LedgerKind.REFUND, amount=amount,
                               provider=payment.provider, event_id=refund_id)


def net_paid(order: Order) -> Decimal:
    """Charges minus refunds of the order in the ledger."""
    rows = dict(order.ledger.values_list("kind").annotate(total=Sum("amount")))
    net = Decimal(rows.get(LedgerKind.CHARGE) or 0) - Decimal(rows.get(LedgerKind.REFUND) or 0)
    return net.quantize(CENT)  # SQLite's sum drops the trailing zeros


def _refund(order: Order, amount: Decimal) -> None:
    """Send ``amount`` back through the payments that brought the money, newest first (order row locked)."""
    left = amount
    for payment in order.payments.filter(status=PaymentStatus.SUCCEEDED).order_by("-pk"):
        paid = payment.ledger.filter(kind=LedgerKind.CHARGE).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        back = payment.ledger.filter(kind=LedgerKind.REFUND).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        part = min(left, paid - back)
        if part > 0:
            _refund_payment(order, payment, part)
            left -= part
        if left <= 0:
            break
    order.refunded += amount
    order.save(update_fields=["refunded"])


def refund_quote(order: Order, now=None) -> tuple[Decimal | None, str]:
    """What the buyer would get back by cancelling now under the session's rule, or None and why not."""
    now = now or timezone.now()
    session = order.session
    if session.refund_rule == RefundRule.NONE:
        return None, gettext("本场次不退不换。")
    deadline = session.starts_at - timedelta(hours=session.refund_hours)
    if now > deadline:
        return None, gettext("已过退票截止时间（%(at)s）。") % {"at": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
    remaining = order.total - order.refunded
    if session.refund_rule == RefundRule.FEE:
        fee = (order.total * session.refund_fee_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        return max(remaining - fee, Decimal("0.00")), ""
    return remaining, ""


def order_cancel(*, actor, order: Order) -> Order:
    """The buyer cancels: a waiting order releases its seats; a paid one is refunded by the session's rule and
    its seats go back on sale. A second cancel is refused with the order's state."""
    require(actor, "consumption.buy", order)
    with transaction.atomic(durable=True):
        locked = Order.objects.select_for_update().select_related("session").get(pk=order.pk)
        if locked.status == OrderStatus.PENDING:
            SessionSeat.objects.filter(order=locked, status=SeatStatus.HELD).update(
                status=SeatStatus.AVAILABLE, order=None, held_until=None)
            locked.tickets.filter(status=TicketStatus.HELD).update(status=TicketStatus.RELEASED)
            locked.status = OrderStatus.CANCELLED
            locked.save(update_fields=["status"])
            return locked
        if locked.status != OrderStatus.PAID:
            raise OrderRefused(gettext("订单%(status)s，不能退票。") % {"status": locked.get_status_display()})
        amount, why = refund_quote(locked)
        if amount is None:
            raise OrderRefused(gettext("不能退票：%(why)s") % {"why": why})
        if locked.tickets.filter(check_in__isnull=False).exists():
            raise OrderRefused(gettext("不能退票：已有门票检票入场。"))
        if amount > 0:
            _refund(locked, amount)
        _release_sold(locked)
        return locked


def _release_sold(order: Order) -> None:
    SessionSeat.objects.filter(order=order, status=SeatStatus.SOLD).update(status=SeatStatus.AVAILABLE, order=None)
    order.tickets.filter(status=TicketStatus.VALID).update(status=TicketStatus.REFUNDED)
    order.status = OrderStatus.REFUNDED
    order.save(update_fields=["status"])


def order_refund(*, actor, order: Order, amount: Decimal, reason: str) -> Order:
    """Venue staff refund money outside the rule (a cancelled show, a complaint): never more than is left of
    what was paid; refunding all of it also releases the seats."""
    require(actor, "consumption.refund", order)
    if not reason.strip():
        raise ValidationError({"reason": gettext("退款理由：请写明原因。")})
    if not isinstance(amount, Decimal) or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({"amount": gettext("退款金额：请填写大于 0 的金额，最多两位小数。")})
    with transaction.atomic(durable=True):
        locked = Order.objects.select_for_update().select_related("session").get(pk=order.pk)
        paid = net_paid(locked)
        if locked.status != OrderStatus.PAID:
            raise OrderRefused(gettext("订单%(status)s，不能退款。") % {"status": locked.get_status_display()})
        if amount > paid:
            raise ValidationError({"amount": gettext("退款金额：%(amount)s 元超过可退金额 %(left)s 元（已付减已退）。") % {
                "amount": amount, "left": paid}})
        _refund(locked, amount)
        locked.note = reason.strip()[:200]
        locked.save(update_fields=["note"])
        if amount == paid:
            _release_sold(locked)
        return locked
