"""Benefit card pages. Thin: forms shape input, services write, selectors read.

Residents: ``mine`` (mobile-first: balance, recent history, top-up, apply) and their statement. The city: cards,
merchants, subsidy rules, budget and settings. Venue operators: their merchants, charging cards, refunds and
settlements.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.listing import Column, ListPage, export_xlsx
from wenzhi.core.permissions import can, require, requires
from wenzhi.core.services import history_diffs

from . import selectors, services
from .choices import CardStatus, TopUpChannel
from .forms import (
    ApplyForm,
    BudgetForm,
    ChargeForm,
    IssueForm,
    MerchantForm,
    PolicyForm,
    RefundForm,
    RuleForm,
    TopUpForm,
    new_client_key,
)
from .models import Card, Redemption, SubsidyRule
from .money import yuan_text


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


def _form_errors(form) -> str:
    return "；".join(f"{form.fields[k].label if k in form.fields else ''}：{'；'.join(v)}"
                    for k, v in form.errors.items())


def _run(request, form, call: Callable[[], Any], done: Callable[[Any], str]) -> bool:
    """Validate the form, call the service, flash the outcome; True when it succeeded."""
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return False
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return False
    messages.success(request, done(result))
    return True


STATEMENT_COLUMNS = [
    Column("created_at", _("时间"), lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S")),
    Column("kind", _("类型"), lambda e: e.get_kind_display()),
    Column("merchant", _("商户"), lambda e: e.merchant.name if e.merchant_id else ""),
    Column("amount", _("卡内变动（元）"), lambda e: yuan_text(e.amount_fen)),
    Column("subsidy", _("市级补贴（元）"), lambda e: yuan_text(e.subsidy_fen)),
    Column("balance", _("变动后余额（元）"), lambda e: yuan_text(e.balance_after_fen)),
]


def _statement_export(card: Card, who: str):
    info = [(gettext("导出内容"), gettext("文化惠民卡对账单")), (gettext("卡号"), card.number),
            (gettext("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")), (gettext("导出人"), who)]
    return export_xlsx(selectors.card_entries(card=card).iterator(), STATEMENT_COLUMNS,
                       f"card-statement-{card.number}", title=gettext("对账单"), info=info)


# Residents ----------------------------------------------------------------------------------------------------


@requires("card.apply")
@require_safe
def mine(request):
    """The resident's card on a phone: balance, the last entries, top-up; or the application form."""
    card = selectors.own_card(user=request.user)
    context: dict[str, object] = {"card": card, "policy": services.policy(),
               "merchants": selectors.participating_merchants()[:50]}
    if card is None:
        context["apply_form"] = ApplyForm()
    else:
        context.update(entries=selectors.card_entries(card=card)[:10], balance=yuan_text(card.balance_fen),
                       topup_form=TopUpForm(initial={"client_key": new_client_key()}),
                       can_topup=can(request.user, "card.use", card) and card.status == CardStatus.ACTIVE)
    return render(request, "card/mine.html", context)


@requires("card.apply")
@require_POST
def apply(request):
    form = ApplyForm(request.POST)
    _run(request, form, lambda: services.card_issue(actor=request.user, holder=request.user,
                                                    holder_name=form.cleaned_data["holder_name"],
                                                    id_number=form.cleaned_data["id_number"]),
         lambda card: gettext("已为您开通文化惠民卡，卡号 %(number)s。") % {"number": card.number})
    return redirect("card:mine")


@requires("card.use")
@require_POST
def topup(request):
    """Online top-up of the resident's own card; the form's key makes a double submit count once."""
    card = selectors.own_card(user=request.user)
    if card is None:
        raise Http404
    form = TopUpForm(request.POST)

    def done(t) -> str:
        if t.replayed:
            return gettext("这笔充值已经到账（重复提交未重复扣款）。")
        return gettext("充值 %(amount)s 元已到账。") % {"amount": yuan_text(t.amount_fen)}

    _run(request, form, lambda: services.card_topup(actor=request.user, card=card,
                                                    amount_fen=form.cleaned_data["amount"],
                                                    client_key=form.cleaned_data["client_key"]), done)
    return redirect("card:mine")


@requires("card.use")
@require_safe
def statement(request):
    """The resident's whole statement, 30 rows a page, or as xlsx."""
    card = selectors.own_card(user=request.user)
    if card is None or not can(request.user, "card.use", card):
        raise Http404
    if request.GET.get("export") == "xlsx":
        return _statement_export(card, request.user.get_username())
    page = Paginator(selectors.card_entries(card=card), 30).get_page(request.GET.get("page"))
    return render(request, "card/statement.html", {"card": card, "page": page, "balance": yuan_text(card.balance_fen),
                                                   "back": reverse("card:mine")})


