"""Expired holds swept on the clock: orders still waiting after their hold lapsed are expired and their seats
released, in batches, so listings, per-person limits and the buyer's own order page say what is true without
waiting for the next buyer to claim the seat.

Safe beside a buyer paying at the same instant: a batch locks its orders first (``FOR UPDATE``, the order row
is the lock every payment takes first too) and re-checks, under the lock, that each is still waiting and past its
hold. Whoever locks the order first wins: the payment sells the seats (the sweep then skips the paid order), or the
sweep expires it (the payment is then refunded in full at once and the buyer is told the hold ran out). Locked rows
are skipped on PostgreSQL and taken by the next run; SQLite runs one writer at a time (IMMEDIATE transactions).
Running it twice, or in two workers, changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..choices import OrderStatus, SeatStatus, TicketStatus
from ..models import Order, SessionSeat, Ticket

SWEEP_BATCH = 500
SWEEP_MAX_BATCHES = 40


def expired_note() -> str:
    return gettext("锁座已超时，座位已释放，订单失效；如已付款，款项已全额退回。请重新选座。")


def _sweep_batch(ids: list[int], now: dt.datetime) -> tuple[int, int]:
    """Expire the still-waiting, lapsed orders among ``ids``; (orders expired, seats released)."""
    with transaction.atomic(durable=True):
        locked = list(Order.objects.select_for_update(skip_locked=True).filter(
            pk__in=ids, status=OrderStatus.PENDING, held_until__lt=now).order_by("pk").values_list("pk", flat=True))
        if not locked:
            return 0, 0
        seats = SessionSeat.objects.filter(order_id__in=locked, status=SeatStatus.HELD).update(
            status=SeatStatus.AVAILABLE, order=None, held_until=None)
        Ticket.objects.filter(order_id__in=locked, status=TicketStatus.HELD).update(status=TicketStatus.RELEASED)
        Order.objects.filter(pk__in=locked).update(status=OrderStatus.EXPIRED, note=expired_note())
        return len(locked), seats


def holds_sweep(*, now: dt.datetime | None = None, batch: int = SWEEP_BATCH,
                max_batches: int = SWEEP_MAX_BATCHES) -> dict:
    """Expire every order whose hold lapsed before ``now`` (at most ``batch`` × ``max_batches`` per run, oldest
    first); returns ``{"orders": n, "seats": n, "batches": n}``. The platform itself acts: no user."""
    now = now or timezone.now()
    orders = seats = batches = 0
    after = 0
    for _ in range(max_batches):
        ids = list(Order.objects.filter(status=OrderStatus.PENDING, held_until__lt=now, pk__gt=after)
                   .order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            break
        batches += 1
        try:
            expired, released = _sweep_batch(ids, now)
        except OperationalError:  # a deadlock with a seat claim: those orders wait for the next run
            expired = released = 0
        orders, seats, after = orders + expired, seats + released, ids[-1]
        if len(ids) < batch:
            break
    return {"orders": orders, "seats": seats, "batches": batches}
