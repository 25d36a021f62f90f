"""Choices of rural cultural tourism."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    VILLAGE = "village", _("乡村")
    SITE = "site", _("景点")
    HERITAGE = "heritage", _("非遗项目")
    SERVICE = "service", _("服务设施")


class HeritageLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    MUNICIPAL = "municipal", _("市级")
    DISTRICT = "district", _("区级")


class ServiceType(models.TextChoices):
    LODGING = "lodging", _("民宿住宿")
    DINING = "dining", _("特色餐饮")
    TRANSPORT = "transport", _("交通停车")
    VISITOR_CENTRE = "visitor_centre", _("游客中心")
    GUIDE = "guide", _("导览讲解")
