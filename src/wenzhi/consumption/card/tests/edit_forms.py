"""The benefit card's edit pages in the platform-wide "saved back unchanged" test: a merchant with operators,
a subsidy rule with categories and merchants, the programme's settings — every field filled."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form

from ..models import CardPolicy, Merchant, SubsidyRule


def make_merchant(ctx) -> Merchant:
    merchant = Merchant.objects.create(name="测试剧场", organisation=ctx.orgs["ent_a"], district=ctx.orgs["heping"],
                                       category="theatre", address="和平区某路1号二楼", phone="022-1234",
                                       is_participating=True, subsidy_eligible=False)
    merchant.operators.set([ctx.users["venue_operator"]])
    return merchant


def make_rule(ctx) -> SubsidyRule:
    merchant = make_merchant(ctx)
    rule = SubsidyRule.objects.create(name="2026 年演出补贴", year=2026, percent=25, cap_fen=123_45,
                                      categories=["performance", "book"], is_active=False)
    rule.merchants.set([merchant])
    return rule


def make_policy(ctx) -> CardPolicy:
    CardPolicy.objects.update_or_create(pk=1, defaults={"real_name_required": True, "topup_min_fen": 500,
                                                        "topup_max_fen": 100_000, "balance_max_fen": 300_000})
    return CardPolicy.objects.get(pk=1)


register_edit_form("card:merchant_edit", make=make_merchant, roles=(Role.CITY_ADMIN,))
register_edit_form("card:rule_edit", make=make_rule, roles=(Role.CITY_ADMIN,))
register_edit_form("card:policy_edit", make=make_policy, roles=(Role.CITY_ADMIN,), url_kwargs=lambda obj: {})
