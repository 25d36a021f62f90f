"""Choices of funds and allocations, progress reports and messages, the export directory and fairs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundKind(models.TextChoices):
    SPECIAL_FUND = "special_fund", _("文化产业发展专项资金")
    INVESTMENT_FUND = "investment_fund", _("文化产业投资基金")


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("建议方案")
    APPROVED = "approved", _("已批准")


class AllocationReason(models.TextChoices):
    """Why a project got the amount the optimiser proposed (``wenzhi.projects.allocation.Reason``)."""

    AT_MAX = "at_max", _("达到资助上限")
    AT_MIN = "at_min", _("按资助下限安排")
    BUDGET = "budget", _("受预算余额限制")
    DISTRICT_CAP = "district_cap", _("受区域均衡上限限制")
    FIXED = "fixed", _("人工调整")
    NOT_SELECTED = "not_selected", _("未获资助（单位得分低于预算边际）")


class Quarter(models.IntegerChoices):
    Q1 = 1, _("第一季度")
    Q2 = 2, _("第二季度")
    Q3 = 3, _("第三季度")
    Q4 = 4, _("第四季度")


class MessageKind(models.TextChoices):
    REMINDER = "reminder", _("进度报告提醒")
    OVERDUE = "overdue", _("进度报告逾期")
    INTEREST = "interest", _("投资意向")
    STALLED = "stalled", _("项目停滞预警")


class FairStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    HELD = "held", _("已举办")
