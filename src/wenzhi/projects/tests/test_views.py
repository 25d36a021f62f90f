"""Pages and API as people use them: scoping of lists, the running total, the ranking, one decision wins,
the public list with its xlsx and formal notice, exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .. import services
from ..models import PublicNotice
from .conftest import draft, reviewed

pytestmark = pytest.mark.django_db


def _client(user, language=None):
    c = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    c.force_login(user)
    return c


def test_expert_and_enterprise_see_only_theirs(world):
    users = world["users"]
    app = reviewed(world)
    other = draft(world, enterprise=world["ent_b"], title="滨海乙项目")
    services.application_submit(actor=None, application=other)
    rows = _client(users["expert_reviewer"]).get("/api/v1/applications/").json()["results"]
    assert [r["id"] for r in rows] == [app.pk] and rows[0]["enterprise"] == world["ent_a"].pk
    fresh_expert = _client(world["experts"][2])
    assert fresh_expert.get(reverse("projects:application_detail", args=[other.pk])).status_code == 404
    ent_rows = _client(users["enterprise_user"]).get("/api/v1/applications/").json()["results"]
    assert {r["enterprise"] for r in ent_rows} == {world["ent_a"].pk}
    district_rows = _client(users["district_officer"]).get("/api/v1/applications/").json()["results"]
    assert [r["id"] for r in district_rows] == [app.pk]  # the other district's application is not listed


def test_project_list_api_rows_carry_district_and_scope(world):
    services.project_create(actor=None, name="和平项目", owner=world["ent_a"])
    services.project_create(actor=None, name="滨海项目", owner=world["ent_b"])
    rows = _client(world["users"]["district_officer"]).get("/api/v1/projects/").json()["results"]
    assert [(r["name"], r["district"]) for r in rows] == [("和平项目", world["orgs"]["heping"].pk)]
    park_rows = _client(world["users"]["park_operator"]).get(reverse("projects:project_list")).content.decode()
    assert "和平项目" in park_rows and "滨海项目" not in park_rows
    xlsx = _client(world["users"]["city_admin"]).get(reverse("projects:project_list") + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")


def test_running_total_in_english_and_out_of_range(world):
    users = world["users"]
    app = draft(world, actor=users["enterprise_user"])
    services.application_submit(actor=None, application=app)
    services.district_review(actor=None, application=app, recommend=True, opinion="推荐")
    services.expert_assign(actor=None, application=app, expert=users["expert_reviewer"])
    url = reverse("projects:review_total", args=[app.pk])
    text = _client(users["expert_reviewer"], "en").post(url, {"score_culture": "10", "score_intelligence": "5"},
                                                         HTTP_HX_REQUEST="true").content.decode()
    assert "Weighted total: 40.00 / 100 (2 of 4 criteria scored)" in text
    text = _client(users["expert_reviewer"]).post(url, {"score_market": "12"}).content.decode()
    assert "应在 0 到 10 之间" in text
    assert _client(world["experts"][1]).post(url, {"score_market": "1"}).status_code in (403, 404)


def test_ranking_page_and_concurrent_decisions(world):
    users = world["users"]
    app = reviewed(world)
    admin = _client(users["city_admin"])
    page = admin.get(reverse("projects:call_ranking", args=[world["call"].pk]))
    assert page.status_code == 200 and app.title in page.content.decode()
    assert f'data-testid="outcome-{app.pk}"' not in page.content.decode()  # the form only for the row decided
    deciding = admin.get(reverse("projects:call_ranking", args=[world["call"].pk]) + f"?decide={app.pk}")
    assert f'data-testid="outcome-{app.pk}"' in deciding.content.decode() and deciding.context["page"].number == 1
    assert admin.get(reverse("projects:call_ranking", args=[world["call"].pk]) + "?export=xlsx").status_code == 200
    url = reverse("projects:application_decide", args=[app.pk])
    first = admin.post(url, {"outcome": "city_key", "reason": "第一", "version": app.version})
    assert first.status_code == 302
    second = _client(users["city_admin"]).post(url, {"outcome": "rejected", "reason": "第二", "version": app.version})
    assert second.status_code == 409 and "已被他人处理" in second.content.decode()
    api = admin.post(f"/api/v1/applications/{app.pk}/decide/", {"outcome": "reserve", "reason": "接口",
                                                                 "version": app.version},
                     content_type="application/json")
    assert api.status_code == 409
    app.decision.refresh_from_db()
    assert app.decision.outcome == "city_key"


def test_public_list_xlsx_and_formal_notice(world):
    from docx import Document

    users = world["users"]
    app = reviewed(world)
    services.application_decide(actor=None, application=app, outcome="city_key", reason="第一")
    today = timezone.localdate()
    notice = services.notice_open(actor=None, call=world["call"], title="公示", opens_on=today, closes_on=today,
                                  document_number="津文旅发〔2026〕12号")
    PublicNotice.objects.filter(pk=notice.pk).update(opens_on=today - dt.timedelta(days=7),
                                                     closes_on=today - dt.timedelta(days=1))
    assert Client().get(reverse("projects:public_list", args=[notice.pk])).status_code == 404  # not yet final
    publish = _client(users["city_admin"]).post(reverse("projects:notice_publish", args=[notice.pk]))
    assert publish.status_code == 302
    anonymous = Client()
    page = anonymous.get(reverse("projects:public_list", args=[notice.pk])).content.decode()
    assert app.title in page
    xlsx = anonymous.get(reverse("projects:public_list", args=[notice.pk]) + "?export=xlsx")
    assert xlsx.status_code == 200
    docx = anonymous.get(reverse("projects:notice_document", args=[notice.pk]) + "?kind=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "津文旅发〔2026〕12号" in text and "关于公布2026年度重点文化产业项目名单的通知" in text
    assert "各区文化和旅游局" in text
    tables = Document(io.BytesIO(docx.content)).tables
    assert any(app.title in cell.text for t in tables for row in t.rows for cell in row.cells)


def test_objection_form_public_and_refused_after_period(world):
    app = reviewed(world)
    services.application_decide(actor=None, application=app, outcome="district_key", reason="第二")
    today = timezone.localdate()
    notice = services.notice_open(actor=None, call=world["call"], title="公示", opens_on=today,
                                  closes_on=today + dt.timedelta(days=3))
    url = reverse("projects:objection_submit", args=[notice.pk])
    ok = Client().post(url, {"name": "王五", "contact": "022-1", "text": "项目已在别处获得资助，请核实。", "application": app.pk})
    assert ok.status_code == 302 and notice.objections.count() == 1
    short = Client().post(url, {"name": "王五", "contact": "022-1", "text": "太短"})
    assert "至少 10 个字" in short.content.decode() and notice.objections.count() == 1


def test_ranking_pages_keep_the_call_wide_rank(world, monkeypatch):
    from ..views import review

    monkeypatch.setattr(review, "RANKING_PAGE_SIZE", 1)
    low = reviewed(world, scores=(5, 5, 5, 5))
    high = reviewed(world, scores=(9, 9, 9, 9))
    admin = _client(world["users"]["city_admin"])
    url = reverse("projects:call_ranking", args=[world["call"].pk])
    first, second = admin.get(url), admin.get(url + "?page=2")
    assert [r.application.pk for r in first.context["rows"]] == [high.pk]
    assert [(r.application.pk, r.rank) for r in second.context["rows"]] == [(low.pk, 2)]
    assert first.context["total"] == 2
    decided = admin.post(reverse("projects:application_decide", args=[low.pk]),
                         {"outcome": "reserve", "reason": "第二名", "version": low.version, "next": "ranking",
                          "page": "2"})
    assert decided.status_code == 302 and decided["Location"].endswith(f"{url}?page=2")


def test_objection_answered_through_the_api_revises_the_decision(world):
    from ..choices import Outcome
    from ..models import Decision

    users = world["users"]
    admin = users["city_admin"]
    app = reviewed(world)
    services.application_decide(actor=admin, application=app, outcome=Outcome.CITY_KEY, reason="得分第一",
                                version=app.version)
    today = timezone.localdate()
    notice = services.notice_open(actor=admin, call=world["call"], title="拟入选项目公示", opens_on=today,
                                  closes_on=today + dt.timedelta(days=5))
    objection = services.objection_submit(notice=notice, name="王五", contact="13900000000",
                                          text="该项目申报材料中的合同系伪造，请核查。", application=app)
    url = f"/api/v1/objections/{objection.pk}/answer/"
    assert _client(users["enterprise_user"]).post(url, {"answer": "x"}).status_code in (403, 404)
    assert _client(users["other_district"]).get(f"/api/v1/objections/{objection.pk}/").status_code in (403, 404)
    bad = _client(admin).post(url, {"answer": "经核查情况属实。", "upheld": True}, content_type="application/json")
    assert bad.status_code == 400 and "outcome" in bad.json()["errors"]
    assert Decision.objects.get(application=app).outcome == Outcome.CITY_KEY  # nothing written
    ok = _client(admin).post(url, {"answer": "经核查情况属实，撤销入选。", "upheld": True, "outcome": Outcome.REJECTED},
                             content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert (ok.json()["revised_from"], ok.json()["revised_to"]) == (Outcome.CITY_KEY, Outcome.REJECTED)
    assert Decision.objects.get(application=app).outcome == Outcome.REJECTED
    again = _client(admin).post(url, {"answer": "再次答复内容。"}, content_type="application/json")
    assert again.status_code == 400 and "已答复" in again.content.decode()
