"""Choices of the project library, calls, reviews and selection."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectLevel(models.TextChoices):
    CITY_KEY = "city_key", _("市级重点项目")
    DISTRICT_KEY = "district_key", _("区级重点项目")
    LIBRARY = "library", _("入库项目")


class Stage(models.TextChoices):
    """储备 → 培育 → 在建 → 建成, or 终止 (the plan's 建成一批、储备一批、培育一批)."""

    RESERVE = "reserve", _("储备")
    INCUBATING = "incubating", _("培育")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    COMPLETED = "completed", _("建成")
    TERMINATED = "terminated", _("终止")


class FundingSource(models.TextChoices):
    SPECIAL_FUND = "special_fund", _("专项资金")
    INVESTMENT_FUND = "investment_fund", _("产业投资基金")
    BANK_LOAN = "bank_loan", _("银行贷款")
    SOCIAL_CAPITAL = "social_capital", _("社会资金")


class CallLevel(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    DISTRICT_RECOMMENDED = "district_recommended", _("区级推荐")
    DISTRICT_REJECTED = "district_rejected", _("区级未推荐")
    UNDER_REVIEW = "under_review", _("专家评审中")
    DECIDED = "decided", _("已决定")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("评分中")
    SUBMITTED = "submitted", _("已提交")


class Outcome(models.TextChoices):
    CITY_KEY = "city_key", _("市级重点项目")
    DISTRICT_KEY = "district_key", _("区级重点项目")
    RESERVE = "reserve", _("列入储备")
    REJECTED = "rejected", _("不予入选")


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("公示中")
    CLOSED = "closed", _("公示结束")
    PUBLISHED = "published", _("已正式发布")
