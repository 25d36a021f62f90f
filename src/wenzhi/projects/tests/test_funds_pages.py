"""Funds, progress and promotion through the pages and the API as people use them: propose → adjust (409 when
stale) → approve → disburse (refused before the milestone, beyond the grant), leverage 29.5× from history,
owners' reports, near-duplicates side by side, investor interest from the public showcase."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from .. import services
from ..models import Application, Disbursement, FundAllocation, Grant, InboxMessage, ProgressReport
from ..services import funds as fund_services
from ..services import progress as progress_services
from ..services import promotion as promotion_services
from .funds_world import done_milestone, fund, selected

pytestmark = pytest.mark.django_db


def test_propose_adjust_approve_disburse_pages(world, client_as):
    selected(world)
    f = fund(world)
    admin = client_as("city_admin")
    r = admin.post(reverse("projects:allocation_propose", args=[f.pk]),
                   {"call": world["call"].pk, "amount": "2500000", "title": "", "min_funded_per_district": "0"})
    assert r.status_code == 302
    allocation = FundAllocation.objects.get()
    page = admin.get(reverse("projects:allocation_detail", args=[allocation.pk])).content.decode()
    assert "受预算余额限制" in page and "达到资助上限" in page
    g3 = allocation.grants.get(application__title="测试项目3")
    url = reverse("projects:grant_adjust", args=[g3.pk])
    stale = admin.post(url, {"amount": "0", "reason": "维持", "version": "7"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    r = admin.post(reverse("projects:allocation_approve", args=[allocation.pk]), {"version": "0"})
    assert r.status_code == 302
    allocation.refresh_from_db()
    assert allocation.status == "approved"
    grant = allocation.grants.get(application__title="测试项目0")
    assert grant.project is not None
    pending = services.milestone_add(actor=None, project=grant.project, title="开工", due=timezone.localdate())
    r = admin.post(reverse("projects:grant_disburse", args=[grant.pk]),
                   {"milestone": pending.pk, "amount": "100000", "paid_on": timezone.localdate().isoformat()})
    assert r.status_code == 200 and "尚未完成" in r.content.decode()
    done = done_milestone(grant.project)
    r = admin.post(reverse("projects:grant_disburse", args=[grant.pk]),
                   {"milestone": done.pk, "amount": "2000000", "paid_on": timezone.localdate().isoformat()})
    assert r.status_code == 200 and "超过" in r.content.decode()
    assert Disbursement.objects.count() == 0
    r = admin.post(reverse("projects:grant_disburse", args=[grant.pk]),
                   {"milestone": done.pk, "amount": "400000", "paid_on": timezone.localdate().isoformat()})
    assert r.status_code == 302 and Disbursement.objects.get().amount == 400000


def test_api_funds_paginated_and_disburse_refused(world, client_as):
    selected(world)
    f = fund(world)
    admin = client_as("city_admin")
    body = admin.get("/api/v1/funds/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == f.pk
    r = admin.post(f"/api/v1/funds/{f.pk}/propose/", {"call": world["call"].pk, "amount": "99999999"},
                   content_type="application/json")
    assert r.status_code == 400 and "amount" in r.json()["errors"]
    r = admin.post(f"/api/v1/funds/{f.pk}/propose/", {"call": world["call"].pk, "amount": "2500000"},
                   content_type="application/json")
    assert r.status_code == 201
    allocation = r.json()
    assert admin.post(f"/api/v1/fund-allocations/{allocation['id']}/approve/", {},
                      content_type="application/json").status_code == 200
    grant = Grant.objects.get(application__title="测试项目0")
    done = done_milestone(grant.project)
    r = admin.post(f"/api/v1/grants/{grant.pk}/disburse/", {"amount": "1000001", "milestone": done.pk},
                   content_type="application/json")
    assert r.status_code == 400 and "amount" in r.json()["errors"]
    assert client_as("district_officer").get("/api/v1/funds/").json()["count"] == 1
    assert client_as("enterprise_user").get("/api/v1/funds/").status_code == 403
    mine = client_as("enterprise_user").get("/api/v1/grants/").json()
    assert {row["enterprise"] for row in mine["results"]} == {world["ent_a"].pk}


def test_leverage_page_and_panel_show_plan_history(world, client_as):
    # the history comes with the database (migration 0004): nothing to load first
    admin = client_as("city_admin")
    assert "29.5×" in admin.get(reverse("projects:leverage")).content.decode()
    assert "29.5×" in admin.get("/").content.decode()
    assert client_as("park_operator").get(reverse("projects:leverage")).status_code == 200
    assert client_as("enterprise_user").get(reverse("projects:leverage")).status_code == 403


def test_owner_reports_through_the_page(world, client_as):
    project = services.project_create(actor=None, name="企业自己的项目", owner=world["ent_a"], stage="under_construction")
    owner = client_as("enterprise_user")
    assert "填报季度进度报告" in owner.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    r = owner.post(reverse("projects:progress_report_new", args=[project.pk]),
                   {"year": "2025", "quarter": "4", "investment_completed": "1000", "progress": "本季度完成主体施工和设备安装。"})
    assert r.status_code == 302 and ProgressReport.objects.filter(project=project).exists()
    r = owner.post("/api/v1/progress-reports/", {"project": project.pk, "year": 2025, "quarter": 4,
                                                 "investment_completed": "1", "progress": "重复填报同一季度的报告内容"},
                   content_type="application/json")
    assert r.status_code == 400 and "quarter" in r.json()["errors"]


def test_duplicates_side_by_side_on_the_review_page(world, client_as):
    text = "项目建设数字内容制作中心和沉浸式展演空间,引入虚拟制作技术服务本地影视企业。依托人工智能开展非遗数字化采集与展示。"
    a = Application.objects.create(call=world["call"], enterprise=world["ent_b"], district=world["ent_b"].district,
                                   title="海河数字文化园", summary=text, status="submitted")
    b = Application.objects.create(call=world["call"], enterprise=world["ent_a"], district=world["ent_a"].district,
                                   title="津门数字文创园", summary=text[30:] + text[:30], status="submitted")
    progress_services.application_fingerprint(application=a)
    page = client_as("city_admin").get(reverse("projects:application_duplicates", args=[b.pk])).content.decode()
    assert "海河数字文化园" in page and "虚拟制作" in page
    assert client_as("enterprise_user").get(reverse("projects:application_duplicates", args=[b.pk])).status_code == 403
    detail = client_as("city_admin").get(reverse("projects:application_detail", args=[b.pk])).content.decode()
    assert reverse("projects:application_duplicates", args=[b.pk]) in detail


def test_public_interest_reaches_owner_and_district(world, client):
    project = services.project_create(actor=None, name="展示项目", owner=world["ent_a"], stage="incubating")
    promotion_services.showcase_save(actor=None, project=project, pitch="沉浸式数字文博，寻求战略投资。")
    url = reverse("projects:showcase_detail", args=[project.pk])
    assert "展示项目" in client.get(reverse("projects:showcase_list")).content.decode()
    r = client.post(url, {"investor_name": "", "organisation": "北京文投", "email": "bad"})
    assert r.status_code == 200 and InboxMessage.objects.count() == 0
    r = client.post(url, {"investor_name": "王经理", "organisation": "北京文投", "email": "w@example.com",
                          "amount": "1000000", "message": "约谈"})
    assert r.status_code == 302
    assert set(InboxMessage.objects.values_list("organisation", flat=True)) == {
        world["ent_a"].organisation_id, project.district_id}


def test_overdue_page_sends_reminders(world, client_as, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    project = services.project_create(actor=None, name="逾期项目", owner=world["ent_a"], stage="incubating")
    project.stage_changed_on = dt.date(2024, 1, 1)
    project.save(update_fields=["stage_changed_on"])
    officer = client_as("district_officer")
    assert "逾期项目" in officer.get(reverse("projects:progress_overdue")).content.decode()
    assert "逾期项目" not in client_as("other_district").get(reverse("projects:progress_overdue")).content.decode()
    assert officer.post(reverse("projects:progress_remind")).status_code == 302
    assert InboxMessage.objects.filter(kind="overdue", project=project).count() == 2
    assert "逾期" in client_as("enterprise_user").get(reverse("projects:message_list")).content.decode()


def test_fund_grant_progress_lists_search_through_the_index_in_scope(world, client_as):
    from wenzhi.core import search

    apps = selected(world)
    f = fund(world)
    fund_services.allocation_propose(actor=world["users"]["city_admin"], fund=f, call=world["call"],
                                     amount=Decimal("2500000"))
    ProgressReport.objects.create(project=apps[1].project, year=2026, quarter=1,
                                  progress="主体结构施工")
    search.rebuild()  # the rows were written in this test's transaction, whose commit never comes
    admin, district = client_as("city_admin"), client_as("district_officer")
    page = admin.get(reverse("projects:fund_list") + "?q=发展专项资金")
    assert page.status_code == 200 and "2026年文化产业发展专项资金" in page.content.decode()
    assert "2026年文化产业发展专项资金" not in admin.get(reverse("projects:fund_list") + "?q=投资基金").content.decode()
    assert "2026年文化产业发展专项资金" in district.get(reverse("projects:fund_list") + "?q=专项资金").content.decode()
    grants = admin.get(reverse("projects:grant_list") + "?q=测试项目1").context["rows"]
    assert [r["obj"].application.title for r in grants] == ["测试项目1"]
    # 测试项目1 sits in 滨海; the 和平 district officer's search does not reach it.
    assert district.get(reverse("projects:grant_list") + "?q=测试项目1").context["rows"] == []
    assert len(district.get(reverse("projects:grant_list") + "?q=测试项目0").context["rows"]) == 1
    reports = admin.get(reverse("projects:progress_list") + "?q=测试项目1").context["rows"]
    assert [r["obj"].project.name for r in reports] == ["测试项目1"]
    assert district.get(reverse("projects:progress_list") + "?q=测试项目1").context["rows"] == []