# The city: cards ------------------------------------------------------------------------------------------------


class CardList(ListPage):
    title = _("文化惠民卡")
    selector = staticmethod(selectors.card_list)
    columns = [
        Column("number", _("卡号"), link=True),
        Column("holder_name", _("持卡人姓名")),
        Column("holder", _("居民账号"), lambda c: c.holder.get_username() if c.holder_id else ""),
        Column("status", _("状态"), "status"),
        Column("balance_fen", _("余额（元）"), lambda c: yuan_text(c.balance_fen)),
        Column("issued_at", _("发卡时间"), lambda c: timezone.localtime(c.issued_at).strftime("%Y-%m-%d")),
    ]
    search_fields = ["number", "holder_name", "holder__username"]
    export_name = "benefit-cards"
    detail_url_name = "card:card_detail"
    permission_action = "card.manage"

    def get_actions(self):
        return [(gettext("发卡"), reverse("card:card_issue"))]


def _card(request, pk: int) -> Card:
    return get_object_or_404(selectors.card_list(user=request.user), pk=pk)


@requires("card.manage")
@require_safe
def card_detail(request, pk: int):
    card = _card(request, pk)
    if request.GET.get("export") == "xlsx":
        return _statement_export(card, request.user.get_username())
    page = Paginator(selectors.card_entries(card=card), 30).get_page(request.GET.get("page"))
    return render(request, "card/statement.html", {
        "card": card, "page": page, "balance": yuan_text(card.balance_fen), "back": reverse("card:card_list"),
        "official": True, "statuses": CardStatus.choices,
        "topup_form": TopUpForm(initial={"client_key": new_client_key()})})


@requires("card.manage")
def card_issue(request):
    form = IssueForm(request.POST or None)
    if request.method == "POST" and _run(request, form, lambda: services.card_issue(
            actor=request.user, holder=form.cleaned_data["holder"], holder_name=form.cleaned_data["holder_name"],
            id_number=form.cleaned_data["id_number"]),
            lambda card: gettext("已发卡，卡号 %(number)s。") % {"number": card.number}):
        return redirect("card:card_list")
    return render(request, "card/form.html", {"title": gettext("发放文化惠民卡"), "form": form,
                                              "back": reverse("card:card_list")})


@requires("card.manage")
@require_POST
def card_counter_topup(request, pk: int):
    card = _card(request, pk)
    form = TopUpForm(request.POST)
    _run(request, form, lambda: services.card_topup(actor=request.user, card=card, channel=TopUpChannel.COUNTER,
                                                    amount_fen=form.cleaned_data["amount"],
                                                    client_key=form.cleaned_data["client_key"]),
         lambda t: gettext("柜台充值 %(amount)s 元已到账。") % {"amount": yuan_text(t.amount_fen)})
    return redirect("card:card_detail", pk=card.pk)


@requires("card.manage")
@require_POST
def card_status(request, pk: int):
    card = _card(request, pk)
    try:
        services.card_set_status(actor=request.user, card=card, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, gettext("卡片状态已更新。"))
    return redirect("card:card_detail", pk=card.pk)


# Merchants ------------------------------------------------------------------------------------------------------


class MerchantList(ListPage):
    title = _("惠民卡商户")
    selector = staticmethod(selectors.merchant_list)
    columns = [
        Column("name", _("商户名称"), link=True),
        Column("district", _("所在区"), "district__name"),
        Column("organisation", _("所属组织"), "organisation__name"),
        Column("category", _("类别"), "category"),
        Column("is_participating", _("参与惠民卡")),
        Column("subsidy_eligible", _("可享市级补贴")),
    ]
    search_fields = ["name", "address"]
    default_ordering = "name"
    export_name = "card-merchants"
    detail_url_name = "card:merchant_detail"
    permission_action = "card.merchant_view"

    def get_actions(self):
        if can(self.request.user, "card.merchant_change"):
            return [(gettext("新增商户"), reverse("card:merchant_new"))]
        return []


def _merchant(request, pk: int):
    return get_object_or_404(selectors.merchant_list(user=request.user), pk=pk)


