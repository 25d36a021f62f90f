"""Choices of opinion monitoring: rule kinds, alert states and severities, delivery channels, report kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    KEYWORD = "keyword", _("关键词")
    ENTITY = "entity", _("关注对象")
    SENTIMENT = "sentiment", _("负面情感")
    SOURCE = "source", _("信息来源")
    VOLUME_SPIKE = "volume_spike", _("声量突增")


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PARK = "park", _("园区")
    PROJECT = "project", _("项目")
    DISTRICT = "district", _("区")


class Severity(models.TextChoices):
    INFO = "info", _("一般")
    WARNING = "warning", _("较重")
    CRITICAL = "critical", _("严重")


class AlertState(models.TextChoices):
    NEW = "new", _("新预警")
    ASSIGNED = "assigned", _("已分派")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")


class ReportKind(models.TextChoices):
    DAILY = "daily", _("日报")
    WEEKLY = "weekly", _("周报")
    MONTHLY = "monthly", _("月报")
