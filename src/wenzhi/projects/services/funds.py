"""Writes of the special funds: funds, the optimiser's allocation proposal, officials' adjustments and approval,
tranches paid against completed milestones, and the plan's historical totals.

Money rules (docs/STYLE.md, pretix): every check of what is left happens after locking the rows it depends on
(the fund for an allocation, the grant for a tranche); a tranche is a ledger row and a grant's paid amount is
their sum; nothing is written when a check fails.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core import search
from wenzhi.core.exceptions import StaleEdit
from wenzhi.core.models import User
from wenzhi.core.services import audited_save

from ..allocation import AllocationError, Candidate, DistrictBalance, propose
from ..choices import FundingSource, Outcome
from ..choices_funds import AllocationReason, AllocationStatus, FundKind
from ..models import Application, Call, Disbursement, Fund, FundAllocation, FundHistory, Grant, Milestone
from .library import enforce, project_funding_add

# A grant is at most what the applicant asked for and at least this share of it: less would not let the
# project go ahead as described (the call's guide says so; officials may still set any amount in between).
MIN_GRANT_SHARE = Decimal("0.3")
FUNDED_OUTCOMES = (Outcome.CITY_KEY, Outcome.DISTRICT_KEY)
ROUNDING_UNIT = Decimal(1000)  # proposals in whole thousands of yuan


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except Exception:  # noqa: BLE001 — any unparsable input is the same user error
        raise ValidationError({field: gettext("金额“%(v)s”不是有效的数字") % {"v": value}}) from None
    if amount < 0:
        raise ValidationError({field: gettext("金额不能为负数")})
    return amount


def fund_history_load() -> int:
    """Load the plan's historical fund totals (idempotent; migration 0004 does it with the database); returns how
    many rows were created."""
    from importlib import import_module

    rows = import_module("wenzhi.projects.migrations.0004_fund_history_data").ROWS
    created = 0
    for row in rows:
        _obj, made = FundHistory.objects.get_or_create(kind=row["kind"], label=row["label"], defaults=row)
        created += made
    return created


@transaction.atomic
def fund_create(*, actor: User | None, name: str, year: int, budget: Decimal, kind: str = FundKind.SPECIAL_FUND,
                description: str = "", is_demo: bool = False) -> Fund:
    """Open one year's fund with its budget."""
    enforce(actor, "fund.manage")
    fund = Fund(name=(name or "").strip(), year=year, budget=_money(budget, "budget"), kind=kind,
                description=description, is_demo=is_demo)
    if Fund.objects.filter(kind=kind, year=year, name=fund.name).exists():
        raise ValidationError({"name": gettext("该年度已有同名资金")})
    return audited_save(fund, actor=actor, reason=gettext("设立资金"))


def fund_committed(fund: Fund, *, exclude: FundAllocation | None = None) -> Decimal:
    """What the fund's approved allocations have granted."""
    qs = Grant.objects.filter(allocation__fund=fund, allocation__status=AllocationStatus.APPROVED)
    if exclude is not None:
        qs = qs.exclude(allocation=exclude)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def funded_applications(call: Call):
    """A call's applications selected as city or district key projects, with their decisions."""
    return (Application.objects.filter(call=call, decision__outcome__in=FUNDED_OUTCOMES)
            .select_related("decision", "enterprise", "project").order_by("pk"))


def _candidates(applications) -> list[Candidate]:
    out = []
    for app in applications:
        requested = app.requested_amount or Decimal(0)
        if requested <= 0:
            continue
        score = float(app.decision.score) if app.decision.score is not None else 0.0
        low = (requested * MIN_GRANT_SHARE / ROUNDING_UNIT).quantize(Decimal(1)) * ROUNDING_UNIT
        out.append(Candidate(key=app.pk, score=score, min_grant=min(low, requested), max_grant=requested,
                             district=app.district_id))
    return out


