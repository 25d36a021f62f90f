"""The hold sweep: lapsed orders expire and their seats come back, in batches, once; a buyer paying at the same
instant as the sweep either gets the seats or gets the money back with a clear message (threads with their own
connections; run with WENZHI_TEST_DATABASE_URL=postgres://… for PostgreSQL's row locks)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ..choices import LedgerKind, OrderStatus, SeatStatus, TicketStatus
from ..models import LedgerEntry, Order, SessionSeat, Ticket
from ..services import OrderRefused
from ..services.holds import holds_sweep
from ..services.orders import net_paid, order_create, order_pay
from ..tasks import holds_sweep_task
from . import factories as f
from .test_concurrency import buyers, race  # noqa: F401 - the buyers fixture

pytestmark = pytest.mark.django_db(transaction=True)


def _lapse(order: Order) -> None:
    past = timezone.now() - timedelta(seconds=1)
    Order.objects.filter(pk=order.pk).update(held_until=past)
    SessionSeat.objects.filter(order=order).update(held_until=past)


def test_lapsed_holds_expire_in_batches_and_once(buyers):  # noqa: F811
    show = f.session(f.hall(f.venue()))
    seats = f.seat_ids(show)
    lapsed = [order_create(buyer=buyers[i], session=show, seat_ids=seats[2 * i:2 * i + 2]) for i in range(5)]
    live = order_create(buyer=buyers[5], session=show, seat_ids=seats[10:12])
    for order in lapsed:
        _lapse(order)

    result = holds_sweep(batch=2)
    assert result == {"orders": 5, "seats": 10, "batches": 3}
    for order in lapsed:
        order.refresh_from_db()
        assert order.status == OrderStatus.EXPIRED and "锁座已超时" in order.note
        assert set(order.tickets.values_list("status", flat=True)) == {TicketStatus.RELEASED}
    assert SessionSeat.objects.filter(session=show, seat_id__in=seats[:10], status=SeatStatus.AVAILABLE,
                                      order=None).count() == 10
    live.refresh_from_db()
    assert live.status == OrderStatus.PENDING
    assert SessionSeat.objects.filter(order=live, status=SeatStatus.HELD).count() == 2
    assert holds_sweep() == {"orders": 0, "seats": 0, "batches": 0}  # a second run changes nothing


def test_a_paid_order_and_a_reclaimed_seat_are_left_alone(buyers):  # noqa: F811
    show = f.session(f.hall(f.venue()))
    seats = f.seat_ids(show, 2)
    paid, _ = order_pay(actor=buyers[0], order=order_create(buyer=buyers[0], session=show, seat_ids=seats[:1]),
                        provider="test")
    Order.objects.filter(pk=paid.pk).update(held_until=timezone.now() - timedelta(minutes=1))
    first = order_create(buyer=buyers[1], session=show, seat_ids=seats[1:])
    _lapse(first)
    second = order_create(buyer=buyers[2], session=show, seat_ids=seats[1:])  # takes the lapsed seat
    assert holds_sweep()["orders"] == 1  # ``first`` expires; its seat stays with ``second``
    assert SessionSeat.objects.get(session=show, seat_id=seats[1]).order_id == second.pk
    assert SessionSeat.objects.get(session=show, seat_id=seats[0]).status == SeatStatus.SOLD
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.PAID


@pytest.mark.parametrize("free", [False, True])
def test_paying_while_the_sweep_expires_the_hold_has_one_winner(buyers, free):  # noqa: F811
    show = f.session(f.hall(f.venue()), free=free, limit=10 if free else None)
    seats = f.seat_ids(show)
    outcomes = set()
    for round_ in range(4):
        order = order_create(buyer=buyers[round_], session=show, seat_ids=seats[2 * round_:2 * round_ + 2])
        _lapse(order)
        results = race(2, lambda i, order=order: order_pay(actor=order.buyer, order=order, provider="test")
                       if i == 0 else holds_sweep())
        order.refresh_from_db()
        states = set(SessionSeat.objects.filter(session=show, seat_id__in=seats[2 * round_:2 * round_ + 2])
                     .values_list("status", flat=True))
        if order.status == OrderStatus.PAID:
            outcomes.add("paid")
            assert results[1]["orders"] == 0 and states == {SeatStatus.SOLD}
            assert net_paid(order) == order.total
        else:
            outcomes.add("expired")
            assert order.status == OrderStatus.EXPIRED and states == {SeatStatus.AVAILABLE}
            assert isinstance(results[0], OrderRefused), results[0]
            assert "锁座已超时" in str(results[0])
            assert net_paid(order) == 0  # charged and refunded in full, or never charged
            assert not Ticket.objects.filter(order=order, status=TicketStatus.VALID).exists()
    charges = sum(e.amount for e in LedgerEntry.objects.filter(kind=LedgerKind.CHARGE))
    refunds = sum(e.amount for e in LedgerEntry.objects.filter(kind=LedgerKind.REFUND))
    paid = sum(o.total for o in Order.objects.filter(status=OrderStatus.PAID))
    assert charges - refunds == paid  # no money created or lost
    assert outcomes  # which side wins is the scheduler's; each round had exactly one


def test_two_sweeps_at_once_expire_each_order_once(buyers):  # noqa: F811
    show = f.session(f.hall(f.venue()))
    seats = f.seat_ids(show)
    orders = [order_create(buyer=buyers[i], session=show, seat_ids=seats[i:i + 1]) for i in range(6)]
    for order in orders:
        _lapse(order)
    results = race(3, lambda i: holds_sweep(batch=2))
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["orders"] for r in results) == 6
    assert Order.objects.filter(status=OrderStatus.EXPIRED).count() == 6


def test_the_task_and_the_command_sweep(buyers):  # noqa: F811
    show = f.session(f.hall(f.venue()))
    seats = f.seat_ids(show)
    _lapse(order_create(buyer=buyers[0], session=show, seat_ids=seats[:2]))
    # call(): the task's own body on any queue (with RQ, enqueue() returns before the job ran); no chain left behind
    assert holds_sweep_task.call(chain=False) == {"orders": 1, "seats": 2, "batches": 1}
    _lapse(order_create(buyer=buyers[1], session=show, seat_ids=seats[2:3]))
    out = StringIO()
    call_command("consumption_sweep", stdout=out)
    assert "orders expired: 1; seats released: 1" in out.getvalue()
