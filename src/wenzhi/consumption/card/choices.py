"""Choices of the culture benefit card (文化惠民卡)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    FROZEN = "frozen", _("冻结")
    CLOSED = "closed", _("注销")


class MerchantCategory(models.TextChoices):
    THEATRE = "theatre", _("剧场演出")
    CINEMA = "cinema", _("影院")
    BOOKSTORE = "bookstore", _("书店")
    MUSEUM = "museum", _("博物馆展览")
    TOURISM = "tourism", _("乡村文化旅游")
    CRAFT = "craft", _("非遗文创")
    OTHER = "other", _("其他")


class ItemCategory(models.TextChoices):
    """What a redemption pays for; subsidy rules name the categories they cover."""

    PERFORMANCE = "performance", _("演出")
    FILM = "film", _("电影")
    EXHIBITION = "exhibition", _("展览")
    BOOK = "book", _("图书")
    TOURISM = "tourism", _("文化旅游")
    CRAFT = "craft", _("文创产品")
    OTHER = "other", _("其他")


class EntryKind(models.TextChoices):
    TOPUP = "topup", _("充值")
    REDEMPTION = "redemption", _("消费")
    REFUND = "refund", _("退款")


class TopUpChannel(models.TextChoices):
    ONLINE = "online", _("线上自助")
    COUNTER = "counter", _("柜台代充")