@transaction.atomic
def allocation_propose(*, actor: User | None, fund: Fund, call: Call, amount: Decimal, title: str = "",
                       max_district_share: Decimal | None = None, min_funded_per_district: int = 0,
                       is_demo: bool = False) -> FundAllocation:
    """The optimiser's proposal for a call's selected applications out of ``amount`` of the fund.

    Refused (nothing written) when ``amount`` exceeds what the fund has left, when no selected application
    asks for money, or when the balance options cannot be met."""
    enforce(actor, "allocation.propose")
    fund = Fund.objects.select_for_update().get(pk=fund.pk)
    amount = _money(amount, "amount")
    left = fund.budget - fund_committed(fund)
    if amount <= 0:
        raise ValidationError({"amount": gettext("方案资金额度须大于 0")})
    if amount > left:
        raise ValidationError({"amount": gettext("方案资金额度 %(a)s 元超过该资金可用余额 %(l)s 元（预算 %(b)s 元）") % {
            "a": amount, "l": left, "b": fund.budget}})
    apps = {a.pk: a for a in funded_applications(call)}
    candidates = _candidates(apps.values())
    if not candidates:
        raise ValidationError({"call": gettext("该批次没有申请资助金额的入选项目，无法编制分配方案")})
    share = float(max_district_share) if max_district_share not in (None, "") else None
    balance = DistrictBalance(max_share=share, min_funded=int(min_funded_per_district or 0)) \
        if share is not None or min_funded_per_district else None
    try:
        proposal = propose(candidates, amount, balance=balance, unit=ROUNDING_UNIT)
    except AllocationError as exc:
        raise ValidationError({exc.field or "amount": exc.message}) from None
    allocation = audited_save(FundAllocation(
        fund=fund, call=call, title=title or gettext("%(c)s资金分配方案") % {"c": call.name}, amount=amount,
        max_district_share=max_district_share or None, min_funded_per_district=min_funded_per_district or 0,
        shadow_price=proposal.budget_shadow_price * 10_000, gap=proposal.gap, created_by=actor, is_demo=is_demo,
    ), actor=actor, reason=gettext("优化模型编制分配方案"))
    by_key = {c.key: c for c in candidates}
    grants = Grant.objects.bulk_create([
        Grant(allocation=allocation, application=apps[it.key], project=apps[it.key].project,
              enterprise=apps[it.key].enterprise, district_id=apps[it.key].district_id,
              score=by_key[it.key].score, min_amount=by_key[it.key].min_grant,
              max_amount=by_key[it.key].max_grant, proposed_amount=it.amount, amount=it.amount, reason=it.reason,
              score_per_yuan=it.score_per_yuan)
        for it in proposal.items
    ])
    search.index_rows_on_commit(Grant, [g.pk for g in grants])  # bulk writes send no signals
    return allocation


def _check_allocation_version(allocation: FundAllocation, version) -> None:
    if version in (None, ""):
        return
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise StaleEdit(gettext("版本标记无法识别，请刷新后重试。")) from None
    if expected != allocation.version:
        raise StaleEdit(gettext("分配方案“%(t)s”在您打开后已被他人修改，本次修改未保存。请刷新后核对。") % {
            "t": allocation.title})


@transaction.atomic
def grant_adjust(*, actor: User | None, grant: Grant, amount: Decimal, reason: str,
                 version: int | str | None = None) -> Grant:
    """An official sets one grant's amount (0, or between its minimum and maximum) with a reason (audited).

    The allocation's total may not exceed its amount; an approved allocation cannot be adjusted."""
    allocation = FundAllocation.objects.select_for_update().get(pk=grant.allocation_id)
    enforce(actor, "allocation.adjust", allocation)
    _check_allocation_version(allocation, version)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if allocation.status != AllocationStatus.PROPOSED:
        raise ValidationError({"amount": gettext("分配方案已批准，不能再调整")})
    amount = _money(amount, "amount")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"adjust_reason": gettext("请填写调整理由")})
    if amount != 0 and not grant.min_amount <= amount <= grant.max_amount:
        raise ValidationError({"amount": gettext("“%(t)s”的安排金额须为 0 或在 %(lo)s–%(hi)s 元之间") % {
            "t": grant.application.title, "lo": grant.min_amount, "hi": grant.max_amount}})
    others = allocation.grants.exclude(pk=grant.pk).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    if others + amount > allocation.amount:
        raise ValidationError({"amount": gettext("调整后方案合计 %(t)s 元，超过方案资金额度 %(a)s 元") % {
            "t": others + amount, "a": allocation.amount}})
    grant.amount, grant.adjust_reason, grant.reason = amount, reason, AllocationReason.FIXED
    audited_save(grant, actor=actor, reason=gettext("调整安排金额：%(r)s") % {"r": reason})
    allocation.version += 1
    audited_save(allocation, actor=actor, reason=gettext("调整安排金额"), update_fields=["version"])
    return grant


