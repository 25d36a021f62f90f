"""The benefit card's navigation entries, registered with core in ``CardConfig.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks


def register() -> None:
    for key, label, url_name, action, order in (
        ("card_mine", _("我的惠民卡"), "card:mine", "card.apply", 60),
        ("card_merchants", _("惠民卡商户"), "card:merchant_list", "card.merchant_view", 61),
        ("card_cards", _("惠民卡管理"), "card:card_list", "card.manage", 62),
        ("card_subsidy", _("惠民卡补贴"), "card:subsidy", "card.subsidy_view", 63),
    ):
        hooks.nav(hooks.NavEntry(key, label, url_name, action=action, order=order))
