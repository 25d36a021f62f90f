"""Reads of the special funds, scoped by the permission table: funds with what is committed and paid,
allocations and grants, tranches, and leverage (social capital ÷ fund money) per project, district, sector
and year, with the plan's historical totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from wenzhi.core.permissions import can, restrict
from wenzhi.registry.choices import Sector

from .choices import FundingSource
from .choices_funds import AllocationStatus
from .models import Disbursement, Fund, FundAllocation, FundHistory, Grant, ProjectFunding

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=2))
FUND_SOURCES = (FundingSource.SPECIAL_FUND, FundingSource.INVESTMENT_FUND)


def fund_list(*, user) -> QuerySet[Fund]:
    """Funds (city-wide rows) with what approved allocations committed and what was paid."""
    if not can(user, "fund.view"):
        return Fund.objects.none()
    approved = Q(allocations__status=AllocationStatus.APPROVED)
    return Fund.objects.annotate(
        committed=Coalesce(Sum("allocations__grants__amount", filter=approved), ZERO),
    )


def fund_paid(fund: Fund) -> Decimal:
    return Disbursement.objects.filter(grant__allocation__fund=fund).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def allocation_list(*, user) -> QuerySet[FundAllocation]:
    if not can(user, "fund.view"):
        return FundAllocation.objects.none()
    return FundAllocation.objects.select_related("fund", "call").annotate(
        total=Coalesce(Sum("grants__amount"), ZERO))


def grant_list(*, user) -> QuerySet[Grant]:
    """Grants in the user's scope (a district its district's, an enterprise its own)."""
    qs = Grant.objects.select_related("allocation__fund", "application", "project", "enterprise", "district")
    return restrict(qs, user, "grant.view").annotate(paid=Coalesce(Sum("disbursements__amount"), ZERO))


def disbursement_list(*, user) -> QuerySet[Disbursement]:
    qs = Disbursement.objects.select_related("grant__application", "grant__allocation__fund", "milestone",
                                             "grant__project")
    return restrict(qs, user, "grant.view")


@dataclass
class LeverageRow:
    """One group's fund money, social capital and their ratio (None without fund money)."""

    key: object
    label: str
    fund: Decimal
    social: Decimal
    projects: int = 0

    @property
    def leverage(self) -> float | None:
        return float(self.social / self.fund) if self.fund else None


GROUPS = {"project": ("project", "project__name"), "district": ("project__district", "project__district__name"),
          "sector": ("project__sector", None), "year": ("year", None)}


def leverage(*, user, by: str = "district") -> list[LeverageRow]:
    """Leverage per ``by`` (project, district, sector, year) from the projects' funding by source, in scope."""
    key, label = GROUPS[by]
    qs = _funding_in_scope(user)
    fields = [key] + ([label] if label else [])
    rows = (qs.values(*fields).annotate(
        fund=Coalesce(Sum("amount", filter=Q(source__in=FUND_SOURCES)), ZERO),
        social=Coalesce(Sum("amount", filter=Q(source=FundingSource.SOCIAL_CAPITAL)), ZERO))
        .filter(Q(fund__gt=0) | Q(social__gt=0)).order_by(key))
    sectors = dict(Sector.choices)
    out = []
    for r in rows:
        name = r[label] if label else (str(sectors.get(r[key], r[key] or "—")) if by == "sector" else str(r[key]))
        out.append(LeverageRow(r[key], name or "—", r["fund"], r["social"]))
    if by == "project":
        out.sort(key=lambda r: -(r.leverage or 0))
        return out[:200]
    return out


def _funding_in_scope(user) -> QuerySet[ProjectFunding]:
    from .selectors import project_list

    if not can(user, "leverage.view"):
        return ProjectFunding.objects.none()
    return ProjectFunding.objects.filter(project__in=project_list(user=user))


@dataclass
class LeverageSummary:
    """The dashboard's figures: history, the platform's own records, and both together."""

    history_fund: Decimal
    history_social: Decimal
    history_projects: int
    recorded_fund: Decimal
    recorded_social: Decimal
    investment_fund_size: Decimal

    @property
    def fund(self) -> Decimal:
        return self.history_fund + self.recorded_fund

    @property
    def social(self) -> Decimal:
        return self.history_social + self.recorded_social

    @property
    def leverage(self) -> float | None:
        return float(self.social / self.fund) if self.fund else None

    @property
    def history_leverage(self) -> float | None:
        return float(self.history_social / self.history_fund) if self.history_fund else None


def leverage_summary(*, user) -> LeverageSummary:
    """Overall leverage: the plan's historical special-fund totals (city-wide: for city users only) plus what
    the platform recorded since, in the user's scope."""
    from wenzhi.core.scoping import scope_for

    history = FundHistory.objects.all() if scope_for(user).is_city else FundHistory.objects.none()
    hist = history.filter(kind="special_fund").aggregate(
        f=Coalesce(Sum("fund_amount"), ZERO), s=Coalesce(Sum("social_capital"), ZERO), p=Sum("projects"))
    inv = history.filter(kind="investment_fund").aggregate(f=Coalesce(Sum("fund_amount"), ZERO))
    rec = _funding_in_scope(user).aggregate(
        fund=Coalesce(Sum("amount", filter=Q(source__in=FUND_SOURCES)), ZERO),
        social=Coalesce(Sum("amount", filter=Q(source=FundingSource.SOCIAL_CAPITAL)), ZERO))
    return LeverageSummary(hist["f"], hist["s"], hist["p"] or 0, rec["fund"], rec["social"], inv["f"])
