"""The fund allocation optimiser on hand-checkable cases: bounds, budget, district balance, reasons, bad input."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from wenzhi.projects.allocation import AllocationError, Candidate, DistrictBalance, Reason, propose


def _cands():
    return [
        Candidate("a", 90, D(100), D(500), district=1),
        Candidate("b", 80, D(100), D(400), district=1),
        Candidate("c", 70, D(200), D(300), district=2),
        Candidate("d", 10, D(100), D(1000), district=2),
    ]


def test_best_score_per_yuan_funded_first_and_budget_spent_exactly():
    p = propose(_cands(), D(1000))
    by = {it.key: it for it in p.items}
    # score per yuan: c .233 > b .2 > a .18 > d .01
    assert by["c"].amount == 300 and by["c"].reason == Reason.AT_MAX
    assert by["b"].amount == 400 and by["b"].reason == Reason.AT_MAX
    assert by["a"].amount == 300 and by["a"].reason == Reason.BUDGET
    assert by["d"].amount == 0 and by["d"].reason == Reason.NOT_SELECTED
    assert p.total == 1000 and p.optimal
    # one more yuan would go to a (0.18 score per yuan)
    assert p.budget_shadow_price == pytest.approx(0.18, abs=1e-6)


def test_amount_is_zero_or_between_min_and_max():
    cands = [Candidate("big", 100, D(600), D(1000)), Candidate("small", 10, D(100), D(1000))]
    p = propose(cands, D(500))
    # big cannot be funded below its minimum of 600, so the budget goes to small
    assert p.amount("big") == 0
    assert p.amount("small") == 500
    for it, c in zip(p.items, cands, strict=True):
        assert it.amount == 0 or c.min_grant <= it.amount <= c.max_grant


def test_district_cap_binds_and_is_named():
    p = propose(_cands(), D(1000), balance=DistrictBalance(max_share=0.6))
    assert p.by_district[1] <= 600
    assert {it.key: it.reason for it in p.items}["a"] == Reason.DISTRICT_CAP
    assert p.total <= 1000


def test_every_district_with_applicants_gets_a_project():
    cands = [Candidate(i, 90, D(100), D(100), district=1) for i in range(5)]
    cands.append(Candidate("poor", 1, D(100), D(100), district=2))
    p = propose(cands, D(300), balance=DistrictBalance(min_funded=1))
    assert p.amount("poor") == 100
    assert sum(1 for it in p.items if it.amount > 0) == 3


def test_fixed_adjustment_is_kept_and_the_rest_replanned():
    cands = list(_cands())
    cands[3] = Candidate("d", 10, D(100), D(1000), district=2, fixed=D(500))
    p = propose(cands, D(1000))
    assert p.amount("d") == 500
    assert {it.key: it.reason for it in p.items}["d"] == Reason.FIXED
    assert p.total == 1000


def test_rounding_keeps_budget_and_bounds():
    cands = [Candidate(i, 50 + i, D("1000.00"), D(3333 + 7 * i)) for i in range(30)]
    p = propose(cands, D(20011), unit=D(1000))
    assert p.total <= 20011
    for it, c in zip(p.items, cands, strict=True):
        assert it.amount == 0 or c.min_grant <= it.amount <= c.max_grant


@pytest.mark.parametrize(
    ("cands", "budget", "field"),
    [
        ([Candidate("x", 1, D(500), D(100))], D(1000), "min_grant"),
        ([Candidate("x", 1, D(0), D(0))], D(1000), "max_grant"),
        ([Candidate("x", -1, D(0), D(10))], D(1000), "score"),
        ([Candidate("x", 1, D(0), D(10)), Candidate("x", 1, D(0), D(10))], D(1000), "candidates"),
        ([Candidate("x", 1, D(0), D(2000), fixed=D(1500))], D(1000), "fixed"),
        ([Candidate("x", 1, D(0), D(10))], D(-1), "budget"),
    ],
)
def test_bad_input_names_the_field(cands, budget, field):
    with pytest.raises(AllocationError) as exc:
        propose(cands, budget)
    assert exc.value.field == field
    assert exc.value.message  # Chinese, user-facing


def test_infeasible_balance_is_refused_in_chinese():
    cands = [Candidate(1, 50, D(100), D(100), district=1), Candidate(2, 50, D(100), D(100), district=2)]
    with pytest.raises(AllocationError) as exc:
        propose(cands, D(1000), balance=DistrictBalance(min_share=0.6))
    assert "区域均衡" in exc.value.message