@requires("card.merchant_view")
@require_safe
def merchant_detail(request, pk: int):
    """A merchant's month: settlement figures, its redemptions (refund buttons), the charge form."""
    merchant = _merchant(request, pk)
    start, end = selectors.month_bounds(request.GET.get("month"))
    user = request.user
    redemptions = selectors.merchant_redemptions(merchant=merchant)[:50]
    return render(request, "card/merchant_detail.html", {
        "merchant": merchant, "month": start.strftime("%Y-%m"),
        "settlement": selectors.settlement(merchant=merchant, start=start, end=end),
        "redemptions": redemptions, "yuan": yuan_text,
        "can_change": can(user, "card.merchant_change", merchant), "can_charge": can(user, "card.charge", merchant),
        "can_refund": can(user, "card.refund", merchant),
        "charge_form": ChargeForm(initial={"client_key": new_client_key()}),
        "refund_key": new_client_key(), "history": history_diffs(merchant)})


SETTLEMENT_COLUMNS = [
    Column("created_at", _("时间"), lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S")),
    Column("kind", _("类型"), lambda e: e.get_kind_display()),
    Column("card", _("卡号"), lambda e: e.card.number),
    Column("reference", _("业务单号"), lambda e: e.redemption.reference if e.redemption_id else ""),
    Column("card_part", _("卡内支付（元）"), lambda e: yuan_text(-e.amount_fen)),
    Column("subsidy_part", _("市级补贴（元）"), lambda e: yuan_text(e.subsidy_fen)),
    Column("due", _("应结算（元）"), lambda e: yuan_text(e.subsidy_fen - e.amount_fen)),
]


@requires("card.merchant_view")
@require_safe
def merchant_settlement(request, pk: int):
    """The month's settlement as xlsx: every ledger row of the merchant, the totals on the notes sheet."""
    merchant = _merchant(request, pk)
    start, end = selectors.month_bounds(request.GET.get("month"))
    s = selectors.settlement(merchant=merchant, start=start, end=end)
    info = [(gettext("导出内容"), gettext("商户结算单")), (gettext("商户"), merchant.name),
            (gettext("期间"), f"{start:%Y-%m-%d} — {end:%Y-%m-%d}"), (gettext("消费笔数"), str(s.sales)),
            (gettext("消费金额（元）"), yuan_text(s.gross_fen)), (gettext("退款金额（元）"), yuan_text(s.refunds_fen)),
            (gettext("卡内支付合计（元）"), yuan_text(s.card_fen)), (gettext("市级补贴合计（元）"), yuan_text(s.subsidy_fen)),
            (gettext("应结算合计（元）"), yuan_text(s.net_fen)),
            (gettext("导出时间"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
            (gettext("导出人"), request.user.get_username())]
    rows = selectors.settlement_entries(merchant=merchant, start=start, end=end).iterator()
    return export_xlsx(rows, SETTLEMENT_COLUMNS, f"settlement-{merchant.pk}-{start:%Y-%m}",
                       title=gettext("结算明细"), info=info)


def _merchant_form(request, merchant, title: str):
    form = MerchantForm(request.POST or None, instance=merchant)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.merchant_save(actor=request.user, merchant=merchant, data=form.service_data(),
                                           operators=list(form.cleaned_data["operators"]))
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("已保存，变更已记入变更记录。"))
            return redirect("card:merchant_detail", pk=saved.pk)
    back = reverse("card:merchant_detail", args=[merchant.pk]) if merchant else reverse("card:merchant_list")
    return render(request, "card/form.html", {"title": title, "form": form, "back": back})


@requires("card.merchant_change")
def merchant_new(request):
    return _merchant_form(request, None, gettext("新增惠民卡商户"))


@requires("card.merchant_change")
def merchant_edit(request, pk: int):
    merchant = _merchant(request, pk)
    return _merchant_form(request, type(merchant).objects.get(pk=merchant.pk),
                          gettext("编辑商户") + f" · {merchant.name}")


@requires("card.charge")
@require_POST
def merchant_charge(request, pk: int):
    """An operator charges a card at the counter (card number, amount); a double submit counts once."""
    merchant = _merchant(request, pk)
    require(request.user, "card.charge", merchant)
    form = ChargeForm(request.POST)

    def call():
        card = Card.objects.filter(number=form.cleaned_data["card_number"].strip()).first()
        if card is None:
            raise ValidationError({"card_number": gettext("卡号：%(number)s 不存在。")
                                   % {"number": form.cleaned_data["card_number"]}})
        return services.card_redeem(actor=request.user, card=card, merchant=merchant,
                                    amount_fen=form.cleaned_data["amount"], client_key=form.cleaned_data["client_key"],
                                    item_category=form.cleaned_data["item_category"],
                                    reference=form.cleaned_data["reference"])

    _run(request, form, call, lambda r: gettext("收款 %(amount)s 元：卡内 %(card)s 元，市级补贴 %(subsidy)s 元。")
         % {"amount": yuan_text(r.amount_fen), "card": yuan_text(r.card_fen), "subsidy": yuan_text(r.subsidy_fen)})
    return redirect("card:merchant_detail", pk=merchant.pk)


@requires("card.refund")
@require_POST
def redemption_refund(request, pk: int):
    redemption = get_object_or_404(Redemption.objects.select_related("merchant"), pk=pk)
    require(request.user, "card.refund", redemption)
    form = RefundForm(request.POST)
    _run(request, form, lambda: services.card_refund(
        actor=request.user, redemption=redemption, amount_fen=form.cleaned_data["amount"],
        client_key=form.cleaned_data["client_key"], reason=form.cleaned_data["reason"]),
        lambda r: gettext("已退款 %(amount)s 元：退回卡内 %(card)s 元，退回补贴 %(subsidy)s 元。")
        % {"amount": yuan_text(r.amount_fen), "card": yuan_text(r.card_fen), "subsidy": yuan_text(r.subsidy_fen)})
    return redirect("card:merchant_detail", pk=redemption.merchant_id)


# Subsidy: budget, rules, settings -----------------------------------------------------------------------------


@requires("card.subsidy_view")
@require_safe
def subsidy(request):
    """The year's subsidy spent per month against the budget, the rules and the programme's settings."""
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    data = selectors.subsidy_year(year=year)
    option = {"tooltip": {"trigger": "axis"}, "grid": {"left": 60, "right": 20, "top": 20, "bottom": 40},
              "xAxis": {"type": "category", "data": [m for m, _v in data.months]},
              "yAxis": {"type": "value", "name": gettext("元")},
              "series": [{"type": "bar", "data": [v // 100 for _m, v in data.months],
                          "itemStyle": {"color": "#b3262d"}}]}
    months = [(m, yuan_text(v)) for m, v in data.months]
    return render(request, "card/subsidy.html", {
        "year": year, "data": data, "months": months, "rules": selectors.rule_list(), "policy": services.policy(),
        "chart": {"chart_id": "card-subsidy", "option": json.dumps(option, ensure_ascii=False)},
        "yuan": yuan_text, "can_change": can(request.user, "card.subsidy_change"),
        "budget_form": BudgetForm(initial={"year": year}), "check": selectors.card_balance_check()
        if can(request.user, "card.subsidy_change") else None})


def _rule_form(request, rule: SubsidyRule | None, title: str):
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(actor=request.user, rule=rule, data=form.service_data(),
                               merchants=list(form.cleaned_data["merchants"]))
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("已保存，变更已记入变更记录。"))
            return redirect("card:subsidy")
    return render(request, "card/form.html", {"title": title, "form": form, "back": reverse("card:subsidy")})


@requires("card.subsidy_change")
def rule_new(request):
    return _rule_form(request, None, gettext("新增补贴规则"))


@requires("card.subsidy_change")
def rule_edit(request, pk: int):
    return _rule_form(request, get_object_or_404(SubsidyRule, pk=pk), gettext("编辑补贴规则"))


@requires("card.subsidy_change")
@require_POST
def budget_set(request):
    form = BudgetForm(request.POST)
    _run(request, form, lambda: services.budget_set(actor=request.user, year=form.cleaned_data["year"],
                                                    amount_fen=form.cleaned_data["amount"],
                                                    note=form.cleaned_data["note"]),
         lambda b: gettext("%(year)s 年补贴预算已设为 %(amount)s 元。") % {"year": b.year,
                                                                      "amount": yuan_text(b.amount_fen)})
    return redirect(f"{reverse('card:subsidy')}?year={form.data.get('year', '')}")


@requires("card.subsidy_change")
def policy_edit(request):
    form = PolicyForm(request.POST or None, instance=services.policy())
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, data={f: form.cleaned_data[f] for f in PolicyForm.Meta.fields})
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("已保存，变更已记入变更记录。"))
            return redirect("card:subsidy")
    return render(request, "card/form.html", {"title": gettext("惠民卡规则"), "form": form,
                                              "back": reverse("card:subsidy")})

