"""Benefit card fixtures: two merchants (one in 和平区 run by the venue operator, one in 滨海新区), this year's
budget and a 30 % rule capped at 50 yuan a person, and the resident's card."""

from __future__ import annotations

import pytest
from django.utils import timezone

from .. import services
from ..models import Merchant


def make_programme(users, orgs, *, budget_fen: int = 1_000_000_00, percent: int = 30, cap_fen: int = 50_00) -> dict:
    admin = users["city_admin"]
    year = timezone.localdate().year
    run = services.merchant_save(actor=admin, merchant=None, operators=[users["venue_operator"]], data={
        "name": "和平剧场", "organisation": orgs["ent_a"], "district": orgs["heping"], "category": "theatre",
        "is_participating": True, "subsidy_eligible": True})
    other = services.merchant_save(actor=admin, merchant=None, operators=[], data={
        "name": "滨海书店", "organisation": orgs["ent_b"], "district": orgs["binhai"], "category": "bookstore",
        "is_participating": True, "subsidy_eligible": False})
    services.budget_set(actor=admin, year=year, amount_fen=budget_fen)
    rule = services.rule_save(actor=admin, rule=None, data={
        "name": "演出补贴", "year": year, "percent": percent, "cap_fen": cap_fen, "categories": ["performance"],
        "is_active": True})
    return {"merchant": run, "other": other, "rule": rule, "year": year}


@pytest.fixture
def programme(users, orgs) -> dict:
    return make_programme(users, orgs)


@pytest.fixture
def card(users, programme):
    return services.card_issue(actor=users["public"], holder=users["public"])


def merchant(name: str) -> Merchant:
    return Merchant.objects.get(name=name)
