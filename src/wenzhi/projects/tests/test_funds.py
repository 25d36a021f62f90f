"""Funds: the optimiser's proposal stored with reasons, adjustments and approval (audited, 409 when stale),
tranches against completed milestones, leverage with the plan's history."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wenzhi.core.exceptions import StaleEdit

from ..models import Disbursement, FundAllocation, Grant, ProjectFunding
from ..selectors_funds import grant_list, leverage, leverage_summary
from ..services import funds as svc
from .funds_world import done_milestone, fund, selected

pytestmark = pytest.mark.django_db


def _proposal(world, amount=Decimal("2500000"), **kw):
    selected(world)
    return svc.allocation_propose(actor=world["users"]["city_admin"], fund=fund(world), call=world["call"],
                                  amount=amount, **kw)


def test_proposal_ranks_by_score_and_explains(world):
    alloc = _proposal(world)
    grants = {g.application.title: g for g in alloc.grants.all()}
    assert sum(g.amount for g in grants.values()) <= Decimal("2500000")
    assert grants["测试项目0"].amount == Decimal("1000000") and grants["测试项目0"].reason == "at_max"
    assert grants["测试项目1"].reason == "at_max"
    assert grants["测试项目2"].reason == "budget" and grants["测试项目2"].amount == Decimal("500000")
    assert grants["测试项目3"].amount == 0 and grants["测试项目3"].reason == "not_selected"
    assert alloc.shadow_price > 0


def test_proposal_over_budget_refused_nothing_written(world):
    selected(world)
    f = fund(world, budget=Decimal("1000000"))
    with pytest.raises(ValidationError) as exc:
        svc.allocation_propose(actor=world["users"]["city_admin"], fund=f, call=world["call"], amount=Decimal("2000000"))
    assert "amount" in exc.value.message_dict and "超过该资金可用余额" in exc.value.message_dict["amount"][0]
    assert FundAllocation.objects.count() == 0 and Grant.objects.count() == 0


def test_district_officer_cannot_propose(world):
    selected(world)
    with pytest.raises(PermissionDenied):
        svc.allocation_propose(actor=world["users"]["district_officer"], fund=fund(world), call=world["call"],
                               amount=Decimal(1000))


def test_adjust_bounds_total_and_stale(world):
    alloc = _proposal(world)
    g3 = alloc.grants.get(application__title="测试项目3")
    with pytest.raises(ValidationError) as exc:
        svc.grant_adjust(actor=world["users"]["city_admin"], grant=g3, amount=Decimal("100"), reason="试一下")
    assert "amount" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # over the allocation's amount
        svc.grant_adjust(actor=world["users"]["city_admin"], grant=g3, amount=Decimal("900000"), reason="补充支持")
    assert "超过方案资金额度" in exc.value.message_dict["amount"][0]
    g2 = alloc.grants.get(application__title="测试项目2")
    svc.grant_adjust(actor=world["users"]["city_admin"], grant=g2, amount=Decimal(0), reason="项目单位放弃", version=0)
    with pytest.raises(StaleEdit):
        svc.grant_adjust(actor=world["users"]["city_admin"], grant=g3, amount=Decimal(400000), reason="改给项目3",
                         version=0)
    g3 = svc.grant_adjust(actor=world["users"]["city_admin"], grant=g3, amount=Decimal(400000), reason="改给项目3",
                          version=1)
    assert g3.reason == "fixed" and g3.history.first().history_change_reason.startswith("调整安排金额")


def _approved(world):
    alloc = _proposal(world)
    return svc.allocation_approve(actor=world["users"]["city_admin"], allocation=alloc)


def test_tranche_before_milestone_and_beyond_grant_refused(world):
    alloc = _approved(world)
    grant = alloc.grants.get(application__title="测试项目0")
    admin = world["users"]["city_admin"]
    from .. import services

    pending = services.milestone_add(actor=None, project=grant.project, title="开工", due=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        svc.disbursement_create(actor=admin, grant=grant, amount=Decimal(300000), milestone=pending)
    assert "尚未完成" in exc.value.message_dict["milestone"][0]
    done = done_milestone(grant.project)
    svc.disbursement_create(actor=admin, grant=grant, amount=Decimal(600000), milestone=done)
    with pytest.raises(ValidationError) as exc:
        svc.disbursement_create(actor=admin, grant=grant, amount=Decimal(600000), milestone=done)
    msg = exc.value.message_dict["amount"][0]
    assert "超过" in msg and "400000" in msg
    assert Disbursement.objects.count() == 1
    assert ProjectFunding.objects.filter(project=grant.project, source="special_fund").get().amount == 600000


def test_tranche_on_unapproved_allocation_refused(world):
    alloc = _proposal(world)
    grant = alloc.grants.get(application__title="测试项目0")
    with pytest.raises(ValidationError) as exc:
        svc.disbursement_create(actor=world["users"]["city_admin"], grant=grant, amount=Decimal(1),
                                milestone=done_milestone(grant.project))
    assert "未批准" in exc.value.message_dict["grant"][0]


def test_second_approval_over_remaining_budget_refused(world):
    alloc = _approved(world)
    again = svc.allocation_propose(actor=world["users"]["city_admin"], fund=alloc.fund, call=world["call"],
                                   amount=Decimal("7500000"))
    assert again.pk
    with pytest.raises(ValidationError):
        svc.allocation_propose(actor=world["users"]["city_admin"], fund=alloc.fund, call=world["call"],
                               amount=Decimal("7500001"))


def test_history_gives_plan_leverage(world, users):
    svc.fund_history_load()
    svc.fund_history_load()  # idempotent
    s = leverage_summary(user=users["city_admin"])
    assert s.history_projects == 218
    assert s.leverage == pytest.approx(130 / 4.4, rel=1e-6)  # ≈ 29.5
    assert s.investment_fund_size == Decimal("500000000")
    assert leverage_summary(user=users["district_officer"]).history_fund == 0


def test_leverage_by_district_and_scope(world, users):
    alloc = _approved(world)
    grant = alloc.grants.get(application__title="测试项目0")
    svc.disbursement_create(actor=users["city_admin"], grant=grant, amount=Decimal(500000),
                            milestone=done_milestone(grant.project))
    from .. import services

    services.project_funding_add(actor=None, project=grant.project, source="social_capital",
                                 amount=Decimal(5000000), year=2026)
    rows = {r.label: r for r in leverage(user=users["city_admin"], by="district")}
    assert rows[grant.project.district.name].leverage == pytest.approx(10.0)
    # 滨海新区's officer sees only 滨海 rows: project 0 is in 和平区
    assert grant.project.district.name not in {r.label for r in leverage(user=users["other_district"], by="district")}
    assert leverage(user=users["enterprise_user"], by="district") == []
    mine = grant_list(user=users["enterprise_user"])
    assert {g.enterprise_id for g in mine} == {world["ent_a"].pk}
