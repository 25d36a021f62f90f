"""Real concurrency on the card's money: threads, each on its own database connection, committing for real
(SQLite with IMMEDIATE transactions by default; PostgreSQL row locks with WENZHI_TEST_DATABASE_URL).

Top-ups retried under the same key count once, redemptions never overdraw, refunds never exceed what was paid,
the city's subsidy never exceeds the budget, and every card's balance equals the sum of its ledger."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Sum

from .. import selectors, services
from ..models import Card, LedgerEntry, Redemption, Refund, SubsidyBudget, TopUp
from .conftest import make_programme

pytestmark = pytest.mark.django_db(transaction=True)


def _race(jobs: list) -> list[object]:
    """Run the jobs at the same instant (a barrier), one thread each; return each result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _check_ledger() -> None:
    check = selectors.card_balance_check()
    assert check.mismatched == [] and check.ledger_total_fen == check.cached_total_fen


def test_concurrent_topups_with_retries_count_each_key_once(users, orgs):
    make_programme(users, orgs)
    card = services.card_issue(actor=users["public"], holder=users["public"])
    actor = users["public"]

    def worker(n: int):
        def go():
            for i in range(6):  # every thread sends keys shared-0..5 (a retried request) and two of its own
                services.card_topup(actor=actor, card=card, amount_fen=10_00, client_key=f"shared-{i}")
            for i in range(2):
                services.card_topup(actor=actor, card=card, amount_fen=1_00, client_key=f"own-{n}-{i}")
        return go

    results = _race([worker(n) for n in range(6)])
    assert [r for r in results if isinstance(r, Exception)] == []
    card.refresh_from_db()
    assert card.balance_fen == 6 * 10_00 + 6 * 2 * 1_00
    assert TopUp.objects.filter(card=card).count() == 6 + 12
    _check_ledger()


def test_concurrent_redemptions_never_overdraw(users, orgs):
    programme = make_programme(users, orgs)
    card = services.card_issue(actor=users["public"], holder=users["public"])
    services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="t")
    results = _race([lambda i=i: services.card_redeem(actor=users["public"], card=card, merchant=programme["other"],
                                                     amount_fen=30_00, client_key=f"r{i}") for i in range(6)])
    won = [r for r in results if isinstance(r, Redemption)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 3 and len(lost) == 3 and all("余额不足" in str(e) for e in lost)
    card.refresh_from_db()
    assert card.balance_fen == 10_00
    _check_ledger()


def test_concurrent_refunds_never_exceed_what_was_paid(users, orgs):
    programme = make_programme(users, orgs)
    card = services.card_issue(actor=users["public"], holder=users["public"])
    services.card_topup(actor=users["public"], card=card, amount_fen=200_00, client_key="t")
    red = services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"], amount_fen=100_00,
                               client_key="r", item_category="performance")
    operator = users["venue_operator"]
    results = _race([lambda i=i: services.card_refund(actor=operator, redemption=red, amount_fen=60_00,
                                                      client_key=f"f{i}") for i in range(5)])
    assert sum(isinstance(r, Refund) for r in results) == 1
    assert all("超过可退金额" in str(r) for r in results if isinstance(r, ValidationError))
    red.refresh_from_db()
    assert red.refunded_fen == 60_00
    card.refresh_from_db()
    assert card.balance_fen == 200_00 - 70_00 + 42_00
    _check_ledger()


def test_concurrent_subsidised_purchases_stay_within_the_budget(users, orgs):
    programme = make_programme(users, orgs, budget_fen=50_00, percent=50, cap_fen=100_00)
    admin = users["city_admin"]
    cards = []
    for i in range(6):  # six anonymous cards: six people, each under the cap
        card = services.card_issue(actor=admin)
        services.card_topup(actor=admin, card=card, amount_fen=100_00, client_key=f"t{i}", channel="counter")
        cards.append(card)
    results = _race([lambda c=c: services.card_redeem(actor=users["venue_operator"], card=c,
                                                      merchant=programme["merchant"], amount_fen=40_00,
                                                      client_key="r", item_category="performance") for c in cards])
    assert [r for r in results if isinstance(r, Exception)] == []
    budget = SubsidyBudget.objects.get(year=programme["year"])
    assert budget.spent_fen == 50_00
    assert LedgerEntry.objects.aggregate(s=Sum("subsidy_fen"))["s"] == 50_00
    assert sum(Card.objects.filter(pk__in=[c.pk for c in cards]).values_list("balance_fen", flat=True)) == \
        6 * 100_00 - (6 * 40_00 - 50_00)
    _check_ledger()
