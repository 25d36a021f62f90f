"""Events (performances, exhibitions, films), their dated sessions in a hall, and the per-session seat engine."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import EventKind, RefundRule, SeatStatus


class Event(models.Model):
    """A performance, exhibition or film shown at a venue, in one or more sessions."""

    title = models.CharField(_("名称"), max_length=160)
    kind = models.CharField(_("类别"), max_length=20, choices=EventKind.choices, default=EventKind.PERFORMANCE)
    venue = models.ForeignKey("consumption.Venue", on_delete=models.CASCADE, related_name="events",
                              verbose_name=_("场馆"))
    description = models.TextField(_("介绍"), blank=True)
    published = models.BooleanField(_("公开发布"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("演出/展览/影片")
        verbose_name_plural = _("演出/展览/影片")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One dated showing (场次) of an event in a hall: sale window, prices per zone, quota, limits, refund rule.

    ``quota`` limits how many of the hall's sellable seats go on sale (the best ones, by the map's order);
    ``per_person_limit`` caps one buyer's tickets (public-benefit sessions; paid sessions only when set)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("名称"))
    hall = models.ForeignKey("consumption.Hall", on_delete=models.PROTECT, related_name="sessions",
                             verbose_name=_("演出厅"))
    starts_at = models.DateTimeField(_("开始时间"))
    sale_starts_at = models.DateTimeField(_("开售时间"))
    sale_ends_at = models.DateTimeField(_("停售时间"))
    is_free = models.BooleanField(_("公益免费场"), default=False)
    per_person_limit = models.PositiveIntegerField(_("每人限购"), null=True, blank=True,
                                                   validators=[MinValueValidator(1)])
    quota = models.PositiveIntegerField(_("配额（可售座位数）"), null=True, blank=True)
    hold_minutes = models.PositiveIntegerField(_("锁座时长（分钟）"), default=15, validators=[MinValueValidator(1)])
    refund_rule = models.CharField(_("退票规则"), max_length=10, choices=RefundRule.choices, default=RefundRule.FULL)
    refund_hours = models.PositiveIntegerField(_("开演前可退时限（小时）"), default=24)
    refund_fee_percent = models.DecimalField(_("退票手续费（%）"), max_digits=5, decimal_places=2,
                                             default=Decimal("0.00"))
    cancelled = models.BooleanField(_("已取消"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("场次")
        verbose_name_plural = _("场次")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["sale_starts_at", "sale_ends_at"], name="consumption_session_sale_idx")]

    def __str__(self) -> str:
        return f"{self.event.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def on_sale(self, now=None) -> bool:
        now = now or timezone.now()
        return (not self.cancelled and self.event.published and self.sale_starts_at <= now < self.sale_ends_at
                and now < self.starts_at)


class SessionPrice(models.Model):
    """The price of a price zone's seats in one session (0 in a free session)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="prices")
    zone = models.ForeignKey("consumption.PriceZone", on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField(_("票价（元）"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "zone"], name="consumption_price_unique")]

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.price}"


class SessionSeat(models.Model):
    """A seat's state in one session: the inventory row every claim changes with one conditional UPDATE.

    ``held`` with ``held_until`` in the past counts as available: the next claim takes it (no sweeper needed).
    The session has no index of its own: the unique (session, seat) index serves every lookup by session, and a
    claim that sets the order writes one index entry fewer per seat."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seat_states", db_index=False)
    seat = models.ForeignKey("consumption.Seat", on_delete=models.CASCADE, related_name="session_states")
    status = models.CharField(max_length=9, choices=SeatStatus.choices, default=SeatStatus.AVAILABLE)
    order = models.ForeignKey("consumption.Order", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="seat_states")
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "seat"], name="consumption_session_seat_unique")]

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.status}"
