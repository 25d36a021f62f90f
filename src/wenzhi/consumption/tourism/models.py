"""Tables of rural cultural tourism: the plan's 12 themed boards, places (villages, sites, heritage items,
services) with photos, opening times and coordinates, and routes through them."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.models import DomainModel, Organisation

from .choices import HeritageLevel, PlaceKind, ServiceType

COORD: dict[str, Any] = {"max_digits": 9, "decimal_places": 6, "null": True, "blank": True}


class Board(DomainModel):
    """One of the plan's 12 themed boards of cultural tourism (文化旅游主题板块), editable by the city."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("板块名称"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    clause = models.CharField(_("计划依据"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("主题板块")
        verbose_name_plural = _("主题板块")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Place(DomainModel):
    """One village, site, heritage item or visitor service, in a district, on the map."""

    kind = models.CharField(_("类型"), max_length=12, choices=PlaceKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    district = models.ForeignKey(Organisation, verbose_name=_("所在区"), on_delete=models.PROTECT,
                                 related_name="tourism_places", limit_choices_to={"level": "district"})
    village = models.ForeignKey("self", verbose_name=_("所在乡村"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="members", limit_choices_to={"kind": PlaceKind.VILLAGE})
    boards = models.ManyToManyField(Board, verbose_name=_("主题板块"), blank=True, related_name="places")
    summary = models.CharField(_("一句话介绍"), max_length=200, blank=True)
    description = models.TextField(_("详细介绍"), blank=True)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    longitude = models.DecimalField(_("经度"), validators=[MinValueValidator(116), MaxValueValidator(119)], **COORD)
    latitude = models.DecimalField(_("纬度"), validators=[MinValueValidator(38), MaxValueValidator(41)], **COORD)
    opening_hours = models.TextField(_("开放时间"), blank=True, help_text=_("例如：周二至周日 9:00–17:00，周一闭馆"))
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    heritage_level = models.CharField(_("非遗级别"), max_length=12, choices=HeritageLevel.choices, blank=True)
    service_type = models.CharField(_("服务类型"), max_length=16, choices=ServiceType.choices, blank=True)
    is_published = models.BooleanField(_("公开"), default=True)
    is_demo = models.BooleanField(_("演示"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("文旅资源")
        verbose_name_plural = _("文旅资源")
        ordering = ["district__code", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Photo(models.Model):
    """One photo of a place (JPEG, PNG or WebP, checked by its bytes)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to="tourism/%Y/%m/")
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name or "")


class Route(DomainModel):
    """A suggested route through places (一日游、两日游), placed in the district where it starts."""

    name = models.CharField(_("线路名称"), max_length=200)
    district = models.ForeignKey(Organisation, verbose_name=_("所在区"), on_delete=models.PROTECT,
                                 related_name="tourism_routes", limit_choices_to={"level": "district"})
    summary = models.TextField(_("线路介绍"), blank=True)
    days = models.PositiveSmallIntegerField(_("天数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)])
    boards = models.ManyToManyField(Board, verbose_name=_("主题板块"), blank=True, related_name="routes")
    is_published = models.BooleanField(_("公开"), default=True)
    is_demo = models.BooleanField(_("演示"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("旅游线路")
        verbose_name_plural = _("旅游线路")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class RouteStop(models.Model):
    """One stop of a route, in order."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="route_stops")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["route", "order"]
        constraints = [models.UniqueConstraint(fields=["route", "order"], name="route_stop_order_once")]

    def __str__(self) -> str:
        return f"{self.route_id}#{self.order}"
