"""Every write of the benefit card: keyword-only, permission-checked, validated, one transaction.

Money moves only in :func:`_topup`, :func:`_redeem` and :func:`_refund`. Each locks what it changes once, in
one order (the card, then the redemption, then the person's subsidy usage, then the year's budget), re-reads
under the lock, writes a ledger row and moves the cached balances with it. On SQLite the transaction is
``IMMEDIATE`` (settings), so it holds the write lock from its start; on PostgreSQL the row locks serialise
writers of one card. A lock timeout or deadlock reruns the whole transaction (``money.with_retry``).

A retried request (network) carries the same ``client_key``: the second call finds the first's row under the
card's lock and returns it (``replayed = True``) instead of moving money again. The payment provider for ticket
orders calls :func:`redeem` and :func:`refund` inside the order's own transaction.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.permissions import can, denial_message, require
from wenzhi.core.services import audited_save

from .choices import CardStatus, EntryKind, ItemCategory, TopUpChannel
from .models import (
    Card,
    CardPolicy,
    LedgerEntry,
    Merchant,
    Redemption,
    Refund,
    SubsidyBudget,
    SubsidyRule,
    SubsidyUsage,
    TopUp,
)
from .money import with_retry, yuan_text

ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def policy() -> CardPolicy:
    """The programme's settings (created with the defaults on first use)."""
    obj, _created = CardPolicy.objects.get_or_create(pk=1)
    return obj


def _client_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > 64:
        raise ValidationError({"client_key": gettext("请求标识：须为 1–64 个字符（同一请求重试时保持不变）。")})
    return key


def _positive_fen(amount_fen, field: str = "amount_fen") -> int:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError({field: gettext("金额：须为大于 0 的整数（单位：分）。")})
    return amount_fen


