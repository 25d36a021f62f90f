from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueKind(models.TextChoices):
    THEATRE = "theatre", _("剧场")
    CINEMA = "cinema", _("影院")
    CONCERT_HALL = "concert_hall", _("音乐厅")
    MUSEUM = "museum", _("博物馆/美术馆")
    OTHER = "other", _("其他场馆")


class EventKind(models.TextChoices):
    PERFORMANCE = "performance", _("演出")
    EXHIBITION = "exhibition", _("展览")
    CINEMA = "cinema", _("电影")


class SeatStatus(models.TextChoices):
    """A seat's state in one session (the API's ``status``)."""

    AVAILABLE = "available", _("可售")
    HELD = "held", _("锁定中")
    SOLD = "sold", _("已售")


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    PAID = "paid", _("已支付")
    EXPIRED = "expired", _("已超时")
    CANCELLED = "cancelled", _("已取消")
    REFUNDED = "refunded", _("已退款")


class TicketStatus(models.TextChoices):
    HELD = "held", _("待支付")
    VALID = "valid", _("有效")
    RELEASED = "released", _("已释放")
    REFUNDED = "refunded", _("已退票")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待支付")
    SUCCEEDED = "succeeded", _("支付成功")
    FAILED = "failed", _("支付失败")


class LedgerKind(models.TextChoices):
    CHARGE = "charge", _("收款")
    REFUND = "refund", _("退款")


class RefundRule(models.TextChoices):
    """What a buyer gets back when cancelling (``Session.refund_hours`` before the start is the deadline)."""

    FULL = "full", _("开演前规定时限内全额退款")
    FEE = "fee", _("开演前规定时限内扣除手续费退款")
    NONE = "none", _("不退不换")


class CheckInSource(models.TextChoices):
    ONLINE = "online", _("在线扫码")
    OFFLINE = "offline", _("离线名单同步")
