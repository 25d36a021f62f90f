"""A ticket bought with the benefit card end to end, through ``POST /api/v1/orders/{id}/pay/`` with
``{"provider": "card"}`` and through the order page: the order's ledger and the card's, the city's subsidy only
where the merchant is eligible and a rule covers the event's kind, retries that charge once, a refund back to
the card (and the subsidy back to the budget), and a clear refusal when the card cannot pay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wenzhi.consumption.choices import EventKind, LedgerKind, OrderStatus, SeatStatus
from wenzhi.consumption.models import LedgerEntry as OrderLedger
from wenzhi.consumption.models import Order, SessionSeat, Venue
from wenzhi.consumption.services.orders import net_paid, order_create
from wenzhi.consumption.tests import factories as f

from .. import services
from ..choices import EntryKind
from ..models import Card, LedgerEntry, Redemption, SubsidyBudget

pytestmark = pytest.mark.django_db


def _linked_show(merchant, *, kind: str = EventKind.PERFORMANCE):
    venue = Venue.objects.create(name=f"{merchant.name}售票处", kind="theatre", district=merchant.district)
    merchant.venue = venue
    merchant.save(update_fields=["venue"])
    show = f.session(f.hall(venue))
    show.event.kind = kind
    show.event.save(update_fields=["kind"])
    return show


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _card_sum(card: Card) -> int:
    return LedgerEntry.objects.filter(card=card).aggregate(s=Sum("amount_fen"))["s"] or 0


def test_card_pays_through_the_api_with_the_subsidy_retries_once_and_refunds_to_the_card(users, card, programme):
    buyer = users["public"]
    services.card_topup(actor=buyer, card=card, amount_fen=500_00, client_key="top-1")
    show = _linked_show(programme["merchant"])
    api = _api(buyer)
    seats = f.seat_ids(show, 2, zone="A")  # 2 × 100 元
    made = api.post("/api/v1/orders/", {"session": show.pk, "seats": seats}, format="json")
    assert made.status_code == 201, made.content
    order_id = made.json()["id"]
    paid = api.post(f"/api/v1/orders/{order_id}/pay/", {"provider": "card"}, format="json")
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid" and all(t["token"] for t in paid.json()["tickets"])

    order = Order.objects.get(pk=order_id)
    redemption = Redemption.objects.get()
    # 30 % of 200 元 is 60 元, capped at 50 元 a person a year: the card pays 150 元
    assert (redemption.amount_fen, redemption.subsidy_fen, redemption.card_fen) == (200_00, 50_00, 150_00)
    assert redemption.reference == str(order.number) and redemption.item_category == "performance"
    assert list(order.ledger.values_list("kind", "amount", "provider")) == [
        (LedgerKind.CHARGE, Decimal("200.00"), "card")]
    card.refresh_from_db()
    assert card.balance_fen == 350_00 == _card_sum(card)
    assert SubsidyBudget.objects.get(year=programme["year"]).spent_fen == 50_00

    again = api.post(f"/api/v1/orders/{order_id}/pay/", {"provider": "card"}, format="json")  # a network retry
    assert again.status_code == 200 and again.json()["status"] == "paid"
    assert Redemption.objects.count() == 1 and order.ledger.count() == 1
    card.refresh_from_db()
    assert card.balance_fen == 350_00

    cancelled = api.post(f"/api/v1/orders/{order_id}/cancel/", {}, format="json")
    assert cancelled.status_code == 200, cancelled.content
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and net_paid(order) == 0
    card.refresh_from_db()
    assert card.balance_fen == 500_00 == _card_sum(card)  # the card's share back to the card
    assert SubsidyBudget.objects.get(year=programme["year"]).spent_fen == 0  # the subsidy back to the budget
    kinds = list(LedgerEntry.objects.filter(card=card).order_by("pk").values_list("kind", "amount_fen"))
    assert kinds == [(EntryKind.TOPUP, 500_00), (EntryKind.REDEMPTION, -150_00), (EntryKind.REFUND, 150_00)]
    assert not SessionSeat.objects.filter(session=show, seat_id__in=seats).exclude(status=SeatStatus.AVAILABLE)
    again = api.post(f"/api/v1/orders/{order_id}/cancel/", {}, format="json")
    assert again.status_code == 409
    assert OrderLedger.objects.filter(order=order, kind=LedgerKind.REFUND).count() == 1


@pytest.mark.parametrize("where", ["ineligible_merchant", "uncovered_kind"])
def test_no_subsidy_where_the_merchant_or_the_event_is_not_eligible(users, card, programme, where):
    buyer = users["public"]
    services.card_topup(actor=buyer, card=card, amount_fen=500_00, client_key="top-1")
    if where == "ineligible_merchant":  # 滨海书店: participating, not subsidy-eligible
        show = _linked_show(programme["other"])
    else:  # the rule covers performances; an exhibition at the eligible theatre is not covered
        show = _linked_show(programme["merchant"], kind=EventKind.EXHIBITION)
    order = order_create(buyer=buyer, session=show, seat_ids=f.seat_ids(show, 1, zone="B"))  # 50 元
    paid = _api(buyer).post(f"/api/v1/orders/{order.pk}/pay/", {"provider": "card"}, format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    redemption = Redemption.objects.get()
    assert (redemption.subsidy_fen, redemption.card_fen) == (0, 50_00)
    card.refresh_from_db()
    assert card.balance_fen == 450_00 == _card_sum(card)


def test_the_order_page_pays_with_the_card_and_shows_the_e_ticket(users, card, programme, client_as):
    buyer = users["public"]
    services.card_topup(actor=buyer, card=card, amount_fen=100_00, client_key="top-1")
    show = _linked_show(programme["merchant"])
    order = order_create(buyer=buyer, session=show, seat_ids=f.seat_ids(show, 1, zone="A"))
    client = client_as("public")
    page = client.get(reverse("consumption:order_detail", args=[order.pk])).content.decode()
    assert 'value="card"' in page
    done = client.post(reverse("consumption:order_pay", args=[order.pk]), {"provider": "card"}, follow=True)
    html = done.content.decode()
    assert "支付成功" in html and "<svg" in html
    card.refresh_from_db()
    assert card.balance_fen == 30_00  # 100 元 less a 30 元 subsidy from 100 元 on the card
    statement = client.get(reverse("card:statement")).content.decode()
    assert "和平剧场" in statement and "70.00" in statement


def test_a_card_that_cannot_pay_is_refused_clearly_and_nothing_moves(users, card, programme):
    buyer = users["public"]
    services.card_topup(actor=buyer, card=card, amount_fen=10_00, client_key="top-1")
    show = _linked_show(programme["merchant"])
    order = order_create(buyer=buyer, session=show, seat_ids=f.seat_ids(show, 1, zone="A"))
    refused = _api(buyer).post(f"/api/v1/orders/{order.pk}/pay/", {"provider": "card"}, format="json")
    assert refused.status_code in (400, 409) and "余额不足" in refused.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.ledger.count() == 0
    card.refresh_from_db()
    assert card.balance_fen == 10_00 and not Redemption.objects.exists()
