"""Special funds: a fund per year with its budget, allocation proposals and grants, tranches, and history.

Money is ``Decimal`` yuan with two places. A grant's paid amount is the sum of its tranches (the ledger); a
fund's committed amount the sum of its approved grants.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.models import DomainModel

from ..choices_funds import AllocationReason, AllocationStatus, FundKind
from .library import money_field

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class Fund(DomainModel):
    """One year's special fund (专项资金) or the investment fund (投资基金), with its budget."""

    name = models.CharField(_("资金名称"), max_length=200)
    kind = models.CharField(_("资金类型"), max_length=24, choices=FundKind.choices, default=FundKind.SPECIAL_FUND)
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    budget = money_field(_("预算（元）"))
    description = models.TextField(_("说明"), blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("专项资金")
        verbose_name_plural = _("专项资金")
        ordering = ["-year", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "name"], name="fund_unique_name")]

    def __str__(self) -> str:
        return self.name


class FundAllocation(models.Model):
    """One allocation of a fund to a call's selected applications: the optimiser's proposal, then approved.

    ``version`` moves with every adjustment and the approval: an official saving over someone else's change
    is told (409). The balance options are those the proposal was computed with.
    """

    fund = models.ForeignKey(Fund, verbose_name=_("资金"), on_delete=models.PROTECT, related_name="allocations")
    call = models.ForeignKey("projects.Call", verbose_name=_("申报批次"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="allocations")
    title = models.CharField(_("方案名称"), max_length=200)
    amount = money_field(_("方案资金额度（元）"))
    status = models.CharField(_("状态"), max_length=16, choices=AllocationStatus.choices,
                              default=AllocationStatus.PROPOSED, db_index=True)
    max_district_share = models.DecimalField(_("单区资金占比上限"), max_digits=4, decimal_places=3, null=True,
                                             blank=True, validators=[MinValueValidator(Decimal(0)),
                                                                     MaxValueValidator(Decimal(1))])
    min_funded_per_district = models.PositiveSmallIntegerField(_("每区至少资助项目数"), default=0)
    shadow_price = models.FloatField(_("预算边际得分（每万元）"), default=0.0)
    gap = models.FloatField(_("最优性差距"), default=0.0)
    version = models.PositiveIntegerField(_("版本"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("编制人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("编制时间"), default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资金分配方案")
        verbose_name_plural = _("资金分配方案")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Grant(models.Model):
    """One application's line in an allocation: proposed amount and why, the adjusted amount, tranches paid."""

    allocation = models.ForeignKey(FundAllocation, verbose_name=_("分配方案"), on_delete=models.CASCADE,
                                   related_name="grants")
    application = models.ForeignKey("projects.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="grants")
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="grants")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("项目单位"), on_delete=models.PROTECT,
                                   related_name="grants")
    district = models.ForeignKey("core.Organisation", verbose_name=_("所属区"), on_delete=models.PROTECT,
                                 related_name="district_grants")
    score = models.FloatField(_("评审得分"))
    min_amount = money_field(_("资助下限（元）"))
    max_amount = money_field(_("资助上限（元）"))
    proposed_amount = money_field(_("建议金额（元）"))
    amount = money_field(_("安排金额（元）"))
    reason = models.CharField(_("安排依据"), max_length=16, choices=AllocationReason.choices)
    score_per_yuan = models.FloatField(_("每万元得分"), default=0.0)
    adjust_reason = models.TextField(_("调整理由"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资助安排")
        verbose_name_plural = _("资助安排")
        ordering = ["allocation", "-amount", "-score"]
        constraints = [models.UniqueConstraint(fields=["allocation", "application"], name="grant_unique_application")]

    def __str__(self) -> str:
        return f"{self.application} {self.amount}"

    @property
    def score_per_10k(self) -> float:
        return self.score_per_yuan * 10_000


class Disbursement(models.Model):
    """One tranche paid on a grant, against a milestone the project has completed (a ledger row)."""

    grant = models.ForeignKey(Grant, verbose_name=_("资助安排"), on_delete=models.PROTECT,
                              related_name="disbursements")
    milestone = models.ForeignKey("projects.Milestone", verbose_name=_("对应节点"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="disbursements")
    amount = money_field(_("拨付金额（元）"))
    paid_on = models.DateField(_("拨付日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("资金拨付")
        verbose_name_plural = _("资金拨付")
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.grant} {self.amount} {self.paid_on}"


class FundHistory(models.Model):
    """A historical total the plan reports (e.g. 2013–2017: 4.4亿元 to 218 projects, 130亿元 social capital)."""

    kind = models.CharField(_("资金类型"), max_length=24, choices=FundKind.choices)
    label = models.CharField(_("说明"), max_length=200)
    year_from = models.PositiveSmallIntegerField(_("起始年度"), validators=YEAR)
    year_to = models.PositiveSmallIntegerField(_("截止年度"), validators=YEAR)
    fund_amount = money_field(_("资金额度（元）"))
    projects = models.PositiveIntegerField(_("扶持项目数"), default=0)
    social_capital = money_field(_("撬动社会资金（元）"))
    source = models.CharField(_("出处"), max_length=300)

    class Meta:
        verbose_name = _("资金历史数据")
        verbose_name_plural = _("资金历史数据")
        ordering = ["year_from", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "label"], name="fund_history_unique_label")]

    def __str__(self) -> str:
        return self.label