@transaction.atomic
def allocation_approve(*, actor: User | None, allocation: FundAllocation,
                       version: int | str | None = None) -> FundAllocation:
    """Approve a proposal (as adjusted): its grants become commitments of the fund."""
    allocation = FundAllocation.objects.select_for_update().get(pk=allocation.pk)
    enforce(actor, "allocation.approve", allocation)
    _check_allocation_version(allocation, version)
    if allocation.status != AllocationStatus.PROPOSED:
        raise ValidationError({"status": gettext("该分配方案已批准")})
    fund = Fund.objects.select_for_update().get(pk=allocation.fund_id)
    total = allocation.grants.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    left = fund.budget - fund_committed(fund, exclude=allocation)
    if total > left:
        raise ValidationError({"amount": gettext("方案合计 %(t)s 元超过该资金可用余额 %(l)s 元") % {"t": total, "l": left}})
    for grant in allocation.grants.select_related("application").filter(project__isnull=True):
        if grant.application.project_id:
            grant.project_id = grant.application.project_id
            grant.save(update_fields=["project"])
    allocation.status, allocation.approved_by, allocation.approved_at = AllocationStatus.APPROVED, actor, timezone.now()
    allocation.version += 1
    return audited_save(allocation, actor=actor, reason=gettext("批准分配方案"))


def grant_paid(grant: Grant) -> Decimal:
    """The grant's paid amount: the sum of its tranches."""
    return grant.disbursements.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _tranche_checks(grant: Grant, amount: Decimal, paid_on: dt.date, milestone: Milestone | None) -> None:
    if grant.allocation.status != AllocationStatus.APPROVED:
        raise ValidationError({"grant": gettext("分配方案尚未批准，不能拨付")})
    if amount <= 0:
        raise ValidationError({"amount": gettext("拨付金额须大于 0")})
    paid = grant_paid(grant)
    if paid + amount > grant.amount:
        raise ValidationError({"amount": gettext(
            "拨付后累计 %(after)s 元，超过“%(t)s”的资助金额 %(grant)s 元（已拨付 %(paid)s 元，最多还可拨付 %(left)s 元）") % {
            "after": paid + amount, "t": grant.application.title, "grant": grant.amount, "paid": paid,
            "left": grant.amount - paid}})
    if milestone is None:
        raise ValidationError({"milestone": gettext("请选择本笔资金对应的项目节点")})
    if grant.project_id is None or milestone.project_id != grant.project_id:
        raise ValidationError({"milestone": gettext("节点“%(m)s”不属于该资助项目") % {"m": milestone.title}})
    if milestone.done_on is None or milestone.done_on > paid_on:
        raise ValidationError({"milestone": gettext(
            "节点“%(m)s”（计划 %(due)s 完成）尚未完成，不能拨付对应的资金") % {"m": milestone.title, "due": milestone.due}})


@transaction.atomic
def disbursement_create(*, actor: User | None, grant: Grant, amount: Decimal, milestone: Milestone | None,
                        paid_on: dt.date | None = None, note: str = "", is_demo: bool = False) -> Disbursement:
    """Pay one tranche of an approved grant against a completed milestone of its project.

    Refused with the reason when the total paid would exceed the grant, when the milestone is not done (by the
    payment date) or not the project's; the project's funding by source records the payment for leverage."""
    grant = Grant.objects.select_for_update().select_related("allocation__fund", "application").get(pk=grant.pk)
    enforce(actor, "disbursement.add", grant)
    amount = _money(amount, "amount")
    paid_on = paid_on or timezone.localdate()
    if milestone is not None:
        milestone = Milestone.objects.get(pk=milestone.pk)
    _tranche_checks(grant, amount, paid_on, milestone)
    tranche = Disbursement.objects.create(grant=grant, milestone=milestone, amount=amount, paid_on=paid_on,
                                          note=note, actor=actor, is_demo=is_demo)
    source = FundingSource.INVESTMENT_FUND if grant.allocation.fund.kind == FundKind.INVESTMENT_FUND \
        else FundingSource.SPECIAL_FUND
    assert grant.project is not None  # checked above: a tranche needs the project's milestone
    project_funding_add(actor=None, project=grant.project, source=source, amount=amount, year=paid_on.year,
                        note=gettext("%(f)s拨付") % {"f": grant.allocation.fund.name})
    return tranche
