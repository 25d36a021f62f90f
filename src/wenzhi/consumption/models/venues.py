"""Venues, their halls (a cinema's screens are halls) and seat maps: sections, rows, seats and price zones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import VenueKind


class Venue(models.Model):
    """One theatre, cinema, concert hall or museum in a district, kept by its venue operators."""

    name = models.CharField(_("场馆名称"), max_length=120)
    kind = models.CharField(_("场馆类型"), max_length=20, choices=VenueKind.choices, default=VenueKind.THEATRE)
    district = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="venues",
                                 verbose_name=_("所在区"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="managed_venues",
                                      verbose_name=_("场馆商户账号"))
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("场馆")
        verbose_name_plural = _("场馆")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Hall(models.Model):
    """A room with a seat map inside a venue: a theatre's auditorium, a cinema screen, an exhibition room."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="halls", verbose_name=_("场馆"))
    name = models.CharField(_("厅名"), max_length=80)
    is_screen = models.BooleanField(_("电影银幕"), default=False)
    map_version = models.PositiveIntegerField(_("座位图版本"), default=0)
    history = HistoricalRecords(excluded_fields=["map_version"])

    class Meta:
        verbose_name = _("演出厅")
        verbose_name_plural = _("演出厅")
        ordering = ["venue_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="consumption_hall_name_unique")]

    def __str__(self) -> str:
        return f"{self.venue.name} · {self.name}"


class Section(models.Model):
    """A named block of a hall's seats (池座, 楼座, 包厢...)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(_("区域"), max_length=40)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["hall_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["hall", "name"], name="consumption_section_unique")]

    def __str__(self) -> str:
        return self.name


class PriceZone(models.Model):
    """A price class of seats (票档) in a hall, named by a letter in the map editor; sessions price each zone."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="zones")
    code = models.CharField(_("票档代码"), max_length=1)
    name = models.CharField(_("票档名称"), max_length=40)
    color = models.CharField(_("颜色"), max_length=7, default="#2f6fb0")

    class Meta:
        ordering = ["hall_id", "code"]
        constraints = [models.UniqueConstraint(fields=["hall", "code"], name="consumption_zone_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Seat(models.Model):
    """One seat of a hall's map: section, row and number, its place on the drawing, price zone and flags."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="seats")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="seats")
    row_label = models.CharField(_("排"), max_length=10)
    number = models.PositiveIntegerField(_("座号"))
    x = models.PositiveIntegerField(_("横坐标"))
    y = models.PositiveIntegerField(_("纵坐标"))
    zone = models.ForeignKey(PriceZone, on_delete=models.PROTECT, null=True, blank=True, related_name="seats")
    accessible = models.BooleanField(_("无障碍座位"), default=False)
    blocked = models.BooleanField(_("不可售"), default=False)
    # A seat taken off the map that tickets still name: kept (blocked, off the drawing) for their history.
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["hall_id", "y", "x"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "section", "row_label", "number"], name="consumption_seat_unique"),
            models.UniqueConstraint(fields=["hall", "x", "y"], name="consumption_seat_position_unique"),
        ]

    def __str__(self) -> str:
        return gettext("%(section)s %(row)s排%(number)s座") % {"section": self.section.name, "row": self.row_label,
                                                              "number": self.number}

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.section.name, self.row_label, self.number)
