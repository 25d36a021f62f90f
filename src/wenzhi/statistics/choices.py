"""Choices of statistics: aggregation rules, period types, reporters, submission states, rule importance."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Aggregation(models.TextChoices):
    """How an indicator's values combine over time (quarters into a year) and over districts.

    Over time: sum adds the periods, average takes their mean, last takes the latest period (a stock such as
    units or screens at the period's end). Over districts: average indicators are averaged, all others added.
    """

    SUM = "sum", _("求和")
    AVERAGE = "average", _("平均")
    LAST = "last", _("期末值")


class ValueKind(models.TextChoices):
    AMOUNT = "amount", _("金额")
    COUNT = "count", _("计数（非负整数）")
    NUMBER = "number", _("数值")
    RATIO = "ratio", _("比率")


class IndicatorCategory(models.TextChoices):
    ECONOMY = "economy", _("经济总量")
    UNITS = "units", _("单位与从业")
    PARKS = "parks", _("园区与项目")
    FILM = "film", _("电影")
    PERFORMANCE = "performance", _("演艺")
    CONSUMPTION = "consumption", _("文化消费")
    MACRO = "macro", _("宏观经济")
    REGISTRY = "registry", _("登记库（自动计算）")


class IndicatorSource(models.TextChoices):
    ENTERED = "entered", _("填报")
    DERIVED = "derived", _("由登记库计算")


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", _("月度")
    QUARTERLY = "quarterly", _("季度")
    YEARLY = "yearly", _("年度")


class ReporterKind(models.TextChoices):
    DISTRICT = "district", _("各区")
    ENTERPRISE = "enterprise", _("规模以上企业")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已上报")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


class SubmissionEventKind(models.TextChoices):
    SUBMIT = "submit", _("上报")
    APPROVE = "approve", _("审核通过并锁定")
    RETURN = "return", _("退回")
    UNLOCK = "unlock", _("解锁")


class Importance(models.TextChoices):
    WARNING = "warning", _("警告（须说明）")
    ERROR = "error", _("错误（须修改）")


class Operator(models.TextChoices):
    EQ = "==", "="
    NE = "!=", "≠"
    LT = "<", "<"
    LE = "<=", "≤"
    GT = ">", ">"
    GE = ">=", "≥"


class ReminderChannel(models.TextChoices):
    IN_APP = "in_app", _("站内提醒")
    EMAIL = "email", _("电子邮件")
