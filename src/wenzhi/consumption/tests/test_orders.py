"""Orders: holding seats, paying, callbacks applied once, expiry mid-payment, cancellation and refunds."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from .. import payments
from ..choices import LedgerKind, OrderStatus, SeatStatus, TicketStatus
from ..models import LedgerEntry, Order, Payment, SessionSeat, Ticket
from ..services import OrderRefused, SeatTaken
from ..services.orders import (
    net_paid,
    order_cancel,
    order_create,
    order_pay,
    order_refund,
    payment_event_apply,
)
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def show(reference_data):
    return f.session(f.hall(f.venue()))


def _status(session, seat_id):
    return SessionSeat.objects.get(session=session, seat_id=seat_id).status


def test_an_order_holds_its_seats_and_payment_sells_them(show, users):
    buyer = users["public"]
    seats = f.seat_ids(show, 2)
    order = order_create(buyer=buyer, session=show, seat_ids=seats)
    assert order.status == OrderStatus.PENDING and order.total == Decimal("200.00")
    assert {_status(show, s) for s in seats} == {SeatStatus.HELD}
    order, _ = order_pay(actor=buyer, order=order, provider="test")
    assert order.status == OrderStatus.PAID
    assert {_status(show, s) for s in seats} == {SeatStatus.SOLD}
    assert set(order.tickets.values_list("status", flat=True)) == {TicketStatus.VALID}
    assert net_paid(order) == Decimal("200.00")
    order, _ = order_pay(actor=buyer, order=order, provider="test")  # paying again charges nothing
    assert LedgerEntry.objects.filter(order=order).count() == 1


def test_a_taken_seat_is_refused_naming_it_and_nothing_is_held(show, users):
    seats = f.seat_ids(show, 3)
    order_create(buyer=users["public"], session=show, seat_ids=seats[:2])
    with pytest.raises(SeatTaken) as exc:
        order_create(buyer=users["city_admin"], session=show, seat_ids=seats[1:3])
    assert "池座 1排2座" in exc.value.message and exc.value.seats == [seats[1]]
    assert _status(show, seats[2]) == SeatStatus.AVAILABLE  # the whole second order rolled back
    assert Order.objects.count() == 1


def test_bad_seat_input_names_the_field(show, users):
    other = f.session(f.hall(f.venue("别的剧场")))
    for bad, words in (([], "至少"), ([1, 1], "两次"), (f.seat_ids(other, 1), "不是本场次"), (list(range(1, 12)), "最多")):
        with pytest.raises(ValidationError) as exc:
            order_create(buyer=users["public"], session=show, seat_ids=bad)
        assert words in str(exc.value.message_dict["seats"])


def test_the_payment_order_pay_stored_is_charged_once_when_its_callback_came_first(show, users):
    order = order_create(buyer=users["public"], session=show, seat_ids=f.seat_ids(show, 2))
    payment = Payment.objects.create(order=order, provider="test", reference="both-1", amount=order.total)
    event = payments.CallbackEvent(reference=payment.reference, event_id="e1", status="succeeded", amount=order.total)
    payment_event_apply(provider="test", event=event)  # the signed callback
    paid = payment_event_apply(provider="test", event=event, payment=payment)  # order_pay's own, after it
    assert paid.status == OrderStatus.PAID and net_paid(paid) == order.total
    assert LedgerEntry.objects.filter(order=order).count() == 1
    wrong = payments.CallbackEvent(reference="both-2", event_id="e2", status="succeeded", amount=Decimal("1.00"))
    other = Payment.objects.create(order=order, provider="test", reference="both-2", amount=order.total)
    with pytest.raises(ValidationError):  # an amount that does not match is refused on this path too
        payment_event_apply(provider="test", event=wrong, payment=other)


def test_a_lapsed_hold_can_be_taken_and_the_first_buyer_is_refunded(show, users):
    seats = f.seat_ids(show, 2)
    slow = order_create(buyer=users["public"], session=show, seat_ids=seats)
    payment = Payment.objects.create(order=slow, provider="test", reference="slow-1", amount=slow.total)
    Order.objects.filter(pk=slow.pk).update(held_until=timezone.now() - timedelta(seconds=1))
    SessionSeat.objects.filter(order=slow).update(held_until=timezone.now() - timedelta(seconds=1))
    fast = order_create(buyer=users["city_admin"], session=show, seat_ids=seats[1:])
    assert fast.status == OrderStatus.PENDING
    # the slow buyer's money arrives after the seat went to someone else: refunded at once, in full
    event = payments.CallbackEvent(reference=payment.reference, event_id="e1", status="succeeded", amount=slow.total)
    payment_event_apply(provider="test", event=event)
    slow.refresh_from_db()
    assert slow.status == OrderStatus.EXPIRED and "超时" in slow.note
    assert net_paid(slow) == 0 and LedgerEntry.objects.filter(order=slow, kind=LedgerKind.REFUND).count() == 1
    assert _status(show, seats[0]) == SeatStatus.AVAILABLE  # the seat it still held went back on sale
    assert _status(show, seats[1]) == SeatStatus.HELD


def test_a_lapsed_hold_nobody_took_is_still_paid(show, users):
    order = order_create(buyer=users["public"], session=show, seat_ids=f.seat_ids(show, 2))
    SessionSeat.objects.filter(order=order).update(held_until=timezone.now() - timedelta(minutes=1))
    order, _ = order_pay(actor=users["public"], order=order, provider="test")
    assert order.status == OrderStatus.PAID


def test_paying_after_losing_the_seats_is_refused_with_the_money_back(show, users):
    seats = f.seat_ids(show, 1)
    slow = order_create(buyer=users["public"], session=show, seat_ids=seats)
    SessionSeat.objects.filter(order=slow).update(held_until=timezone.now() - timedelta(seconds=1))
    order_create(buyer=users["city_admin"], session=show, seat_ids=seats)
    with pytest.raises(OrderRefused, match="超时"):
        order_pay(actor=users["public"], order=slow, provider="test")
    assert net_paid(slow) == 0


def test_callbacks_twice_and_out_of_order_apply_once(show, users, client):
    provider = payments.get("test")
    order = order_create(buyer=users["public"], session=show, seat_ids=f.seat_ids(show, 1))
    payment = Payment.objects.create(order=order, provider="test", reference="ref-1", amount=order.total)
    ok = provider.callback_body(reference="ref-1", status="succeeded", amount=order.total, event_id="ev-ok")
    late_fail = provider.callback_body(reference="ref-1", status="failed", amount=order.total, event_id="ev-fail")
    url = "/consumption/payments/test/callback/"
    for body in (ok, ok, late_fail, ok):
        r = client.post(url, body, content_type="application/json",
                        headers={payments.SIGNATURE_HEADER: provider.sign(body)})
        assert r.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "succeeded" and order.status == OrderStatus.PAID
    assert LedgerEntry.objects.filter(order=order).count() == 1


def test_a_forged_callback_is_refused(show, users, client):
    provider = payments.get("test")
    order = order_create(buyer=users["public"], session=show, seat_ids=f.seat_ids(show, 1))
    Payment.objects.create(order=order, provider="test", reference="ref-2", amount=order.total)
    body = provider.callback_body(reference="ref-2", status="succeeded", amount=order.total)
    r = client.post("/consumption/payments/test/callback/", body, content_type="application/json",
                    headers={payments.SIGNATURE_HEADER: "0" * 64})
    assert r.status_code == 400 and "签名" in r.content.decode()
    tampered = json.loads(body)
    tampered["amount"] = "0.01"
    raw = json.dumps(tampered).encode()
    r = client.post("/consumption/payments/test/callback/", raw, content_type="application/json",
                    headers={payments.SIGNATURE_HEADER: provider.sign(body)})
    assert r.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not LedgerEntry.objects.exists()


def test_a_callback_with_another_amount_is_refused(show, users):
    order = order_create(buyer=users["public"], session=show, seat_ids=f.seat_ids(show, 1))
    Payment.objects.create(order=order, provider="test", reference="ref-3", amount=order.total)
    event = payments.CallbackEvent(reference="ref-3", event_id="x", status="succeeded", amount=Decimal("1.00"))
    with pytest.raises(ValidationError, match="不符"):
        payment_event_apply(provider="test", event=event)


def test_cancel_by_rule_refunds_and_puts_seats_back(reference_data, users):
    show = f.session(f.hall(f.venue()), refund_rule="fee", refund_fee_percent=Decimal("10"))
    seats = f.seat_ids(show, 2)
    order, _ = order_pay(actor=users["public"], order=order_create(buyer=users["public"], session=show,
                                                                      seat_ids=seats), provider="test")
    order = order_cancel(actor=users["public"], order=order)
    assert order.status == OrderStatus.REFUNDED and order.refunded == Decimal("180.00")
    assert net_paid(order) == Decimal("20.00")
    assert {_status(show, s) for s in seats} == {SeatStatus.AVAILABLE}
    with pytest.raises(OrderRefused, match="已退款"):
        order_cancel(actor=users["public"], order=order)


def test_no_refund_after_the_deadline(reference_data, users):
    show = f.session(f.hall(f.venue()), starts_in=timedelta(hours=5), refund_hours=24)
    order, _ = order_pay(actor=users["public"], order=order_create(buyer=users["public"], session=show,
                                                                      seat_ids=f.seat_ids(show, 1)), provider="test")
    with pytest.raises(OrderRefused, match="截止"):
        order_cancel(actor=users["public"], order=order)


def test_a_refund_larger_than_paid_is_refused(show, users):
    operator = users["venue_operator"]
    show.hall.venue.managers.add(operator)
    order, _ = order_pay(actor=users["public"], order=order_create(buyer=users["public"], session=show,
                                                                      seat_ids=f.seat_ids(show, 1)), provider="test")
    order_refund(actor=operator, order=order, amount=Decimal("30.00"), reason="演出延迟")
    with pytest.raises(ValidationError, match="超过可退金额 70.00"):
        order_refund(actor=operator, order=order, amount=Decimal("70.01"), reason="再退")
    order = order_refund(actor=operator, order=order, amount=Decimal("70.00"), reason="全部退回")
    assert order.status == OrderStatus.REFUNDED and net_paid(order) == 0


def test_free_session_per_person_limit(reference_data, users):
    show = f.session(f.hall(f.venue()), free=True, limit=2)
    buyer = users["public"]
    seats = f.seat_ids(show)
    order, _ = order_pay(actor=buyer, order=order_create(buyer=buyer, session=show, seat_ids=seats[:2]),
                         provider="test")
    assert order.status == OrderStatus.PAID and order.total == 0 and not LedgerEntry.objects.exists()
    with pytest.raises(OrderRefused, match="每人限 2 张"):
        order_create(buyer=buyer, session=show, seat_ids=seats[2:3])
    order_create(buyer=users["city_admin"], session=show, seat_ids=seats[2:4])  # another person may


def test_quota_puts_only_the_best_seats_on_sale(reference_data, users):
    show = f.session(f.hall(f.venue()), quota=4)
    seats = f.seat_ids(show)
    assert SessionSeat.objects.filter(session=show).count() == 4
    with pytest.raises(SeatTaken):
        order_create(buyer=users["public"], session=show, seat_ids=seats[-1:])


def test_outside_the_sale_window_is_refused(show, users):
    show.sale_ends_at = timezone.now() - timedelta(minutes=1)
    show.save()
    with pytest.raises(OrderRefused, match="售票时间"):
        order_create(buyer=users["public"], session=show, seat_ids=f.seat_ids(show, 1))


def test_a_seat_is_never_valid_twice_in_the_database(show, users):
    from django.db import IntegrityError, transaction

    order, _ = order_pay(actor=users["public"], order=order_create(buyer=users["public"], session=show,
                                                                      seat_ids=f.seat_ids(show, 1)), provider="test")
    ticket = order.tickets.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(order=order, session=show, seat=ticket.seat, price=1, status="valid")
