"""Writes of the benefit card: idempotent top-ups, subsidy by rule within the cap and the budget, refunds never
more than paid, every balance change a ledger row whose sum is the balance, and who may do what."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.core.services import user_create

from .. import selectors, services
from ..models import Card, LedgerEntry, SubsidyBudget, SubsidyUsage

pytestmark = pytest.mark.django_db


def _balanced(card: Card) -> None:
    card.refresh_from_db()
    assert selectors.card_balance_check([card.pk]).mismatched == []
    assert sum(LedgerEntry.objects.filter(card=card).values_list("amount_fen", flat=True)) == card.balance_fen


def test_a_retried_topup_counts_once(users, card):
    first = services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="k1")
    again = services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="k1")
    assert first.pk == again.pk and getattr(again, "replayed", False) and not getattr(first, "replayed", True)
    card.refresh_from_db()
    assert card.balance_fen == 100_00 and card.entries.count() == 1
    with pytest.raises(ValidationError, match="金额不同"):
        services.card_topup(actor=users["public"], card=card, amount_fen=50_00, client_key="k1")
    _balanced(card)


def test_topup_limits_and_bad_amounts_are_refused_with_the_field(users, card):
    amounts: list = [0, -5, 1.5, "100", True]
    for amount in amounts:
        with pytest.raises(ValidationError) as exc:
            services.card_topup(actor=users["public"], card=card, amount_fen=amount, client_key="x")
        assert "amount_fen" in exc.value.message_dict
    with pytest.raises(ValidationError, match="单笔须在"):
        services.card_topup(actor=users["public"], card=card, amount_fen=2_000_01, client_key="big")
    assert card.entries.count() == 0


def test_only_the_holder_tops_up_online_and_the_city_at_the_counter(users, card):
    other = user_create(username="resident2", password=None, roles=["public"], organisation=None)
    with pytest.raises(PermissionDenied):
        services.card_topup(actor=other, card=card, amount_fen=10_00, client_key="a")
    with pytest.raises(PermissionDenied):
        services.card_topup(actor=users["public"], card=card, amount_fen=10_00, client_key="b", channel="counter")
    services.card_topup(actor=users["city_admin"], card=card, amount_fen=10_00, client_key="c", channel="counter")
    card.refresh_from_db()
    assert card.balance_fen == 10_00


def test_real_name_by_policy_and_one_active_card_per_resident(users, programme):
    services.policy_update(actor=users["city_admin"], data={"real_name_required": True})
    with pytest.raises(ValidationError) as exc:
        services.card_issue(actor=users["public"], holder=users["public"])
    assert {"holder_name", "id_number"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError, match="不是有效"):
        services.card_issue(actor=users["public"], holder=users["public"], holder_name="张三",
                            id_number="120101199001011234")
    card = services.card_issue(actor=users["public"], holder=users["public"], holder_name="张三",
                               id_number="11010519491231002X")
    assert card.id_number_masked == "1101**********002X" and "19491231" not in card.id_number_masked
    with pytest.raises(ValidationError, match="已有一张"):
        services.card_issue(actor=users["public"], holder=users["public"], holder_name="张三",
                            id_number="11010519491231002X")


def test_subsidy_pays_its_share_within_the_cap(users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=500_00, client_key="t")
    first = services.card_redeem(actor=users["venue_operator"], card=card, merchant=programme["merchant"],
                                 amount_fen=100_00, client_key="r1", item_category="performance")
    assert (first.card_fen, first.subsidy_fen) == (70_00, 30_00)
    second = services.card_redeem(actor=users["venue_operator"], card=card, merchant=programme["merchant"],
                                  amount_fen=100_00, client_key="r2", item_category="performance")
    assert second.subsidy_fen == 20_00  # the 50-yuan cap for this person and year
    third = services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"],
                                 amount_fen=10_00, client_key="r3", item_category="performance")
    assert third.subsidy_fen == 0
    not_eligible = services.card_redeem(actor=users["public"], card=card, merchant=programme["other"],
                                        amount_fen=10_00, client_key="r4", item_category="performance")
    assert not_eligible.subsidy_fen == 0
    wrong_category = services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"],
                                          amount_fen=10_00, client_key="r5", item_category="book")
    assert wrong_category.subsidy_fen == 0
    card.refresh_from_db()
    assert card.balance_fen == 500_00 - 70_00 - 80_00 - 10_00 - 10_00 - 10_00
    budget = SubsidyBudget.objects.get(year=programme["year"])
    assert budget.spent_fen == 50_00 == selectors.subsidy_year(year=programme["year"]).ledger_total_fen
    _balanced(card)


def test_subsidy_never_exceeds_the_budget(users, orgs):
    from .conftest import make_programme

    programme = make_programme(users, orgs, budget_fen=10_00, percent=50, cap_fen=100_00)
    card = services.card_issue(actor=users["city_admin"], holder=users["public"])
    services.card_topup(actor=users["public"], card=card, amount_fen=500_00, client_key="t")
    redemption = services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"],
                                      amount_fen=100_00, client_key="r", item_category="performance")
    assert redemption.subsidy_fen == 10_00
    assert SubsidyBudget.objects.get(year=programme["year"]).spent_fen == 10_00


def test_insufficient_balance_is_refused_and_nothing_written(users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=10_00, client_key="t")
    with pytest.raises(ValidationError, match="余额不足"):
        services.card_redeem(actor=users["public"], card=card, merchant=programme["other"], amount_fen=10_01,
                             client_key="r")
    assert card.redemptions.count() == 0 and card.entries.count() == 1


def test_venue_operator_charges_only_at_merchants_they_run(users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="t")
    with pytest.raises(PermissionDenied):
        services.card_redeem(actor=users["venue_operator"], card=card, merchant=programme["other"],
                             amount_fen=1_00, client_key="r")
    with pytest.raises(PermissionDenied):
        services.card_redeem(actor=users["district_officer"], card=card, merchant=programme["merchant"],
                             amount_fen=1_00, client_key="r")


def test_refunds_return_the_card_and_subsidy_parts_and_never_more_than_paid(users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=500_00, client_key="t")
    red = services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"], amount_fen=99_99,
                               client_key="r", item_category="performance")
    assert (red.card_fen, red.subsidy_fen) == (70_00, 29_99)  # the city's share rounds down
    operator = users["venue_operator"]
    with pytest.raises(ValidationError, match="超过可退金额"):
        services.card_refund(actor=operator, redemption=red, amount_fen=100_00, client_key="f0")
    parts = [services.card_refund(actor=operator, redemption=red, amount_fen=amount, client_key=f"f{i}")
             for i, amount in enumerate((33_33, 33_33, 33_33), 1)]
    assert sum(p.card_fen for p in parts) == red.card_fen and sum(p.subsidy_fen for p in parts) == red.subsidy_fen
    with pytest.raises(ValidationError, match="超过可退金额"):
        services.card_refund(actor=operator, redemption=red, amount_fen=1, client_key="f9")
    again = services.card_refund(actor=operator, redemption=red, amount_fen=33_33, client_key="f1")
    assert getattr(again, "replayed", False)
    card.refresh_from_db()
    assert card.balance_fen == 500_00
    assert SubsidyBudget.objects.get(year=programme["year"]).spent_fen == 0
    assert SubsidyUsage.objects.get(person_key=card.person_key).used_fen == 0
    _balanced(card)


def test_refund_by_another_merchants_operator_or_a_resident_is_refused(users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="t")
    red = services.card_redeem(actor=users["public"], card=card, merchant=programme["other"], amount_fen=10_00,
                               client_key="r")
    for actor in (users["venue_operator"], users["public"]):
        with pytest.raises(PermissionDenied):
            services.card_refund(actor=actor, redemption=red, amount_fen=10_00, client_key="f")
    services.card_refund(actor=users["city_admin"], redemption=red, amount_fen=10_00, client_key="f")


def test_frozen_card_cannot_pay(users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="t")
    services.card_set_status(actor=users["city_admin"], card=card, status="frozen")
    with pytest.raises(ValidationError, match="冻结"):
        services.card_redeem(actor=users["public"], card=card, merchant=programme["other"], amount_fen=1_00,
                             client_key="r")


def test_budget_cannot_drop_below_spent(users, card, programme):
    services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="t")
    services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"], amount_fen=100_00,
                         client_key="r", item_category="performance")
    with pytest.raises(ValidationError, match="不能低于本年已用补贴 30.00"):
        services.budget_set(actor=users["city_admin"], year=programme["year"], amount_fen=29_99)


def test_settlement_adds_card_and_subsidy_parts(users, card, programme):
    import datetime as dt

    from django.utils import timezone

    services.card_topup(actor=users["public"], card=card, amount_fen=500_00, client_key="t")
    red = services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"], amount_fen=100_00,
                               client_key="r", item_category="performance")
    services.card_refund(actor=users["venue_operator"], redemption=red, amount_fen=50_00, client_key="f")
    today = timezone.localdate()
    s = selectors.settlement(merchant=programme["merchant"], start=today - dt.timedelta(days=1), end=today)
    assert (s.sales, s.gross_fen, s.refunds_fen, s.net_fen) == (1, 100_00, 50_00, 50_00)
    assert (s.card_fen, s.subsidy_fen) == (35_00, 15_00)


def test_demo_programme_is_balanced_and_rerunnable(users, orgs):
    from ..demo import generate

    first = generate(scale=0.05)
    again = generate(scale=0.05)
    assert first["cards"] >= 5 and again["cards"] == 0
    check = selectors.card_balance_check()
    assert check.cards >= 5 and check.mismatched == []
    year = SubsidyBudget.objects.get().year
    assert SubsidyBudget.objects.get().spent_fen == selectors.subsidy_year(year=year).ledger_total_fen
