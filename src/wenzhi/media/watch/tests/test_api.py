"""The API takes the same steps through the same services: a rule created, an alert raised, stepped to closed;
the dashboard figures and a report made on demand."""

import pytest
from django.utils import timezone

from wenzhi.media.watch import services

pytestmark = pytest.mark.django_db


def test_rule_alert_and_steps_through_the_api(client_as, users, make_doc, heping):
    editor, officer = client_as("media_editor"), client_as("district_officer")
    r = editor.post("/api/v1/opinion-rules/", {"name": "接口规则", "kind": "keyword", "keywords": ["停演"]},
                    content_type="application/json")
    assert r.status_code == 201, r.content
    assert editor.post("/api/v1/opinion-rules/", {"name": "x", "kind": "keyword", "owner": 1},
                       content_type="application/json").status_code == 400
    (alert,) = services.alerts_evaluate(document_ids=[make_doc("音乐会临时停演", district=heping).pk])
    listed = officer.get("/api/v1/opinion-alerts/").json()
    assert [a["id"] for a in listed["results"]] == [alert.pk]
    assert client_as("other_district").get(f"/api/v1/opinion-alerts/{alert.pk}/").status_code == 404
    url = f"/api/v1/opinion-alerts/{alert.pk}/step/"
    bad = editor.post(url, {"step": "close"}, content_type="application/json")
    assert bad.status_code == 400 and "不能" in str(bad.json())
    assert officer.post(url, {"step": "assign", "unit": heping.pk}, content_type="application/json").status_code == 403
    for client, body in ((editor, {"step": "assign", "unit": heping.pk}), (officer, {"step": "acknowledge"}),
                         (officer, {"step": "answer", "response": "演出已改期，票款全额退还。"}),
                         (editor, {"step": "close"})):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.content
    detail = editor.get(f"/api/v1/opinion-alerts/{alert.pk}/").json()
    assert detail["state"] == "closed" and [s["transition"] for s in detail["steps"]] == [
        "raise", "assign", "acknowledge", "answer", "close"]
    notes = officer.get("/api/v1/opinion-notifications/").json()["results"]
    assert any(n["alert"] == alert.pk for n in notes)


def test_dashboard_figures_in_the_api(client_as, make_doc):
    make_doc("一条消息", keywords="消息 文化", sentiment="positive", score=0.8)
    data = client_as("city_admin").get("/api/v1/opinion-dashboard/?days=1").json()
    assert data["total"] == 1 and data["sentiment_totals"]["positive"] == 1
    assert data["keywords"][0]["count"] == 1
    assert client_as("enterprise_user").get("/api/v1/opinion-dashboard/").status_code == 403


def test_report_made_through_the_api(client_as):
    from wenzhi.core.documents import cjk_font_available

    if not cjk_font_available():
        pytest.skip("no CJK font for the PDF")
    r = client_as("media_editor").post("/api/v1/opinion-reports/make/", {
        "kind": "weekly", "period_start": timezone.localdate().isoformat()}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["title"].startswith("文化产业舆情周报") and r.json()["pdf_url"].endswith("/pdf/")
