"""Tables of the culture benefit card (文化惠民卡).

Money is integer fen everywhere (never float). Every change of a card's balance is one :class:`LedgerEntry`;
the card's ``balance_fen`` is a cache of the sum of its entries, written in the same transaction under the
card's row lock and checked against the sum (``selectors.card_balance_check``). The city's subsidy is a second
column on the same entries (``subsidy_fen``): what the city paid the merchant on top of the card.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wenzhi.core.models import DomainModel, Organisation

from .choices import CardStatus, EntryKind, ItemCategory, MerchantCategory, TopUpChannel


def _fen(label):
    return models.BigIntegerField(label, default=0)


class CardPolicy(models.Model):
    """The programme's settings, one row (pk 1): whether cards need the holder's real name, top-up limits."""

    real_name_required = models.BooleanField(_("办卡须实名"), default=False,
                                             help_text=_("开启后，办卡须填写持卡人姓名和身份证号"))
    topup_min_fen = models.PositiveIntegerField(_("单笔充值下限（分）"), default=100)
    topup_max_fen = models.PositiveIntegerField(_("单笔充值上限（分）"), default=200_000)
    balance_max_fen = models.PositiveIntegerField(_("卡内余额上限（分）"), default=500_000)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("惠民卡规则")
        verbose_name_plural = _("惠民卡规则")

    def __str__(self) -> str:
        return str(_("惠民卡规则"))


class Merchant(DomainModel):
    """One participating venue or merchant where cards are redeemed, belonging to an organisation and run by
    its venue operators (场馆商户 users)."""

    name = models.CharField(_("商户名称"), max_length=200)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属组织"), on_delete=models.PROTECT,
                                     related_name="card_merchants")
    district = models.ForeignKey(Organisation, verbose_name=_("所在区"), on_delete=models.PROTECT,
                                 related_name="+", limit_choices_to={"level": "district"})
    category = models.CharField(_("类别"), max_length=16, choices=MerchantCategory.choices)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    venue = models.OneToOneField("consumption.Venue", verbose_name=_("对应售票场馆"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="card_merchant",
                                 help_text=_("在线购票用惠民卡支付时，票款记入此商户"))
    is_participating = models.BooleanField(_("参与惠民卡"), default=True)
    subsidy_eligible = models.BooleanField(_("可享市级补贴"), default=True)
    operators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("运营人员"), blank=True,
                                       related_name="card_merchants")
    is_demo = models.BooleanField(_("演示"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("惠民卡商户")
        verbose_name_plural = _("惠民卡商户")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Card(models.Model):
    """One culture benefit card issued to a resident; ``balance_fen`` caches the sum of its ledger."""

    number = models.CharField(_("卡号"), max_length=20, unique=True)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("持卡人账号"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="benefit_cards")
    holder_name = models.CharField(_("持卡人姓名"), max_length=60, blank=True)
    id_number_masked = models.CharField(_("证件号（脱敏）"), max_length=24, blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=CardStatus.choices, default=CardStatus.ACTIVE)
    balance_fen = models.BigIntegerField(_("余额（分）"), default=0)
    issued_at = models.DateTimeField(_("发卡时间"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    is_demo = models.BooleanField(_("演示"), default=False, editable=False)

    class Meta:
        verbose_name = _("文化惠民卡")
        verbose_name_plural = _("文化惠民卡")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(balance_fen__gte=0), name="card_balance_not_negative"),
            models.UniqueConstraint(fields=["holder"], condition=Q(status="active"), name="card_one_active_per_holder"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def person_key(self) -> str:
        """Who the yearly subsidy cap counts against: the resident's account, or the card when anonymous."""
        if self.holder_id:
            return f"user:{self.holder_id}"
        if self.id_number_digest:
            return f"id:{self.id_number_digest[:40]}"
        return f"card:{self.pk}"


class TopUp(models.Model):
    """One top-up of a card; ``client_key`` (unique per card) makes a retried request count once."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="topups")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    client_key = models.CharField(_("请求标识"), max_length=64)
    channel = models.CharField(_("渠道"), max_length=12, choices=TopUpChannel.choices, default=TopUpChannel.ONLINE)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("充值")
        verbose_name_plural = _("充值")
        constraints = [
            models.UniqueConstraint(fields=["card", "client_key"], name="topup_once_per_key"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="topup_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.card} +{self.amount_fen}"


class SubsidyRule(DomainModel):
    """The city adds ``percent`` of an eligible purchase, up to ``cap_fen`` per person per year."""

    name = models.CharField(_("规则名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    percent = models.PositiveSmallIntegerField(_("补贴比例（%）"))
    cap_fen = models.PositiveIntegerField(_("每人每年补贴上限（分）"))
    categories = models.JSONField(_("适用消费类别"), default=list, blank=True,
                                  help_text=_("不选则适用全部类别"))
    merchants = models.ManyToManyField(Merchant, verbose_name=_("适用商户"), blank=True, related_name="rules",
                                       help_text=_("不选则适用全部可享补贴的商户"))
    is_active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示"), default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("补贴规则")
        verbose_name_plural = _("补贴规则")
        ordering = ["-year", "-percent", "id"]
        constraints = [models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100),
                                              name="subsidy_rule_percent_range")]

    def __str__(self) -> str:
        return self.name


class SubsidyBudget(models.Model):
    """The city's subsidy budget of one year; ``spent_fen`` caches the year's ledger subsidy sum."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    amount_fen = models.BigIntegerField(_("预算（分）"))
    spent_fen = models.BigIntegerField(_("已用（分）"), default=0, editable=False)
    note = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "spent_fen"])

    class Meta:
        verbose_name = _("补贴预算")
        verbose_name_plural = _("补贴预算")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(spent_fen__gte=0, spent_fen__lte=F("amount_fen")),
                                              name="budget_spent_within_amount")]

    def __str__(self) -> str:
        return str(self.year)


