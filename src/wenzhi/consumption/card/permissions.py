"""The benefit card's rows in the platform permission table, declared once.

Residents (公众) apply for a card and use their own (balance, history, online top-up, paying); the city issues
cards, tops up at the counter, keeps merchants, subsidy rules, the budget and the programme's settings; venue
operators (场馆商户) charge cards and refund at the merchants they run and read those merchants' settlements;
district officers read the merchants in their district and the subsidy figures.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role
from wenzhi.core.permissions import CITY, CITY_DISTRICT, anywhere, declare
from wenzhi.core.scoping import scope_for

RESIDENTS = frozenset({Role.PUBLIC})
VENUE = frozenset({Role.VENUE_OPERATOR})


def merchant_of(obj):
    """The merchant a row belongs to (a merchant itself, a redemption, a ledger entry)."""
    from .models import Merchant

    if isinstance(obj, Merchant):
        return obj
    return getattr(obj, "merchant", None)


def in_merchant_scope(user, obj) -> bool:
    """The city sees every merchant, a district officer those in the district, a venue operator those run."""
    merchant = merchant_of(obj)
    if merchant is None:
        return False
    scope = scope_for(user)
    if scope.kind == "all":
        return True
    if scope.kind == "district" and merchant.district_id == scope.organisation_id:
        return True
    if user.has_role(Role.VENUE_OPERATOR):
        return merchant.operators.filter(pk=user.pk).exists()
    return False


def operates(user, obj) -> bool:
    """Whether ``user`` runs the merchant of ``obj`` (the city counts as running every merchant)."""
    merchant = merchant_of(obj)
    if merchant is None:
        return False
    if scope_for(user).kind == "all":
        return True
    return user.has_role(Role.VENUE_OPERATOR) and merchant.operators.filter(pk=user.pk).exists()


def own_card(user, obj) -> bool:
    """A resident's own card (or a row of it)."""
    card = getattr(obj, "card", obj)
    return bool(getattr(user, "pk", None)) and getattr(card, "holder_id", None) == user.pk


def register() -> None:
    declare("card.apply", label=_("申领文化惠民卡"), roles=RESIDENTS, object_check=anywhere)
    declare("card.use", label=_("使用本人文化惠民卡"), roles=RESIDENTS, object_check=own_card)
    declare("card.manage", label=_("管理文化惠民卡"), roles=CITY, object_check=anywhere)
    declare("card.merchant_view", label=_("查看惠民卡商户"), roles=CITY_DISTRICT | VENUE,
            object_check=in_merchant_scope)
    declare("card.merchant_change", label=_("管理惠民卡商户"), roles=CITY, object_check=anywhere)
    declare("card.charge", label=_("商户刷卡收款"), roles=VENUE, object_check=operates)
    declare("card.refund", label=_("惠民卡退款"), roles=CITY | VENUE, object_check=operates)
    declare("card.subsidy_view", label=_("查看补贴预算和规则"), roles=CITY_DISTRICT, object_check=anywhere)
    declare("card.subsidy_change", label=_("管理补贴预算和规则"), roles=CITY, object_check=anywhere)
