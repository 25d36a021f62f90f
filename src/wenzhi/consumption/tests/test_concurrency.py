"""Real concurrency: threads with their own database connections race for one seat, one callback, one refund,
one check-in. SQLite serialises writers (IMMEDIATE transactions); PostgreSQL decides by row locks (run with
WENZHI_TEST_DATABASE_URL=postgres://… to test it there). One winner each time, a clear message for the rest."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from .. import payments
from ..choices import OrderStatus, SeatStatus
from ..models import CheckIn, LedgerEntry, Payment, SessionSeat, Ticket
from ..services import OrderRefused, SeatTaken
from ..services.checkin import ticket_check_in, ticket_token
from ..services.orders import net_paid, order_create, order_pay, order_refund, payment_event_apply
from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)
N = 6


def race(n: int, work) -> list:
    """Run ``work(i)`` in ``n`` threads released at the same instant; each result or exception, in order."""
    barrier = threading.Barrier(n)
    out: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            out[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            out[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


@pytest.fixture
def buyers(reference_data):
    from wenzhi.core.services import user_create

    return [user_create(username=f"buyer{i}", password=None, roles=["public"], organisation=None)
            for i in range(N)]


def test_buyers_on_one_seat_at_the_same_instant_one_wins(buyers):
    show = f.session(f.hall(f.venue()))
    seats = f.seat_ids(show, 3)
    # everyone wants the middle seat, each with a different neighbour: overlapping claims
    wanted = [[seats[1], seats[0] if i % 2 else seats[2]] for i in range(N)]
    results = race(N, lambda i: order_create(buyer=buyers[i], session=show, seat_ids=wanted[i]))
    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1, results
    assert all(isinstance(e, SeatTaken) and "座位已被他人选走" in e.message for e in lost), lost
    assert SessionSeat.objects.filter(session=show, status=SeatStatus.HELD).count() == 2
    assert set(SessionSeat.objects.filter(session=show, status=SeatStatus.HELD).values_list("order_id", flat=True)) \
        == {won[0].pk}


def test_the_same_callback_at_the_same_instant_is_applied_once(buyers):
    show = f.session(f.hall(f.venue()))
    order = order_create(buyer=buyers[0], session=show, seat_ids=f.seat_ids(show, 2))
    Payment.objects.create(order=order, provider="test", reference="dup", amount=order.total)
    event = payments.CallbackEvent(reference="dup", event_id="same", status="succeeded", amount=order.total)
    race(N, lambda i: payment_event_apply(provider="test", event=event))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert LedgerEntry.objects.filter(order=order).count() == 1 and net_paid(order) == order.total


def test_refunds_at_the_same_instant_never_exceed_what_was_paid(buyers, users):
    show = f.session(f.hall(f.venue(managers=[users["venue_operator"]])))
    order, _ = order_pay(actor=buyers[0], order=order_create(buyer=buyers[0], session=show,
                                                                seat_ids=f.seat_ids(show, 1)), provider="test")
    results = race(N, lambda i: order_refund(actor=users["venue_operator"], order=order, amount=Decimal("60.00"),
                                             reason="并发退款"))
    ok = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(ok) == 1
    assert all(isinstance(e, ValidationError) and "超过可退金额" in str(e) for e in refused), refused
    order.refresh_from_db()
    assert order.refunded == Decimal("60.00") and net_paid(order) == Decimal("40.00")


def test_the_same_ticket_scanned_at_two_gates_at_once_enters_once(buyers, users):
    show = f.session(f.hall(f.venue(managers=[users["venue_operator"]])))
    order, _ = order_pay(actor=buyers[0], order=order_create(buyer=buyers[0], session=show,
                                                                seat_ids=f.seat_ids(show, 1)), provider="test")
    token = ticket_token(Ticket.objects.get(order=order))
    results = race(N, lambda i: ticket_check_in(actor=users["venue_operator"], token=token, device=f"gate{i}"))
    assert sum(r.ok for r in results) == 1, [r.message for r in results]
    assert all(r.duplicate and "重复入场" in r.message for r in results if not r.ok)
    assert CheckIn.objects.count() == 1


def test_pay_and_a_competing_claim_on_a_lapsed_hold(buyers):
    """The hold lapses mid-payment while another buyer claims the seat: either the payment sells it or the
    claim takes it — never both; a payment that lost is refunded in full."""
    from datetime import timedelta

    from django.utils import timezone

    show = f.session(f.hall(f.venue()))
    seat = f.seat_ids(show, 1)
    slow = order_create(buyer=buyers[0], session=show, seat_ids=seat)
    SessionSeat.objects.filter(order=slow).update(held_until=timezone.now() - timedelta(seconds=1))

    def work(i):
        if i == 0:
            return order_pay(actor=buyers[0], order=slow, provider="test")
        return order_create(buyer=buyers[i], session=show, seat_ids=seat)

    results = race(3, work)
    sold = SessionSeat.objects.get(session=show, seat_id=seat[0])
    slow.refresh_from_db()
    if slow.status == OrderStatus.PAID:
        assert sold.status == SeatStatus.SOLD and sold.order_id == slow.pk
        assert all(isinstance(r, SeatTaken) for r in results[1:])
    else:
        assert isinstance(results[0], OrderRefused) and net_paid(slow) == 0
        assert sold.status == SeatStatus.HELD and sold.order_id != slow.pk
        assert sum(not isinstance(r, Exception) for r in results[1:]) == 1
    assert Ticket.objects.filter(session=show, status="valid").count() <= 1
