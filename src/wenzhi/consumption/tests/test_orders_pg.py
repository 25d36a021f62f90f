"""PostgreSQL's single-statement paths of the order service (``_claim_pg``, ``_charge_pg``): the same rows and
answers as the ORM path in one round trip, one winner under threads, and the general path whenever the statement
could not do the whole payment. Skipped on SQLite, whose path is the ORM's (test_orders, test_concurrency)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ..choices import LedgerKind, OrderStatus, SeatStatus, TicketStatus
from ..models import LedgerEntry, Order, Payment, Seat, SessionSeat, Ticket
from ..services import OrderRefused, SeatTaken
from ..services.orders import net_paid, order_create, order_pay
from . import factories as f
from .test_concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the single-statement paths are PostgreSQL's (WENZHI_TEST_DATABASE_URL=postgres://…)")


@pytest.fixture
def buyers(reference_data):
    from wenzhi.core.services import user_create

    return [user_create(username=f"pgbuyer{i}", password=None, roles=["public"], organisation=None)
            for i in range(8)]


def test_a_claim_is_one_statement_and_writes_what_the_orm_path_writes(buyers):
    show = f.session(f.hall(f.venue()))
    ids = f.seat_ids(show, 4)
    order_create(buyer=buyers[1], session=show, seat_ids=ids[3:])  # reads the hall's zones and the prices once
    with CaptureQueriesContext(connection) as queries:
        order = order_create(buyer=buyers[0], session=show, seat_ids=[ids[2], ids[0]])
    assert len(queries) == 1
    stored = Order.objects.get(pk=order.pk)
    assert (stored.status, stored.total, stored.seat_count, stored.buyer_id) == (
        OrderStatus.PENDING, order.total, 2, buyers[0].pk)
    assert stored.number == order.number and stored.held_until == order.held_until
    seats = SessionSeat.objects.filter(session=show, seat_id__in=ids[:3:2])
    assert {(s.status, s.order_id, s.held_until) for s in seats} == {(SeatStatus.HELD, order.pk, order.held_until)}
    tickets = list(Ticket.objects.filter(order=order).order_by("seat_id"))
    assert [(t.pk, t.seat_id, t.price, t.secret, t.status) for t in tickets] == [
        (t.pk, t.seat_id, t.price, t.secret, TicketStatus.HELD) for t in order.held_tickets]  # type: ignore[attr-defined]
    assert sum(t.price for t in tickets) == order.total and all(len(t.secret) == 24 for t in tickets)


def test_a_refused_claim_changes_nothing_and_names_only_the_taken_seat(buyers):
    show = f.session(f.hall(f.venue()))
    ids = f.seat_ids(show, 3)
    first = order_create(buyer=buyers[0], session=show, seat_ids=ids[:2])
    with pytest.raises(SeatTaken) as refused:
        order_create(buyer=buyers[1], session=show, seat_ids=[ids[1], ids[2]])
    assert refused.value.seats == [ids[1]]
    assert str(Seat.objects.select_related("section").get(pk=ids[1])) in refused.value.message
    assert str(Seat.objects.select_related("section").get(pk=ids[2])) not in refused.value.message
    assert Order.objects.count() == 1 and Ticket.objects.count() == 2
    assert SessionSeat.objects.get(session=show, seat_id=ids[2]).status == SeatStatus.AVAILABLE
    assert SessionSeat.objects.get(session=show, seat_id=ids[1]).order_id == first.pk


def test_a_claim_refused_at_the_first_look_writes_nothing_not_even_a_row_lock(buyers):
    """No transaction id is assigned (so its commit waits for no WAL flush) and the free seat stays unlocked."""
    from django.db import transaction

    show = f.session(f.hall(f.venue()))
    ids = f.seat_ids(show, 3)
    order_create(buyer=buyers[0], session=show, seat_ids=ids[:1])
    with transaction.atomic():
        connection.cursor().execute("SELECT 1")  # the transaction begun, so the claim runs inside it
        with pytest.raises(SeatTaken):
            order_create(buyer=buyers[1], session=show, seat_ids=[ids[0], ids[2]])
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id_if_assigned()")
            assert cursor.fetchone() == (None,)
    with transaction.atomic():  # the same claim where every seat is free locks and writes
        order_create(buyer=buyers[1], session=show, seat_ids=[ids[1], ids[2]])
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id_if_assigned()")
            assert cursor.fetchone() != (None,)


def test_a_lapsed_hold_is_claimed_again(buyers):
    show = f.session(f.hall(f.venue()))
    ids = f.seat_ids(show, 1)
    old = order_create(buyer=buyers[0], session=show, seat_ids=ids)
    SessionSeat.objects.filter(order=old).update(held_until=timezone.now() - timedelta(seconds=1))
    new = order_create(buyer=buyers[1], session=show, seat_ids=ids)
    assert SessionSeat.objects.get(session=show, seat_id=ids[0]).order_id == new.pk


def test_many_buyers_on_overlapping_pairs_under_threads(buyers):
    """Eight threads claim overlapping pairs of four seats at once: the winners' pairs are disjoint, every seat is
    held by at most one order, and each refusal names a seat another winner holds."""
    show = f.session(f.hall(f.venue()))
    ids = f.seat_ids(show, 5)
    wanted = [[ids[i % 4], ids[i % 4 + 1]] for i in range(8)]
    results = race(8, lambda i: order_create(buyer=buyers[i], session=show, seat_ids=wanted[i]))
    won = [r for r in results if isinstance(r, Order)]
    assert won and all(isinstance(r, (Order, SeatTaken)) for r in results), results
    held = SessionSeat.objects.filter(session=show, status=SeatStatus.HELD)
    assert held.count() == 2 * len(won) == Ticket.objects.filter(session=show).count()
    assert {s.order_id for s in held} == {o.pk for o in won}
    holders = {s.seat_id: s.order_id for s in held}
    for r in results:
        if isinstance(r, SeatTaken):
            assert r.seats and all(seat in holders for seat in r.seats)


def test_paying_is_two_statements_after_the_order_is_read(buyers):
    show = f.session(f.hall(f.venue()))
    order = order_create(buyer=buyers[0], session=show, seat_ids=f.seat_ids(show, 2))
    with CaptureQueriesContext(connection) as queries:
        paid, redirect = order_pay(actor=buyers[0], order=order, provider="test")
    assert len(queries) == 2 and redirect == ""
    assert paid.status == OrderStatus.PAID and paid.paid_at is not None
    stored = Order.objects.get(pk=order.pk)
    assert stored.status == OrderStatus.PAID and stored.paid_at == paid.paid_at
    shown = [t.pk for t in paid.paid_tickets]  # type: ignore[attr-defined]
    assert shown == sorted(Ticket.objects.filter(order=order).values_list("pk", flat=True))
    assert all(t.status == TicketStatus.VALID for t in Ticket.objects.filter(order=order))
    assert set(SessionSeat.objects.filter(order=order).values_list("status", "held_until")) == {(SeatStatus.SOLD, None)}
    assert Payment.objects.get(order=order).status == "succeeded"
    assert net_paid(stored) == order.total and LedgerEntry.objects.filter(order=order).count() == 1


def test_a_payment_for_a_lost_seat_takes_the_general_path_and_is_refunded(buyers):
    show = f.session(f.hall(f.venue()))
    ids = f.seat_ids(show, 2)
    slow = order_create(buyer=buyers[0], session=show, seat_ids=ids)
    SessionSeat.objects.filter(order=slow).update(held_until=timezone.now() - timedelta(seconds=1))
    order_create(buyer=buyers[1], session=show, seat_ids=ids[1:])
    with pytest.raises(OrderRefused):
        order_pay(actor=buyers[0], order=slow, provider="test")
    slow.refresh_from_db()
    assert slow.status == OrderStatus.EXPIRED and net_paid(slow) == Decimal("0.00")
    assert LedgerEntry.objects.filter(order=slow, kind=LedgerKind.REFUND).count() == 1
    assert SessionSeat.objects.get(session=show, seat_id=ids[0]).status == SeatStatus.AVAILABLE


def test_one_order_paid_by_many_threads_at_once_is_charged_once(buyers):
    """Each thread that finds the order waiting stores its own payment; one statement sells the seats, the other
    payments find the order no longer waiting and are refunded in full by the general path (a thread that reads
    the order once it is paid charges nothing): net paid is the order's total."""
    show = f.session(f.hall(f.venue()))
    order = order_create(buyer=buyers[0], session=show, seat_ids=f.seat_ids(show, 2))
    results = race(6, lambda i: order_pay(actor=buyers[0], order=Order.objects.get(pk=order.pk), provider="test"))
    assert all(not isinstance(r, Exception) for r in results), results
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and net_paid(order) == order.total
    assert Ticket.objects.filter(order=order, status=TicketStatus.VALID).count() == 2
    charges = LedgerEntry.objects.filter(order=order, kind=LedgerKind.CHARGE).count()
    refunds = LedgerEntry.objects.filter(order=order, kind=LedgerKind.REFUND).count()
    assert Payment.objects.filter(order=order).count() == charges and charges - refunds == 1
