"""Special funds as the city administrator clicks through them: the optimiser's proposal for a call's selected
projects, approval, then tranches: refused before its milestone is done, paid against a completed one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wenzhi.projects import services
from wenzhi.projects.services import funds as fund_services
from wenzhi.projects.tests.funds_world import done_milestone, selected
from wenzhi.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def funded_call(orgs, users):
    now = timezone.now()
    call = services.call_create(actor=users["city_admin"], name="2026 年市级重点文化产业项目申报", year=2026,
                                opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=10),
                                review_deadline=now - dt.timedelta(days=5), budget=Decimal("5000000"))
    world = {"call": call, "orgs": orgs, "ent_a": EnterpriseFactory(district=orgs["heping"]),
             "ent_b": EnterpriseFactory(district=orgs["binhai"])}
    apps = selected(world)
    fund = fund_services.fund_create(actor=users["city_admin"], name="2026年文化产业发展专项资金", year=2026,
                                     budget=Decimal("10000000"))
    return {"call": call, "apps": apps, "fund": fund}


def test_allocate_approve_disburse(users, funded_call, login, live_server):
    top = funded_call["apps"][0].project
    assert top is not None
    pending = services.milestone_add(actor=None, project=top, title="场馆开工", due=timezone.localdate())
    page = login(users["city_admin"].username)
    page.click("nav.sidenav a[data-nav=projects_funds]")
    page.click("text=2026年文化产业发展专项资金")
    page.click("[data-testid=propose]")
    page.select_option("select[name=call]", str(funded_call["call"].pk))
    page.fill("input[name=amount]", "2500000")
    page.fill("input[name=max_district_share]", "0.8")
    page.click("[data-testid=save]")
    page.wait_for_load_state("networkidle")
    grants = page.inner_text("[data-testid=grants]")
    assert "达到资助上限" in grants and "受预算余额限制" in grants
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=allocation-status]") == "已批准"
    page.click(f"text={top.name}")
    page.select_option("select[name=milestone]", str(pending.pk))
    page.fill("input[name=amount]", "300000")
    page.click("[data-testid=disburse]")
    page.wait_for_load_state("networkidle")
    assert "尚未完成" in page.inner_text("[data-testid=form-errors]")
    done = done_milestone(top, title="设计方案通过")
    page.goto(f"{live_server.url}/projects/grants/{top.grants.get().pk}/")
    page.select_option("select[name=milestone]", str(done.pk))
    page.fill("input[name=amount]", "300000")
    page.click("[data-testid=disburse]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=paid]") == "300,000.00"  # yuan with fen, on every database
    assert "设计方案通过" in page.content()