def _id_number_ok(value: str) -> bool:
    if not ID_NUMBER.match(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == value[17]


def _new_number() -> str:
    return "9120" + "".join(secrets.choice("0123456789") for _ in range(12))


def _holder_fields(*, holder_name: str, id_number: str) -> dict:
    holder_name = holder_name.strip()
    id_number = id_number.strip().upper()
    required = policy().real_name_required
    errors = {}
    if required and not holder_name:
        errors["holder_name"] = gettext("持卡人姓名：本卡实行实名制，请填写。")
    if required and not id_number:
        errors["id_number"] = gettext("身份证号：本卡实行实名制，请填写。")
    if id_number and not _id_number_ok(id_number):
        errors["id_number"] = gettext("身份证号：“%(value)s”不是有效的18位居民身份证号。") % {"value": id_number}
    if errors:
        raise ValidationError(errors)
    digest = hashlib.sha256(f"wenzhi-card:{id_number}".encode()).hexdigest() if id_number else ""
    masked = f"{id_number[:4]}{'*' * 10}{id_number[-4:]}" if id_number else ""
    return {"holder_name": holder_name, "id_number_masked": masked, "id_number_digest": digest}


def card_issue(*, actor, holder=None, holder_name: str = "", id_number: str = "", is_demo: bool = False) -> Card:
    """Issue a card: a resident applies for their own (``holder`` = themselves), the city issues to anyone.

    Real name (name and ID number) is required when the programme's settings say so; one active card per
    resident account and per ID number."""
    if can(actor, "card.manage"):
        pass
    elif can(actor, "card.apply") and holder is not None and holder.pk == actor.pk:
        pass
    else:
        raise PermissionDenied(denial_message("card.apply"))
    fields = _holder_fields(holder_name=holder_name, id_number=id_number)
    with transaction.atomic(durable=True):
        if holder is not None and Card.objects.filter(holder=holder, status=CardStatus.ACTIVE).exists():
            raise ValidationError({"holder": gettext("持卡人：该账号已有一张正常使用的文化惠民卡。")})
        digest = fields["id_number_digest"]
        if digest and Card.objects.filter(id_number_digest=digest, status=CardStatus.ACTIVE).exists():
            raise ValidationError({"id_number": gettext("身份证号：该证件已办理文化惠民卡。")})
        for _attempt in range(5):
            number = _new_number()
            if not Card.objects.filter(number=number).exists():
                break
        card = Card(number=number, holder=holder, issued_by=actor, is_demo=is_demo, **fields)
        card.full_clean()
        card.save()
    return card


def card_set_status(*, actor, card: Card, status: str) -> Card:
    """Freeze, unfreeze or close a card (the city). A closed card keeps its ledger; its balance stays owed."""
    require(actor, "card.manage", card)
    if status not in CardStatus.values:
        raise ValidationError({"status": gettext("状态“%(value)s”不存在。") % {"value": status}})
    with transaction.atomic(durable=True):
        locked = Card.objects.select_for_update().get(pk=card.pk)
        locked.status = status
        locked.full_clean()
        locked.save(update_fields=["status"])
    return locked


# Money ----------------------------------------------------------------------------------------------------


def _lock_card(card_id: int) -> Card:
    return Card.objects.select_for_update().get(pk=card_id)


def _usable(card: Card) -> None:
    if card.status != CardStatus.ACTIVE:
        raise ValidationError({"card": gettext("卡号 %(number)s：此卡状态为“%(status)s”，不能使用。")
                               % {"number": card.number, "status": card.get_status_display()}})


def _entry(card: Card, *, kind: str, amount_fen: int, subsidy_fen: int = 0, **links) -> LedgerEntry:
    """The ledger row and the cached balance, moved together (the caller holds the card's lock)."""
    new_balance = card.balance_fen + amount_fen
    if new_balance < 0:
        raise ValidationError({"amount_fen": gettext("余额不足：卡内余额 %(balance)s 元。")
                               % {"balance": yuan_text(card.balance_fen)}})
    entry = LedgerEntry.objects.create(card=card, kind=kind, amount_fen=amount_fen, subsidy_fen=subsidy_fen,
                                       balance_after_fen=new_balance, **links)
    updated = Card.objects.filter(pk=card.pk, balance_fen=card.balance_fen).update(
        balance_fen=F("balance_fen") + amount_fen)
    if updated != 1:  # the lock makes this impossible; if it ever happens, nothing of this call is kept
        raise IntegrityError("card balance changed under its lock")
    card.balance_fen = new_balance
    return entry


def _topup(*, actor, card_id: int, amount_fen: int, client_key: str, channel: str) -> TopUp:
    card = _lock_card(card_id)
    earlier = TopUp.objects.filter(card=card, client_key=client_key).first()
    if earlier is not None:
        if earlier.amount_fen != amount_fen:
            raise ValidationError({"client_key": gettext(
                "请求标识 %(key)s 已用于一笔 %(amount)s 元的充值，金额不同：请用新的请求标识。")
                % {"key": client_key, "amount": yuan_text(earlier.amount_fen)}})
        earlier.replayed = True  # type: ignore[attr-defined]
        return earlier
    _usable(card)
    rules = policy()
    if not rules.topup_min_fen <= amount_fen <= rules.topup_max_fen:
        raise ValidationError({"amount_fen": gettext("充值金额：单笔须在 %(low)s 元至 %(high)s 元之间。")
                               % {"low": yuan_text(rules.topup_min_fen), "high": yuan_text(rules.topup_max_fen)}})
    if card.balance_fen + amount_fen > rules.balance_max_fen:
        raise ValidationError({"amount_fen": gettext("充值金额：充值后余额将超过上限 %(cap)s 元（现余额 %(balance)s 元）。")
                               % {"cap": yuan_text(rules.balance_max_fen), "balance": yuan_text(card.balance_fen)}})
    topup = TopUp.objects.create(card=card, amount_fen=amount_fen, client_key=client_key, channel=channel,
                                 actor=actor)
    _entry(card, kind=EntryKind.TOPUP, amount_fen=amount_fen, topup=topup)
    topup.replayed = False  # type: ignore[attr-defined]
    return topup


def card_topup(*, actor, card: Card, amount_fen: int, client_key: str,
               channel: str = TopUpChannel.ONLINE) -> TopUp:
    """Top up a card: the holder online, the city at the counter. The same ``client_key`` again returns the
    first top-up (``replayed``) and moves no money; the same key with another amount is refused."""
    if channel == TopUpChannel.COUNTER:
        require(actor, "card.manage", card)
    elif channel == TopUpChannel.ONLINE:
        require(actor, "card.use", card)
    else:
        raise ValidationError({"channel": gettext("充值渠道“%(value)s”不存在。") % {"value": channel}})
    amount_fen = _positive_fen(amount_fen)
    client_key = _client_key(client_key)

    def attempt() -> TopUp:
        with transaction.atomic(durable=True):
            return _topup(actor=actor, card_id=card.pk, amount_fen=amount_fen, client_key=client_key,
                          channel=channel)

    return with_retry(attempt)


def _rule_for(merchant: Merchant, item_category: str, year: int) -> SubsidyRule | None:
    if not merchant.subsidy_eligible:
        return None
    for rule in SubsidyRule.objects.filter(year=year, is_active=True).order_by("-percent", "id"):
        if rule.categories and item_category not in rule.categories:
            continue
        listed = list(rule.merchants.values_list("pk", flat=True))
        if listed and merchant.pk not in listed:
            continue
        return rule
    return None


def _lock_usage(person_key: str, year: int) -> SubsidyUsage:
    usage = SubsidyUsage.objects.select_for_update().filter(person_key=person_key, year=year).first()
    if usage is None:
        try:
            with transaction.atomic():
                SubsidyUsage.objects.create(person_key=person_key, year=year)
        except IntegrityError:
            pass  # created by a concurrent first purchase of the same person: lock that row instead
        usage = SubsidyUsage.objects.select_for_update().get(person_key=person_key, year=year)
    return usage


def _subsidy(card: Card, rule: SubsidyRule | None, amount_fen: int, year: int) -> tuple[int, SubsidyUsage | None,
                                                                                       SubsidyBudget | None]:
    """The city's part of a purchase: the rule's percent, within the person's yearly cap and the budget left."""
    if rule is None:
        return 0, None, None
    usage = _lock_usage(card.person_key, year)
    budget = SubsidyBudget.objects.select_for_update().filter(year=year).first()
    if budget is None:
        return 0, None, None
    share = amount_fen * rule.percent // 100
    fen = max(0, min(share, rule.cap_fen - usage.used_fen, budget.amount_fen - budget.spent_fen))
    return fen, usage, budget


def _move_subsidy(usage: SubsidyUsage | None, budget: SubsidyBudget | None, fen: int) -> None:
    if not fen or usage is None or budget is None:
        return
    SubsidyUsage.objects.filter(pk=usage.pk).update(used_fen=F("used_fen") + fen)
    SubsidyBudget.objects.filter(pk=budget.pk).update(spent_fen=F("spent_fen") + fen)


def redeem(*, actor, card: Card, merchant: Merchant, amount_fen: int, client_key: str,
           item_category: str = ItemCategory.OTHER, reference: str = "") -> Redemption:
    """Pay ``amount_fen`` at ``merchant`` with ``card`` inside the caller's transaction (no permission check:
    :func:`card_redeem` and the ticket orders' payment provider check first). The city's subsidy, when a rule
    covers the merchant and category, pays its part; the card pays the rest or the purchase is refused."""
    amount_fen = _positive_fen(amount_fen)
    client_key = _client_key(client_key)
    if item_category not in ItemCategory.values:
        raise ValidationError({"item_category": gettext("消费类别“%(value)s”不存在。") % {"value": item_category}})
    with transaction.atomic():
        locked = _lock_card(card.pk)
        earlier = Redemption.objects.filter(card=locked, client_key=client_key).first()
        if earlier is not None:
            if earlier.amount_fen != amount_fen or earlier.merchant_id != merchant.pk:
                raise ValidationError({"client_key": gettext("请求标识 %(key)s 已用于另一笔消费：请用新的请求标识。")
                                       % {"key": client_key}})
            earlier.replayed = True  # type: ignore[attr-defined]
            return earlier
        _usable(locked)
        merchant = Merchant.objects.get(pk=merchant.pk)
        if not merchant.is_participating:
            raise ValidationError({"merchant": gettext("商户“%(name)s”未参与文化惠民卡。") % {"name": merchant.name}})
        year = timezone.localdate().year
        rule = _rule_for(merchant, item_category, year)
        subsidy, usage, budget = _subsidy(locked, rule, amount_fen, year)
        card_fen = amount_fen - subsidy
        if card_fen > locked.balance_fen:
            raise ValidationError({"amount_fen": gettext(
                "余额不足：本次须从卡内支付 %(need)s 元（消费 %(amount)s 元，补贴 %(subsidy)s 元），卡内余额 %(balance)s 元。")
                % {"need": yuan_text(card_fen), "amount": yuan_text(amount_fen), "subsidy": yuan_text(subsidy),
                   "balance": yuan_text(locked.balance_fen)}})
        redemption = Redemption.objects.create(
            card=locked, merchant=merchant, amount_fen=amount_fen, card_fen=card_fen, subsidy_fen=subsidy,
            item_category=item_category, reference=reference[:100], rule=rule if subsidy else None,
            client_key=client_key, actor=actor)
        _move_subsidy(usage, budget, subsidy)
        _entry(locked, kind=EntryKind.REDEMPTION, amount_fen=-card_fen, subsidy_fen=subsidy, merchant=merchant,
               redemption=redemption)
    redemption.replayed = False  # type: ignore[attr-defined]
    return redemption


def card_redeem(*, actor, card: Card, merchant: Merchant, amount_fen: int, client_key: str,
                item_category: str = ItemCategory.OTHER, reference: str = "") -> Redemption:
    """A purchase paid with a card: charged by an operator of the merchant, or paid online by the holder."""
    if not (can(actor, "card.charge", merchant) or can(actor, "card.use", card)):
        raise PermissionDenied(denial_message("card.charge"))

    def attempt() -> Redemption:
        with transaction.atomic(durable=True):
            return redeem(actor=actor, card=card, merchant=merchant, amount_fen=amount_fen, client_key=client_key,
                          item_category=item_category, reference=reference)

    return with_retry(attempt)


def _split_back(redemption: Redemption, amount_fen: int) -> int:
    """The subsidy part of refunding ``amount_fen`` more: cumulative and proportional, so refunding the whole
    amount in any number of parts returns exactly the subsidy and never more than the card paid."""
    before = redemption.subsidy_fen * redemption.refunded_fen // redemption.amount_fen
    after = redemption.subsidy_fen * (redemption.refunded_fen + amount_fen) // redemption.amount_fen
    return after - before


def refund(*, actor, redemption: Redemption, amount_fen: int, client_key: str, reason: str = "") -> Refund:
    """Refund (part of) a redemption inside the caller's transaction (no permission check): the card gets back
    its share, the city's subsidy goes back to the budget and the person's cap. More than is left is refused."""
    amount_fen = _positive_fen(amount_fen)
    client_key = _client_key(client_key)
    with transaction.atomic():
        card = _lock_card(redemption.card_id)
        locked = Redemption.objects.select_for_update().get(pk=redemption.pk)
        earlier = Refund.objects.filter(redemption=locked, client_key=client_key).first()
        if earlier is not None:
            if earlier.amount_fen != amount_fen:
                raise ValidationError({"client_key": gettext("请求标识 %(key)s 已用于另一笔退款：请用新的请求标识。")
                                       % {"key": client_key}})
            earlier.replayed = True  # type: ignore[attr-defined]
            return earlier
        if amount_fen > locked.refundable_fen:
            raise ValidationError({"amount_fen": gettext(
                "退款金额 %(amount)s 元超过可退金额 %(left)s 元（原消费 %(paid)s 元，已退 %(done)s 元）。")
                % {"amount": yuan_text(amount_fen), "left": yuan_text(locked.refundable_fen),
                   "paid": yuan_text(locked.amount_fen), "done": yuan_text(locked.refunded_fen)}})
        subsidy_back = _split_back(locked, amount_fen)
        card_back = amount_fen - subsidy_back
        year = timezone.localtime(locked.created_at).year
        if subsidy_back:
            usage = _lock_usage(card.person_key, year)
            budget = SubsidyBudget.objects.select_for_update().get(year=year)
            _move_subsidy(usage, budget, -subsidy_back)
        Redemption.objects.filter(pk=locked.pk).update(refunded_fen=F("refunded_fen") + amount_fen)
        row = Refund.objects.create(redemption=locked, amount_fen=amount_fen, card_fen=card_back,
                                    subsidy_fen=subsidy_back, reason=reason[:200], client_key=client_key, actor=actor)
        _entry(card, kind=EntryKind.REFUND, amount_fen=card_back, subsidy_fen=-subsidy_back,
               merchant_id=locked.merchant_id, redemption=locked, refund=row)
    row.replayed = False  # type: ignore[attr-defined]
    return row


def card_refund(*, actor, redemption: Redemption, amount_fen: int, client_key: str, reason: str = "") -> Refund:
    """A refund by an operator of the redemption's merchant or by the city."""
    require(actor, "card.refund", redemption)

    def attempt() -> Refund:
        with transaction.atomic(durable=True):
            return refund(actor=actor, redemption=redemption, amount_fen=amount_fen, client_key=client_key,
                          reason=reason)

    return with_retry(attempt)


# Merchants, rules, budget, settings ---------------------------------------------------------------------------

MERCHANT_FIELDS = ("name", "organisation", "district", "category", "address", "phone", "venue", "is_participating",
                   "subsidy_eligible")
RULE_FIELDS = ("name", "year", "percent", "cap_fen", "categories", "is_active")
POLICY_FIELDS = ("real_name_required", "topup_min_fen", "topup_max_fen", "balance_max_fen")


def _apply(obj, data: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({key: gettext("此字段不能在这里修改。") for key in unknown})
    changed = [key for key, value in data.items() if getattr(obj, key, None) != value]
    for key in changed:
        setattr(obj, key, data[key])
    return changed


def _set_m2m(manager, wanted) -> bool:
    if wanted is None:
        return False
    new = {o.pk for o in wanted}
    if new == set(manager.values_list("pk", flat=True)):
        return False
    manager.set(list(wanted))
    return True


def merchant_save(*, actor, merchant: Merchant | None, data: dict, operators=None) -> Merchant:
    """Create (``merchant`` None) or change a merchant (the city); operators must be venue-operator users."""
    require(actor, "card.merchant_change", merchant)
    if operators is not None:
        bad = [u.get_username() for u in operators if not u.has_role("venue_operator")]
        if bad:
            raise ValidationError({"operators": gettext("运营人员：%(names)s 不是场馆商户角色的账号。")
                                   % {"names": "、".join(bad)}})
    with transaction.atomic(durable=True):
        obj = Merchant() if merchant is None else Merchant.objects.select_for_update().get(pk=merchant.pk)
        changed = _apply(obj, data, MERCHANT_FIELDS)
        if merchant is None or changed:
            audited_save(obj, actor=actor, reason=gettext("新建商户") if merchant is None else "")
        _set_m2m(obj.operators, operators)
    return obj


def rule_save(*, actor, rule: SubsidyRule | None, data: dict, merchants=None) -> SubsidyRule:
    """Create or change a subsidy rule (the city)."""
    require(actor, "card.subsidy_change", rule)
    bad = sorted(set(data.get("categories") or []) - set(ItemCategory.values))
    if bad:
        raise ValidationError({"categories": gettext("适用消费类别：%(values)s 不存在。") % {"values": "、".join(bad)}})
    if "categories" in data:  # stored in the choices' order, so a form sent back unchanged changes nothing
        data = {**data, "categories": [c for c in ItemCategory.values if c in data["categories"]]}
    with transaction.atomic(durable=True):
        obj = SubsidyRule() if rule is None else SubsidyRule.objects.select_for_update().get(pk=rule.pk)
        changed = _apply(obj, data, RULE_FIELDS)
        if rule is None or changed:
            audited_save(obj, actor=actor)
        _set_m2m(obj.merchants, merchants)
    return obj


def budget_set(*, actor, year: int, amount_fen: int, note: str = "") -> SubsidyBudget:
    """Set a year's subsidy budget (the city); never below what is already spent."""
    require(actor, "card.subsidy_change")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen < 0:
        raise ValidationError({"amount_fen": gettext("预算：须为不小于 0 的整数（分）。")})
    with transaction.atomic(durable=True):
        budget = SubsidyBudget.objects.select_for_update().filter(year=year).first() or SubsidyBudget(year=year)
        if amount_fen < budget.spent_fen:
            raise ValidationError({"amount_fen": gettext("预算：不能低于本年已用补贴 %(spent)s 元。")
                                   % {"spent": yuan_text(budget.spent_fen)}})
        if budget.pk is None or budget.amount_fen != amount_fen or budget.note != note:
            budget.amount_fen = amount_fen
            budget.note = note
            audited_save(budget, actor=actor)
    return budget


def policy_update(*, actor, data: dict) -> CardPolicy:
    """Change the programme's settings (the city)."""
    require(actor, "card.subsidy_change")
    with transaction.atomic(durable=True):
        obj = CardPolicy.objects.select_for_update().filter(pk=1).first() or CardPolicy(pk=1)
        if _apply(obj, data, POLICY_FIELDS) or obj._state.adding:
            if obj.topup_min_fen > obj.topup_max_fen:
                raise ValidationError({"topup_max_fen": gettext("单笔充值上限不能小于下限。")})
            audited_save(obj, actor=actor)
    return obj