class SubsidyUsage(models.Model):
    """Subsidy one person has used in one year (the per-person cap counts against it)."""

    person_key = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    used_fen = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person_key", "year"], name="subsidy_usage_once"),
                       models.CheckConstraint(condition=Q(used_fen__gte=0), name="subsidy_usage_not_negative")]

    def __str__(self) -> str:
        return f"{self.person_key} {self.year}: {self.used_fen}"


class Redemption(models.Model):
    """One purchase paid with a card at a merchant: ``amount_fen`` = ``card_fen`` (from the card) +
    ``subsidy_fen`` (from the city); ``refunded_fen`` is what has been refunded of the amount so far."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="redemptions")
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="redemptions")
    amount_fen = models.BigIntegerField(_("消费金额（分）"))
    card_fen = models.BigIntegerField(_("卡内支付（分）"))
    subsidy_fen = models.BigIntegerField(_("市级补贴（分）"), default=0)
    refunded_fen = models.BigIntegerField(_("已退（分）"), default=0)
    item_category = models.CharField(_("消费类别"), max_length=16, choices=ItemCategory.choices,
                                      default=ItemCategory.OTHER)
    reference = models.CharField(_("业务单号"), max_length=100, blank=True)
    rule = models.ForeignKey(SubsidyRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    client_key = models.CharField(_("请求标识"), max_length=64)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("消费")
        verbose_name_plural = _("消费")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["card", "client_key"], name="redemption_once_per_key"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0, card_fen__gte=0, subsidy_fen__gte=0,
                                               amount_fen=F("card_fen") + F("subsidy_fen")),
                                   name="redemption_parts_add_up"),
            models.CheckConstraint(condition=Q(refunded_fen__gte=0, refunded_fen__lte=F("amount_fen")),
                                   name="redemption_refund_within_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.card} @ {self.merchant_id}: {self.amount_fen}"

    @property
    def refundable_fen(self) -> int:
        return self.amount_fen - self.refunded_fen


class Refund(models.Model):
    """One refund of (part of) a redemption, back to the card (``card_fen``) and the city (``subsidy_fen``)."""

    redemption = models.ForeignKey(Redemption, on_delete=models.PROTECT, related_name="refunds")
    amount_fen = models.BigIntegerField(_("退款金额（分）"))
    card_fen = models.BigIntegerField(_("退回卡内（分）"))
    subsidy_fen = models.BigIntegerField(_("退回补贴（分）"))
    reason = models.CharField(_("退款原因"), max_length=200, blank=True)
    client_key = models.CharField(_("请求标识"), max_length=64)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        constraints = [
            models.UniqueConstraint(fields=["redemption", "client_key"], name="refund_once_per_key"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0, amount_fen=F("card_fen") + F("subsidy_fen")),
                                   name="refund_parts_add_up"),
        ]

    def __str__(self) -> str:
        return f"{self.redemption_id} -{self.amount_fen}"


class LedgerEntry(models.Model):
    """One change of a card's balance (``amount_fen``, signed) and of the city's subsidy (``subsidy_fen``,
    signed: paid to a merchant on a redemption, returned on a refund)."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    amount_fen = models.BigIntegerField(_("卡内变动（分）"))
    subsidy_fen = _fen(_("补贴变动（分）"))
    balance_after_fen = models.BigIntegerField(_("变动后余额（分）"))
    merchant = models.ForeignKey(Merchant, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    topup = models.OneToOneField(TopUp, null=True, blank=True, on_delete=models.PROTECT, related_name="entry")
    redemption = models.ForeignKey(Redemption, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="entries")
    refund = models.OneToOneField(Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="entry")
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("账目")
        verbose_name_plural = _("账目")
        ordering = ["-id"]
        indexes = [models.Index(fields=["card", "id"], name="ledger_card_id"),
                   models.Index(fields=["merchant", "created_at"], name="ledger_merchant_time")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.kind} {self.amount_fen}"
