"""Fund allocation proposal: a mixed-integer programme solved by HiGHS through ``scipy.optimize.milp``.

One candidate is one selected application asking for a grant. The proposal chooses, for every candidate,
either nothing or an amount between its minimum and maximum grant so that the *weighted score* is as large as
possible under the budget:

    maximise    Σ score_i · x_i / max_i            (a project funded in full counts its whole score,
                                                    one funded in part counts that share of it)
    subject to  Σ x_i ≤ budget
                min_i · y_i ≤ x_i ≤ max_i · y_i,   y_i ∈ {0, 1}
                optional district balance:
                  Σ_{i in d} x_i ≤ max_share · budget    (no district takes more than its share of the fund)
                  Σ_{i in d} x_i ≥ min_share · budget    (every district with applicants gets at least its share)
                  Σ_{i in d} y_i ≥ min(k, n_d)           (at least k funded projects per district)

So the marginal value of one more yuan for a project is ``score_i / max_i`` (its *score per yuan*). Each
result says which constraint decided the amount: the project's maximum, its minimum, the budget (the one or
two projects where the money ran out), a district cap, or not selected. After the integer solve the binaries
are fixed and the linear programme is solved again to read the budget's shadow price (score gained per extra
yuan), which the proposal reports so officials see what a budget increase would buy.

HiGHS stops once the proposal is proven within ``mip_rel_gap`` (0.1 %) of the best possible weighted score;
the proposal carries the gap actually reached. Amounts are ``Decimal`` yuan rounded to ``unit`` (default 1 yuan); rounding never breaks the budget or a
project's bounds. This module knows no Django: services feed it rows and store its answer.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

__all__ = [
    "AllocationError",
    "Candidate",
    "DistrictBalance",
    "Allocation",
    "Proposal",
    "propose",
    "Reason",
]


class Reason:
    """Why a candidate got the amount it got (stored on allocation rows; labels live in ``choices.py``)."""

    AT_MAX = "at_max"
    AT_MIN = "at_min"
    BUDGET = "budget"
    DISTRICT_CAP = "district_cap"
    FIXED = "fixed"
    NOT_SELECTED = "not_selected"


class AllocationError(ValueError):
    """The inputs admit no proposal; ``field`` names the offending input, ``message`` is user-facing Chinese."""

    def __init__(self, message: str, *, field: str = "", key: Hashable | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.key = key


@dataclass(frozen=True)
class Candidate:
    """One application competing for money: its weighted score, grant bounds (yuan) and district.

    ``fixed`` pins the amount (an official's adjustment; 0 excludes the candidate) and the optimiser
    re-plans the rest around it.
    """

    key: Hashable
    score: float
    min_grant: Decimal
    max_grant: Decimal
    district: Hashable | None = None
    fixed: Decimal | None = None


@dataclass(frozen=True)
class DistrictBalance:
    """Optional balance between districts; shares are fractions (0–1) of the fund's budget."""

    max_share: float | None = None
    min_share: float | None = None
    min_funded: int = 0


@dataclass
class Allocation:
    """The proposal for one candidate."""

    key: Hashable
    amount: Decimal
    reason: str
    score_per_yuan: float
    district: Hashable | None = None


@dataclass
class Proposal:
    """A whole proposal: per-candidate rows, the total, the objective and the budget's shadow price."""

    items: list[Allocation]
    budget: Decimal
    total: Decimal
    weighted_score: float
    budget_shadow_price: float
    optimal: bool
    gap: float = 0.0
    by_district: dict[Hashable, Decimal] = field(default_factory=dict)

    def amount(self, key: Hashable) -> Decimal:
        for it in self.items:
            if it.key == key:
                return it.amount
        raise KeyError(key)


def _validate(candidates: Sequence[Candidate], budget: Decimal, balance: DistrictBalance | None) -> None:
    if budget < 0:
        raise AllocationError("预算不能为负数。", field="budget")
    seen: set[Hashable] = set()
    for c in candidates:
        if c.key in seen:
            raise AllocationError(f"申报 {c.key} 重复出现。", field="candidates", key=c.key)
        seen.add(c.key)
        if c.min_grant < 0 or c.max_grant <= 0:
            raise AllocationError(f"申报 {c.key} 的资助上限须大于 0,下限不能为负数。", field="max_grant", key=c.key)
        if c.min_grant > c.max_grant:
            raise AllocationError(f"申报 {c.key} 的资助下限高于上限。", field="min_grant", key=c.key)
        if c.score < 0:
            raise AllocationError(f"申报 {c.key} 的得分不能为负数。", field="score", key=c.key)
        if c.fixed is not None and c.fixed != 0 and not (c.min_grant <= c.fixed <= c.max_grant):
            raise AllocationError(
                f"申报 {c.key} 的调整金额 {c.fixed} 元须为 0 或在 {c.min_grant}–{c.max_grant} 元之间。",
                field="fixed", key=c.key,
            )
    fixed_total = sum((c.fixed or Decimal(0) for c in candidates), Decimal(0))
    if fixed_total > budget:
        raise AllocationError(f"已调整的金额合计 {fixed_total} 元超过预算 {budget} 元。", field="fixed")
    if balance:
        for name in ("max_share", "min_share"):
            v = getattr(balance, name)
            if v is not None and not 0 <= v <= 1:
                raise AllocationError("区域均衡比例须在 0 到 1 之间。", field=name)
        if balance.min_funded < 0:
            raise AllocationError("每区最少资助项目数不能为负数。", field="min_funded")


def _build(candidates: Sequence[Candidate], budget: float, balance: DistrictBalance | None):
    """Variables [x_0..x_{n-1}, y_0..y_{n-1}]; returns (c, constraints, bounds, integrality, districts)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint
    from scipy.sparse import coo_array, csr_array

    n = len(candidates)
    lo_x = np.zeros(n)
    hi_x = np.array([float(c.max_grant) for c in candidates])
    mins = np.array([float(c.min_grant) for c in candidates])
    lo_y, hi_y = np.zeros(n), np.ones(n)
    for i, c in enumerate(candidates):
        if c.fixed is not None:
            f = float(c.fixed)
            lo_x[i] = hi_x[i] = f
            lo_y[i] = hi_y[i] = 1.0 if f > 0 else 0.0
    requested = np.array([float(c.max_grant) for c in candidates])
    cost = np.concatenate([-np.array([c.score for c in candidates]) / requested, np.zeros(n)])
    idx = np.arange(n)
    # x_i - max_i y_i <= 0 ; x_i - min_i y_i >= 0
    rows = np.concatenate([idx, idx, n + idx, n + idx])
    cols = np.concatenate([idx, n + idx, idx, n + idx])
    vals = np.concatenate([np.ones(n), -np.array([float(c.max_grant) for c in candidates]), np.ones(n), -mins])
    link = coo_array((vals, (rows, cols)), shape=(2 * n, 2 * n)).tocsr()
    link_lo = np.concatenate([np.full(n, -np.inf), np.zeros(n)])
    link_hi = np.concatenate([np.zeros(n), np.full(n, np.inf)])
    budget_row = csr_array(np.concatenate([np.ones(n), np.zeros(n)])[None, :])
    constraints = [LinearConstraint(link, link_lo, link_hi), LinearConstraint(budget_row, -np.inf, budget)]
    districts: dict[Hashable, list[int]] = {}
    for i, c in enumerate(candidates):
        if c.district is not None:
            districts.setdefault(c.district, []).append(i)
    if balance and districts:
        constraints.extend(_district_rows(n, districts, balance, candidates, budget))
    bounds = Bounds(np.concatenate([lo_x, lo_y]), np.concatenate([hi_x, hi_y]))
    integrality = np.concatenate([np.zeros(n), np.ones(n)])
    return cost, constraints, bounds, integrality, districts


def _district_rows(n: int, districts: dict[Hashable, list[int]], balance: DistrictBalance, candidates,
                   budget: float):
    """Sparse rows over each district's own members (shares are of the budget, which keeps the rows short)."""
    import numpy as np
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_array

    rows_x, rows_y, lo_x, hi_x, lo_y = [], [], [], [], []
    for members in districts.values():
        if balance.max_share is not None or balance.min_share is not None:
            rows_x.append(members)
            lo_x.append(balance.min_share * budget if balance.min_share is not None else -np.inf)
            hi_x.append(balance.max_share * budget if balance.max_share is not None else np.inf)
        if balance.min_funded:
            free = [i for i in members if candidates[i].fixed is None or candidates[i].fixed > 0]
            k = min(balance.min_funded, len(free))
            if k:
                rows_y.append(members)
                lo_y.append(float(k))
    out = []
    for rows, offset, lo, hi in ((rows_x, 0, lo_x, hi_x), (rows_y, n, lo_y, [np.inf] * len(lo_y))):
        if not rows:
            continue
        r = np.concatenate([np.full(len(m), k) for k, m in enumerate(rows)])
        c = np.concatenate([np.asarray(m) + offset for m in rows])
        a = csr_array((np.ones(len(r)), (r, c)), shape=(len(rows), 2 * n))
        out.append(LinearConstraint(a, np.array(lo), np.array(hi)))
    return out


def _round(values: Sequence[float], candidates: Sequence[Candidate], selected, budget: Decimal, unit: Decimal):
    """Round to ``unit`` keeping every amount in its bounds and the total within the budget."""
    amounts: list[Decimal] = []
    for v, c, sel in zip(values, candidates, selected, strict=True):
        if c.fixed is not None:
            amounts.append(c.fixed)
            continue
        if not sel:
            amounts.append(Decimal(0))
            continue
        a = (Decimal(float(v)) / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit
        amounts.append(min(max(a, c.min_grant), c.max_grant))
    excess = sum(amounts, Decimal(0)) - budget
    if excess > 0:
        # take the excess from the amounts with the most room above their minimum (the budget-limited ones)
        order = sorted(range(len(amounts)), key=lambda i: amounts[i] - candidates[i].min_grant, reverse=True)
        for i in order:
            if excess <= 0 or candidates[i].fixed is not None or amounts[i] == 0:
                continue
            room = amounts[i] - candidates[i].min_grant
            cut = min(room, ((excess / unit).quantize(Decimal(1), rounding=ROUND_FLOOR) + 1) * unit)
            amounts[i] -= cut
            excess -= cut
    return amounts


def propose(
    candidates: Sequence[Candidate],
    budget: Decimal,
    *,
    balance: DistrictBalance | None = None,
    unit: Decimal = Decimal(1),
    time_limit: float = 10.0,
    mip_rel_gap: float = 1e-3,
) -> Proposal:
    """Compute the allocation proposal (see the module docstring). Raises :class:`AllocationError`."""
    from scipy.optimize import milp

    budget = Decimal(budget)
    _validate(candidates, budget, balance)
    if not candidates:
        return Proposal(items=[], budget=budget, total=Decimal(0), weighted_score=0.0,
                        budget_shadow_price=0.0, optimal=True)
    cost, constraints, bounds, integrality, districts = _build(candidates, float(budget), balance)
    res = milp(cost, constraints=constraints, bounds=bounds, integrality=integrality,
               options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap, "presolve": True})
    if res.x is None:
        raise AllocationError(
            "在当前预算、资助上下限和区域均衡条件下无法得到可行方案,请放宽区域均衡条件或调整资助下限。",
            field="balance" if balance else "budget",
        )
    n = len(candidates)
    x, y = res.x[:n], res.x[n:]
    selected = y > 0.5
    amounts = _round(x, candidates, selected, budget, unit)
    _fill_slack(amounts, candidates, budget, balance, unit)
    import numpy as np

    shadow = _shadow_price(cost, constraints, bounds, np.array([a > 0 for a in amounts]), n)
    by_district: dict[Hashable, Decimal] = {}
    for c, a in zip(candidates, amounts, strict=True):
        if c.district is not None and a > 0:
            by_district[c.district] = by_district.get(c.district, Decimal(0)) + a
    total = sum(amounts, Decimal(0))
    capped = _capped_districts(by_district, budget, balance)
    items = []
    for c, a in zip(candidates, amounts, strict=True):
        items.append(Allocation(key=c.key, amount=a, reason=_reason(c, a, c.district in capped),
                                score_per_yuan=c.score / float(c.max_grant), district=c.district))
    weighted = float(sum(c.score * float(a) / float(c.max_grant) for c, a in zip(candidates, amounts, strict=True)))
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    return Proposal(items=items, budget=budget, total=total, weighted_score=weighted,
                    budget_shadow_price=shadow, optimal=bool(res.status == 0), gap=gap,
                    by_district=by_district)


def _fill_slack(amounts: list[Decimal], candidates: Sequence[Candidate], budget: Decimal,
                balance: DistrictBalance | None, unit: Decimal) -> None:
    """Spend what the solver's tolerance (``mip_rel_gap``) and rounding left over, best score per yuan first:
    raise funded amounts towards their maximum, then fund candidates whose minimum fits. District caps hold."""
    left = budget - sum(amounts, Decimal(0))
    if left < unit:
        return
    cap = Decimal(repr(balance.max_share)) * budget if balance and balance.max_share is not None else None
    per_district: dict[Hashable, Decimal] = {}
    for c, a in zip(candidates, amounts, strict=True):
        per_district[c.district] = per_district.get(c.district, Decimal(0)) + a
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i].score / float(candidates[i].max_grant))
    for raising in (True, False):
        for i in order:
            c = candidates[i]
            if c.fixed is not None or (amounts[i] > 0) != raising:
                continue
            room = c.max_grant - amounts[i]
            if cap is not None and c.district is not None:
                room = min(room, cap - per_district.get(c.district, Decimal(0)))
            add = (min(room, left) / unit).to_integral_value(rounding=ROUND_FLOOR) * unit
            if add <= 0 or (not raising and add < c.min_grant):
                continue
            amounts[i] += add
            left -= add
            per_district[c.district] = per_district.get(c.district, Decimal(0)) + add
            if left < unit:
                return


