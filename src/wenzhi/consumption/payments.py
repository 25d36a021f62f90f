"""The payment-provider interface: how money reaches an order, and how a real provider plugs in.

A provider is an object with a ``name``, a ``label`` and three methods, registered once at start-up
(``AppConfig.ready``)::

    from wenzhi.consumption import payments

    class CardProvider:
        name = "card"
        label = _("文化惠民卡")

        def start(self, payment) -> payments.StartResult:
            # Ask the provider to collect payment.amount for payment.reference. Either it is settled now
            # (return StartResult(event=CallbackEvent(...))) or the buyer is sent somewhere
            # (return StartResult(redirect_url=...)) and the provider calls back later.
            ...

        def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> payments.CallbackEvent:
            # Check the signature of a callback the provider sent to /consumption/payments/<name>/callback/
            # and read it; raise payments.BadSignature when it is not authentic.
            ...

        def refund(self, payment, amount: Decimal) -> str:
            # Send ``amount`` back; return the provider's id of the refund (recorded once in the ledger).
            ...

    payments.register(CardProvider())

The platform does the rest (``services.orders.payment_event_apply``): each event is applied once (a ledger row
per ``(provider, event_id)``), in any order and however often it arrives; a success for an order whose seats
were lost (the hold lapsed and someone else bought them) is refunded in full at once, so no money is kept for
seats not delivered. Amounts are ``Decimal`` yuan with two places.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SIGNATURE_HEADER = "X-Wenzhi-Signature"


class BadSignature(Exception):
    """A callback whose signature does not verify: refused, nothing applied."""


@dataclass(frozen=True)
class CallbackEvent:
    """What a provider reports about a payment: ``status`` is ``succeeded`` or ``failed``."""

    reference: str
    event_id: str
    status: str
    amount: Decimal


@dataclass(frozen=True)
class StartResult:
    """The provider's answer to ``start``: an event settled at once, or a page to send the buyer to."""

    event: CallbackEvent | None = None
    redirect_url: str = ""


class PaymentProvider(Protocol):
    name: str

    @property
    def label(self) -> object: ...

    def start(self, payment) -> StartResult: ...

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackEvent: ...

    def refund(self, payment, amount: Decimal) -> str: ...


_registry: dict[str, PaymentProvider] = {}


def register(provider: PaymentProvider) -> None:
    """Make ``provider`` available under ``provider.name`` (registering another object under a name is an error)."""
    existing = _registry.get(provider.name)
    if existing is not None and type(existing) is not type(provider):
        raise ImproperlyConfigured(f"payment provider {provider.name!r} registered twice")
    _registry[provider.name] = provider


def get(name: str) -> PaymentProvider | None:
    return _registry.get(name)


def providers() -> list[PaymentProvider]:
    return [_registry[k] for k in sorted(_registry)]


def new_reference() -> str:
    return uuid.uuid4().hex


class TestProvider:
    """The built-in provider for tests, demos and the benchmark: payment succeeds at once, callbacks are JSON
    signed with HMAC-SHA256 under a key derived from the secret key, refunds always go through."""

    name = "test"
    label = _("测试支付")

    def _key(self) -> bytes:
        return hashlib.sha256(("wenzhi.consumption.payments.test:" + settings.SECRET_KEY).encode()).digest()

    def sign(self, body: bytes) -> str:
        return hmac.new(self._key(), body, hashlib.sha256).hexdigest()

    def callback_body(self, *, reference: str, status: str, amount: Decimal, event_id: str = "") -> bytes:
        """A callback as the provider would send it (tests replay, duplicate and reorder these)."""
        return json.dumps({"reference": reference, "status": status, "amount": str(amount),
                           "event_id": event_id or uuid.uuid4().hex}).encode()

    def start(self, payment) -> StartResult:
        body = self.callback_body(reference=payment.reference, status="succeeded", amount=payment.amount)
        return StartResult(event=self.verify_callback(body, {SIGNATURE_HEADER: self.sign(body)}))

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackEvent:
        given = headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(given, self.sign(body)):
            raise BadSignature
        try:
            data = json.loads(body)
            return CallbackEvent(reference=str(data["reference"]), event_id=str(data["event_id"]),
                                 status=str(data["status"]), amount=Decimal(str(data["amount"])))
        except (ValueError, KeyError, ArithmeticError) as exc:
            raise BadSignature from exc

    def refund(self, payment, amount: Decimal) -> str:
        return "test-refund-" + uuid.uuid4().hex


def register_builtin() -> None:
    register(TestProvider())
