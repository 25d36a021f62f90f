"""The card as the ticket orders' payment provider: an order paid with the buyer's card (subsidy included),
a second pay charges nothing more, and the provider's refund returns money to the card exactly once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wenzhi.consumption import payments

from .. import services
from ..models import Redemption

pytestmark = pytest.mark.django_db


class _Payment:
    def __init__(self, order, amount: str, reference: str):
        self.order, self.amount, self.reference = order, Decimal(amount), reference


class _Order:
    def __init__(self, buyer, venue):
        self.buyer, self.number = buyer, "order-1"
        self.session = type("S", (), {"hall": type("H", (), {"venue": venue})(),
                                      "event": type("E", (), {"kind": "performance"})()})()


def test_card_provider_is_registered_and_pays_and_refunds(users, card, programme):
    from wenzhi.consumption.models import Venue

    provider = payments.get("card")
    assert provider is not None
    venue = Venue.objects.create(name="测试剧场", kind="theatre", district=programme["merchant"].district)
    programme["merchant"].venue = venue
    programme["merchant"].save(update_fields=["venue"])
    services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="t")
    payment = _Payment(_Order(users["public"], venue), "80.00", "ref-1")
    result = provider.start(payment)
    assert result.event.status == "succeeded" and result.event.amount == Decimal("80.00")
    provider.start(payment)  # a retried start: same request key, charged once
    redemption = Redemption.objects.get()
    assert (redemption.card_fen, redemption.subsidy_fen) == (56_00, 24_00)
    provider.refund(payment, Decimal("80.00"))
    card.refresh_from_db()
    assert card.balance_fen == 100_00
    with pytest.raises(payments.BadSignature):
        provider.verify_callback(b"{}", {})
