"""Reads of the benefit card, each scoped to the caller: own card, merchants run or in the district, the city's
figures; statements, settlements, the subsidy per month against the budget, and the ledger check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from wenzhi.core.choices import Role
from wenzhi.core.permissions import can
from wenzhi.core.scoping import scope_for

from .choices import CardStatus, EntryKind
from .models import Card, LedgerEntry, Merchant, Redemption, SubsidyBudget, SubsidyRule


def own_card(*, user) -> Card | None:
    """The resident's active card (else their latest one), or None."""
    if not can(user, "card.use") and not can(user, "card.apply"):
        return None
    cards = Card.objects.filter(holder_id=user.pk)
    return cards.filter(status=CardStatus.ACTIVE).first() or cards.order_by("-id").first()


def card_list(*, user) -> QuerySet[Card]:
    """Every card for the city; a resident's own cards; nobody else's."""
    if can(user, "card.manage"):
        return Card.objects.select_related("holder")
    if can(user, "card.use"):
        return Card.objects.filter(holder_id=user.pk)
    return Card.objects.none()


def card_entries(*, card: Card) -> QuerySet[LedgerEntry]:
    """A card's statement, newest first, with the merchant of each row."""
    return card.entries.select_related("merchant").order_by("-id")


def merchant_list(*, user) -> QuerySet[Merchant]:
    """Merchants in the user's scope: the city all, a district officer the district's, a venue operator those
    run; residents see the participating merchants (where they can use the card)."""
    qs = Merchant.objects.select_related("district", "organisation")
    if can(user, "card.merchant_view"):
        scope = scope_for(user)
        if scope.kind == "all":
            return qs
        cond = Q(pk__in=[])
        if scope.kind == "district":
            cond |= Q(district_id=scope.organisation_id)
        if user.has_role(Role.VENUE_OPERATOR):
            cond |= Q(operators=user)
        return qs.filter(cond).distinct()
    return qs.none()


def participating_merchants() -> QuerySet[Merchant]:
    """Where a card can be used (public)."""
    return Merchant.objects.filter(is_participating=True).select_related("district").order_by("district__code",
                                                                                               "name")


def merchant_redemptions(*, merchant: Merchant) -> QuerySet[Redemption]:
    return merchant.redemptions.select_related("card").order_by("-id")


@dataclass
class Settlement:
    """What a merchant is owed for a period: sales, refunds, and who pays (cards, the city's subsidy)."""

    merchant: Merchant
    start: dt.date
    end: dt.date
    sales: int
    gross_fen: int
    refunds_fen: int
    card_fen: int
    subsidy_fen: int

    @property
    def net_fen(self) -> int:
        return self.card_fen + self.subsidy_fen


def _day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def settlement_entries(*, merchant: Merchant, start: dt.date, end: dt.date) -> QuerySet[LedgerEntry]:
    low, high = _day_range(start, end)
    return (LedgerEntry.objects.filter(merchant=merchant, created_at__gte=low, created_at__lt=high)
            .select_related("card", "redemption", "refund").order_by("created_at", "id"))


def settlement(*, merchant: Merchant, start: dt.date, end: dt.date) -> Settlement:
    """The merchant's settlement from ``start`` to ``end`` (inclusive), from its ledger rows."""
    rows = settlement_entries(merchant=merchant, start=start, end=end).order_by()
    sums = rows.aggregate(
        sales=Count("id", filter=Q(kind=EntryKind.REDEMPTION)),
        card=Coalesce(Sum("amount_fen"), 0), subsidy=Coalesce(Sum("subsidy_fen"), 0),
        gross_card=Coalesce(Sum("amount_fen", filter=Q(kind=EntryKind.REDEMPTION)), 0),
        gross_subsidy=Coalesce(Sum("subsidy_fen", filter=Q(kind=EntryKind.REDEMPTION)), 0),
        back_card=Coalesce(Sum("amount_fen", filter=Q(kind=EntryKind.REFUND)), 0),
        back_subsidy=Coalesce(Sum("subsidy_fen", filter=Q(kind=EntryKind.REFUND)), 0))
    return Settlement(merchant=merchant, start=start, end=end, sales=sums["sales"],
                      gross_fen=-sums["gross_card"] + sums["gross_subsidy"],
                      refunds_fen=sums["back_card"] - sums["back_subsidy"],
                      card_fen=-sums["card"], subsidy_fen=sums["subsidy"])


def month_bounds(month: str | None) -> tuple[dt.date, dt.date]:
    """``2026-11`` → its first and last day; anything else → the current month."""
    today = timezone.localdate()
    try:
        year, mon = (int(p) for p in (month or "").split("-"))
        first = dt.date(year, mon, 1)
    except (ValueError, TypeError):
        first = today.replace(day=1)
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


@dataclass
class SubsidyYear:
    budget: SubsidyBudget | None
    year: int
    months: list[tuple[str, int]]  # (YYYY-MM, subsidy fen net of refunds)
    ledger_total_fen: int

    @property
    def left_fen(self) -> int:
        return (self.budget.amount_fen - self.budget.spent_fen) if self.budget else 0


def subsidy_year(*, year: int) -> SubsidyYear:
    """The subsidy spent per month of ``year`` (from the ledger) against the year's budget.

    A refund's subsidy goes back in the month of the refund; the year is the purchase's (as the budget counts)."""
    tz = timezone.get_current_timezone()
    low = dt.datetime(year, 1, 1, tzinfo=tz)
    high = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    per_month = {f"{year}-{m:02d}": 0 for m in range(1, 13)}
    rows = (LedgerEntry.objects.filter(created_at__gte=low, created_at__lt=high).exclude(subsidy_fen=0)
            .annotate(month=TruncMonth("created_at", tzinfo=tz)).values("month")
            .annotate(total=Sum("subsidy_fen")).order_by("month"))
    for row in rows:
        per_month[row["month"].strftime("%Y-%m")] = int(row["total"])
    return SubsidyYear(budget=SubsidyBudget.objects.filter(year=year).first(), year=year,
                       months=sorted(per_month.items()), ledger_total_fen=sum(per_month.values()))


def rule_list() -> QuerySet[SubsidyRule]:
    return SubsidyRule.objects.prefetch_related("merchants").order_by("-year", "-percent", "id")


@dataclass
class LedgerCheck:
    cards: int
    mismatched: list[int]  # card ids whose cached balance is not the sum of their ledger
    ledger_total_fen: int
    cached_total_fen: int


def card_balance_check(card_ids: list[int] | None = None) -> LedgerCheck:
    """Compare every card's cached balance with the sum of its ledger rows (one grouped query)."""
    cards = Card.objects.all() if card_ids is None else Card.objects.filter(pk__in=card_ids)
    sums = dict(LedgerEntry.objects.filter(card__in=cards).values("card").annotate(s=Sum("amount_fen"))
                .values_list("card", "s"))
    mismatched = []
    cached_total = 0
    for pk, balance in cards.values_list("pk", "balance_fen"):
        cached_total += balance
        if sums.get(pk, 0) != balance:
            mismatched.append(pk)
    return LedgerCheck(cards=len(sums) if card_ids is None else len(card_ids), mismatched=mismatched,
                       ledger_total_fen=sum(sums.values()), cached_total_fen=cached_total)
