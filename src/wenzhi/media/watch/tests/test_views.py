"""The pages: the dashboard's charts drill down to exactly their documents, hot events cluster related stories,
the coverage tab shows on an enterprise's page, an alert is handled through its page, reports are made."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from wenzhi.media.watch import services
from wenzhi.media.watch.analytics import period_of_days
from wenzhi.media.watch.events import hot_events
from wenzhi.media.watch.models import Alert, OpinionReport

pytestmark = pytest.mark.django_db


def _chart(html: str, chart_id: str) -> dict:
    raw = re.search(rf'id="{chart_id}-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


def test_dashboard_points_drill_down_to_their_documents(client_as, make_doc, heping, hours_ago):
    make_doc("剧院新剧首演", keywords="剧院 首演", sentiment="positive", score=0.9, district=heping)
    make_doc("剧院退票纠纷", keywords="剧院 退票", sentiment="negative", score=0.1, published_at=hours_ago(30))
    make_doc("旧闻", keywords="旧闻", published_at=hours_ago(24 * 20))
    client = client_as("media_editor")
    html = client.get(reverse("watch:dashboard") + "?days=7").content.decode()
    volume = _chart(html, "watch-volume")
    points = [p for p in volume["series"][0]["data"] if p["value"]]
    assert sum(p["value"] for p in points) == 2
    for p in points:
        page = client.get(unescape(p["url"])).content.decode()
        assert re.search(r'data-testid="total">(\d+)<', page).group(1) == str(p["value"])
    keywords = _chart(html, "watch-keywords")["series"][0]["data"]
    theatre = next(k for k in keywords if "keyword=%E5%89%A7%E9%99%A2" in k["url"])
    assert theatre["value"] == 2
    negative = [p for p in _chart(html, "watch-sentiment")["series"][0]["data"] if p["value"]]
    assert len(negative) == 1 and "退票纠纷" in client.get(negative[0]["url"]).content.decode()
    district = _chart(html, "watch-entity-district")["series"][0]["data"]
    assert [d["value"] for d in district] == [1] and "新剧首演" in client.get(district[0]["url"]).content.decode()


def test_dashboard_scoped_for_a_district_officer(client_as, make_doc, heping, binhai):
    make_doc("和平区消息", district=heping)
    make_doc("滨海新区消息", district=binhai)
    page = client_as("district_officer").get(reverse("watch:documents")).content.decode()
    assert "和平区消息" in page and "滨海新区消息" not in page


def test_hot_events_cluster_related_stories(make_doc, hours_ago):
    for i in range(4):
        make_doc(f"天津大剧院新年音乐会门票开售{i}", keywords="大剧院 音乐会 门票 新年", published_at=hours_ago(i))
    for i in range(3):
        make_doc(f"海河文化节开幕 游客如织{i}", keywords="海河 文化节 开幕 游客", published_at=hours_ago(i + 1))
    make_doc("孤立消息", keywords="孤立")
    from wenzhi.media.models import Document

    events = hot_events(Document.objects.all(), period_of_days(2))
    assert [e.count for e in events] == [4, 3]
    assert events[0].title.startswith("天津大剧院新年音乐会") and "音乐会" in events[0].keywords
    assert sum(p["count"] for p in events[0].curve) == 4


def test_coverage_tab_on_the_enterprise_page(client_as, make_doc):
    from wenzhi.registry.tests.factories import EnterpriseFactory

    ent = EnterpriseFactory(name="天津覆盖测试文化有限公司")
    make_doc("覆盖测试公司获奖", enterprises=[ent], sentiment="positive", score=0.9)
    html = client_as("city_admin").get(reverse("registry:enterprise_detail", args=[ent.pk])).content.decode()
    assert 'data-testid="coverage"' in html and "覆盖测试公司获奖" in html
    assert f"entity=enterprise%3A{ent.pk}" in html


def test_alert_handled_through_its_page(client_as, users, make_doc, heping):
    services.rule_save(actor=users["media_editor"], data={"name": "安全", "kind": "keyword", "keywords": ["坍塌"]})
    (alert,) = services.alerts_evaluate(document_ids=[make_doc("展馆顶棚坍塌", district=heping).pk])
    editor, officer = client_as("media_editor"), client_as("district_officer")
    url = reverse("watch:alert_step", args=[alert.pk])
    assert "展馆顶棚坍塌" in officer.get(reverse("watch:alert_list")).content.decode()
    assert client_as("other_district").get(reverse("watch:alert_detail", args=[alert.pk])).status_code == 404
    editor.post(url, {"step": "assign", "unit": heping.pk, "assignee": users["district_officer"].pk})
    officer.post(url, {"step": "acknowledge"})
    response = officer.post(url, {"step": "answer", "response": ""}, follow=True)
    assert "请填写官方回应" in response.content.decode()
    officer.post(url, {"step": "answer", "response": "已组织排查，无人员受伤。"})
    editor.post(url, {"step": "close"})
    alert.refresh_from_db()
    assert alert.state == "closed" and alert.response == "已组织排查，无人员受伤。"
    assert "无人员受伤" in editor.get(reverse("watch:alert_detail", args=[alert.pk])).content.decode()
    assert "和平区" in editor.get(reverse("watch:figures")).content.decode()


def test_report_made_on_demand_and_downloaded(client_as, make_doc):
    from django.utils import timezone

    from wenzhi.core.documents import cjk_font_available

    if not cjk_font_available():
        pytest.skip("no CJK font for the PDF")
    make_doc("今日文化消息", keywords="文化 消息", sentiment="negative", score=0.2)
    client = client_as("media_editor")
    response = client.post(reverse("watch:report_make"), {"kind": "daily",
                                                          "period_start": timezone.localdate().isoformat()})
    assert response.status_code == 302
    report = OpinionReport.objects.get()
    assert report.figures["total"] == 1 and report.figures["sentiment_totals"]["negative"] == 1
    pdf = b"".join(client.get(reverse("watch:report_pdf", args=[report.pk])).streaming_content)
    assert pdf.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "本期监测到相关信息1篇" in text and "负面1篇（100.0%）" in text
    assert client_as("district_officer").post(reverse("watch:report_make"), {}).status_code == 403
    assert not Alert.objects.exists()