def _capped_districts(by_district, budget: Decimal, balance: DistrictBalance | None) -> set[Hashable]:
    if not balance or balance.max_share is None or budget <= 0:
        return set()
    cap = Decimal(repr(balance.max_share)) * budget
    # within one rounding unit per project of the cap counts as binding
    return {d for d, v in by_district.items() if v >= cap * Decimal("0.999")}


def _reason(c: Candidate, amount: Decimal, district_capped: bool) -> str:
    if c.fixed is not None:
        return Reason.FIXED
    if amount <= 0:
        return Reason.NOT_SELECTED
    if amount >= c.max_grant:
        return Reason.AT_MAX
    if amount <= c.min_grant:
        return Reason.DISTRICT_CAP if district_capped else Reason.AT_MIN
    return Reason.DISTRICT_CAP if district_capped else Reason.BUDGET


def _shadow_price(cost, constraints, bounds, selected, n: int) -> float:
    """Score gained per extra yuan of budget with the selection fixed (dual of the budget row)."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import vstack

    lo, hi = bounds.lb.copy(), bounds.ub.copy()
    lo[n:] = hi[n:] = selected.astype(float)
    blocks, rhs = [], []
    for con in constraints:  # lb <= A x <= ub  →  A x <= ub and -A x <= -lb
        a = con.A if hasattr(con.A, "tocsr") else np.atleast_2d(con.A)
        ub = np.broadcast_to(np.asarray(con.ub, dtype=float), (a.shape[0],))
        lb = np.broadcast_to(np.asarray(con.lb, dtype=float), (a.shape[0],))
        up, down = np.isfinite(ub), np.isfinite(lb)
        if up.any():
            blocks.append(a[np.flatnonzero(up)])
            rhs.append(ub[up])
        if down.any():
            blocks.append(-a[np.flatnonzero(down)])
            rhs.append(-lb[down])
    budget_pos = int(np.isfinite(np.asarray(constraints[0].ub, dtype=float)).sum()
                     + np.isfinite(np.asarray(constraints[0].lb, dtype=float)).sum())
    from scipy.sparse import csr_array

    a_ub = vstack([csr_array(b) for b in blocks]).tocsr()
    res = linprog(cost, A_ub=a_ub, b_ub=np.concatenate(rhs), bounds=np.column_stack([lo, hi]), method="highs")
    if res.status != 0:
        return 0.0
    return float(-res.ineqlin.marginals[budget_pos])
