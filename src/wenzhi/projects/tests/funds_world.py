"""Rows the funds, progress and promotion tests share: selected applications of a call with decisions and
projects, as the selection leaves them (built directly: the path to them is projects' own tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wenzhi.registry.tests.factories import EnterpriseFactory

from .. import services
from ..models import Application, Decision
from ..services import funds as fund_services


def selected(world, n: int = 4, *, requested=Decimal("1000000")):
    """``n`` decided applications (city key) with projects: half in 和平区 (the enterprise user's), half in 滨海."""
    call, orgs = world["call"], world["orgs"]
    apps = []
    for i in range(n):
        ent = world["ent_a"] if i % 2 == 0 else world["ent_b"]
        if i >= 2:
            ent = EnterpriseFactory(district=ent.district)
        project = services.project_create(actor=None, name=f"测试项目{i}", owner=ent,
                                          description="数字文化项目，应用虚拟现实技术", stage="under_construction")
        app = Application.objects.create(call=call, enterprise=ent, district=ent.district, project=project,
                                         title=f"测试项目{i}", summary=f"第{i}个项目的简介，建设数字文化体验空间。",
                                         requested_amount=requested, status="decided",
                                         planned_investment=requested * 5)
        Decision.objects.create(application=app, outcome="city_key", reason="入选", score=Decimal(90 - 5 * i), rank=i + 1)
        apps.append(app)
    assert orgs  # the two districts come from core's fixtures
    return apps


def fund(world, budget=Decimal("10000000")):
    return fund_services.fund_create(actor=world["users"]["city_admin"], name="2026年文化产业发展专项资金", year=2026,
                                     budget=budget)


def done_milestone(project, title="主体完工", days_ago=5):
    m = services.milestone_add(actor=None, project=project, title=title,
                               due=timezone.localdate() - dt.timedelta(days=days_ago))
    return services.milestone_complete(actor=None, milestone=m, done_on=timezone.localdate() - dt.timedelta(days=days_ago),
                                       evidence="竣工验收报告")
