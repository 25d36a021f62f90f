"""The benefit card as a payment provider for ticket orders (``wenzhi.consumption.payments``).

The buyer pays with their own active card at the merchant linked to the session's venue (``Merchant.venue``);
the city's subsidy applies by the same rules as at the counter. Money moves in :func:`services.redeem` /
:func:`services.refund`, in the same database, so the payment is settled at once (``start`` returns the
success event) and a refund is part of the order's own transaction: if the order's change rolls back, the
card's refund does too. A retried ``start`` of the same payment uses the same request key and charges once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wenzhi.consumption import payments

from . import services
from .choices import CardStatus, ItemCategory
from .models import Card, Merchant, Redemption
from .money import with_retry

# What a ticket pays for, by the event's kind (a theatre's exhibition is an exhibition, not a performance)
ITEM_BY_EVENT = {"cinema": ItemCategory.FILM, "exhibition": ItemCategory.EXHIBITION,
                 "performance": ItemCategory.PERFORMANCE}


def _fen(amount: Decimal) -> int:
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValidationError({"amount": gettext("金额 %(amount)s 元不是整分。") % {"amount": amount}})
    return int(fen)


class CardProvider:
    name = "card"
    label: object = _("文化惠民卡")

    def start(self, payment) -> payments.StartResult:
        order = payment.order
        venue = order.session.hall.venue
        merchant = Merchant.objects.filter(venue=venue, is_participating=True).first()
        if merchant is None:
            raise ValidationError({"provider": gettext("支付方式：场馆“%(name)s”未参与文化惠民卡。") % {"name": venue.name}})
        card = Card.objects.filter(holder=order.buyer, status=CardStatus.ACTIVE).first()
        if card is None:
            raise ValidationError({"provider": gettext("支付方式：您还没有可用的文化惠民卡，请先申领并充值。")})

        def attempt() -> Redemption:
            with transaction.atomic(durable=True):
                return services.redeem(actor=order.buyer, card=card, merchant=merchant,
                                       amount_fen=_fen(payment.amount), client_key=f"pay-{payment.reference}",
                                       item_category=ITEM_BY_EVENT.get(order.session.event.kind,
                                                                       ItemCategory.PERFORMANCE),
                                       reference=str(order.number))

        redemption = with_retry(attempt)
        return payments.StartResult(event=payments.CallbackEvent(
            reference=payment.reference, event_id=f"card-redemption-{redemption.pk}", status="succeeded",
            amount=payment.amount))

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> payments.CallbackEvent:
        raise payments.BadSignature  # the card settles at once; it never calls back

    def refund(self, payment, amount: Decimal) -> str:
        redemption = Redemption.objects.get(client_key=f"pay-{payment.reference}", card__holder=payment.order.buyer)
        row = services.refund(actor=None, redemption=redemption, amount_fen=_fen(amount),
                              client_key=f"order-refund-{uuid.uuid4().hex}", reason=gettext("订单退款"))
        return f"card-refund-{row.pk}"
