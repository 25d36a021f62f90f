"""Orders, their tickets, payments with the money ledger, and check-ins."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import CheckInSource, LedgerKind, OrderStatus, PaymentStatus, TicketStatus


class Order(models.Model):
    """One buyer's order of seats in one session: held until paid (or the hold lapses), then paid or refunded."""

    number = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey("consumption.Session", on_delete=models.PROTECT, related_name="orders",
                                verbose_name=_("场次"))
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ticket_orders",
                              verbose_name=_("购票人"), db_index=False)  # the (buyer, -created_at) index serves it
    status = models.CharField(_("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    total = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2, default=Decimal("0.00"))
    seat_count = models.PositiveSmallIntegerField(_("座位数"), default=0)
    refunded = models.DecimalField(_("已退金额（元）"), max_digits=10, decimal_places=2, default=Decimal("0.00"))
    held_until = models.DateTimeField(_("锁座截止"))
    created_at = models.DateTimeField(_("下单时间"), auto_now_add=True)
    paid_at = models.DateTimeField(_("支付时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("订单")
        verbose_name_plural = _("订单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["buyer", "-created_at"], name="consumption_order_buyer_idx")]

    def __str__(self) -> str:
        return str(self.number)[:8].upper()


class Ticket(models.Model):
    """One seat of an order: held while the order waits, valid once paid (the e-ticket), released or refunded.

    At most one valid ticket per session seat: the database refuses a seat sold twice."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tickets")
    session = models.ForeignKey("consumption.Session", on_delete=models.PROTECT, related_name="tickets")
    seat = models.ForeignKey("consumption.Seat", on_delete=models.PROTECT, related_name="tickets")
    price = models.DecimalField(_("票价（元）"), max_digits=9, decimal_places=2)
    status = models.CharField(_("状态"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.HELD)
    secret = models.CharField(max_length=32, default="", editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "seat"], condition=Q(status="valid"),
                                               name="consumption_ticket_sold_once")]

    def __str__(self) -> str:
        return f"{self.order} · {self.seat_id}"


class Payment(models.Model):
    """One attempt to pay an order through a provider; ``reference`` is what the provider's callbacks name."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("支付方式"), max_length=20)
    reference = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    status = models.CharField(_("状态"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.provider} {self.reference}"


class LedgerEntry(models.Model):
    """Money that moved: a charge confirmed by a provider or a refund sent back. Each provider event is
    recorded once (``provider`` + ``event_id`` unique), so a callback delivered twice changes nothing."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="ledger")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2, validators=[])
    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="consumption_ledger_event_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="consumption_ledger_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class CheckIn(models.Model):
    """A ticket's entry at the door: at most one per ticket, whether scanned online or synced from a gate's
    offline list."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, related_name="check_in")
    at = models.DateTimeField(_("入场时间"))
    source = models.CharField(_("方式"), max_length=10, choices=CheckInSource.choices, default=CheckInSource.ONLINE)
    device = models.CharField(_("检票设备"), max_length=60, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.at:%Y-%m-%d %H:%M}"
