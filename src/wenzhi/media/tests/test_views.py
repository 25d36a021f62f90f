"""Pages, API, the ingest command and the demo data."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from wenzhi.media.ingest import ingest_records
from wenzhi.media.models import Document, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(orgs):
    source = Source.objects.create(name="页面源", kind="file", district=orgs["heping"])
    ingest_records(source, [
        {"id": "1", "title": "和平区非遗展演<script>alert(1)</script>开幕", "text": "观众好评如潮，演出非常精彩。",
         "published_at": "2026-11-20T10:00:00+08:00"},
        {"id": "2", "title": "景区拥堵引发游客不满", "text": "排队太久，体验很差，非常失望。",
         "published_at": "2026-10-01T10:00:00+08:00"},
    ])
    return source


def test_list_filters_and_detail_escape_html(client_as, docs):
    c = client_as("media_editor")
    page = c.get(reverse("media:document_list"))
    assert page.status_code == 200 and "景区拥堵引发游客不满" in page.content.decode()
    negative = c.get(reverse("media:document_list"), {"sentiment": "negative"}).content.decode()
    assert "景区拥堵引发游客不满" in negative and "非遗展演" not in negative
    dated = c.get(reverse("media:document_list"), {"q": "非遗 展演", "published_from": "2026-11-01"}).content.decode()
    assert "非遗展演" in dated
    assert "非遗展演" not in c.get(reverse("media:document_list"),
                               {"q": "非遗 展演", "published_to": "2026-10-31"}).content.decode()
    doc = Document.objects.get(external_id="1")
    html = c.get(reverse("media:document_detail", args=[doc.pk])).content.decode()
    assert "<script>alert" not in html and "和平区非遗展演开幕" in html
    export = c.get(reverse("media:document_list"), {"export": "csv"})
    csv_text = b"".join(export.streaming_content).decode("utf-8-sig")  # read to the end: it streams from a cursor
    assert export.status_code == 200 and "景区拥堵引发游客不满" in csv_text


def test_api_lists_filters_and_search(client_as, docs):
    c = client_as("media_editor")
    body = c.get("/api/v1/documents/", {"sentiment": "negative"}).json()
    assert [r["external_id"] for r in body["results"]] == ["2"]
    body = c.get("/api/v1/documents/", {"q": "景区 拥堵", "published_from": "2026-09-01",
                                       "published_to": "2026-10-02"}).json()
    assert [r["external_id"] for r in body["results"]] == ["2"]
    doc = Document.objects.get(external_id="2")
    detail = c.get(f"/api/v1/documents/{doc.pk}/").json()
    assert detail["clean_text"] and detail["keywords"] and detail["sentiment"] == "negative"
    found = c.get("/api/v1/search", {"q": "景区 拥堵", "type": "document"}).json()
    assert [r["id"] for r in found["results"]] == [doc.pk]
    assert found["results"][0]["url"] == reverse("media:document_detail", args=[doc.pk])
    bad = c.get("/api/v1/documents/", {"sentiment": "angry"})
    assert bad.status_code == 400


def test_district_scope_on_pages_and_api(client_as, docs, orgs):
    doc = Document.objects.get(external_id="1")
    assert client_as("district_officer").get(f"/api/v1/documents/{doc.pk}/").status_code == 200
    assert client_as("other_district").get(f"/api/v1/documents/{doc.pk}/").status_code == 404
    assert client_as("other_district").get("/api/v1/documents/").json()["count"] == 0
    found = client_as("other_district").get("/api/v1/search", {"q": "景区", "type": "document"}).json()
    assert found["results"] == []


def test_partner_push_and_upload(client_as, docs):
    c = client_as("media_editor")
    url = reverse("media-source-push", args=[docs.pk])
    response = c.post(url, data=json.dumps({"records": [{"id": "p1", "title": "合作方推送的新闻标题", "text": "正文"},
                                                        {"id": "p2", "title": ""}]}),
                      content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["stored"] == 1 and body["rejected"] == 1 and "第 2 条" in body["errors"][0]
    assert Document.objects.filter(external_id="p1").exists()
    assert c.post(url, data="{}", content_type="application/json").status_code == 400
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("news.jsonl", '{"title": "上传的新闻标题", "text": "上传正文"}\n'.encode())
    page = c.post(reverse("media:source_upload", args=[docs.pk]), {"file": upload})
    assert page.status_code == 200 and "上传的新闻标题" in "".join(Document.objects.values_list("title", flat=True))
    bad = c.post(reverse("media:source_upload", args=[docs.pk]),
                 {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400 and "只支持" in bad.content.decode()


def test_source_form_checks_and_saves(client_as):
    c = client_as("media_editor")
    bad = c.post(reverse("media:source_create"), {"name": "网页源", "kind": "html", "url": "",
                                                  "interval_minutes": 30, "max_bytes": 1000, "timeout_seconds": 10,
                                                  "max_redirects": 3, "max_items": 100, "selectors_text": "{bad"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "必须填写地址" in text and "不是有效的 JSON" in text
    ok = c.post(reverse("media:source_create"), {"name": "网页源", "kind": "html", "url": "https://h.example.cn/list",
                                                 "enabled": "on", "interval_minutes": 30, "max_bytes": 1000,
                                                 "timeout_seconds": 10, "max_redirects": 3, "max_items": 100,
                                                 "selectors_text": '{"item": "li"}'})
    assert ok.status_code == 302
    source = Source.objects.get(name="网页源")
    assert source.selectors == {"item": "li"}
    edit = c.get(reverse("media:source_edit", args=[source.pk])).content.decode()
    assert "li" in edit


def test_ingest_command_prints_count_and_rate(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(i), "title": f"命令行导入的第{i}条新闻标题", "text": "正文内容",
                                          "url": f"https://c.example.cn/{i}",
                                          "published_at": "2026-11-30T08:00:00Z"}, ensure_ascii=False)
                              for i in range(25)) + "\nnot json\n", encoding="utf-8")
    call_command("media", "ingest", str(path), "--source", "命令行源", "--jobs", "1", "--batch", "10")
    out = capsys.readouterr()
    assert "count=25 rate=" in out.out and "入库 25 条" in out.out and "无效 1 条" in out.out
    assert "第 26 条：不是对象" in out.err
    assert Document.objects.filter(source__name="命令行源").count() == 25


def test_demo_data_is_labelled_and_analysed(users):
    from wenzhi.media import demo

    result = demo.generate(scale=0.01)
    assert result["documents"] >= 60
    assert all("（演示）" in t for t in Document.objects.values_list("title", flat=True))
    assert Source.objects.filter(name__endswith="（演示）").count() == 6
    assert Document.objects.exclude(duplicate_group=None).exists()
    assert demo.generate(scale=0.01)["skipped"]


def test_demo_feeds_serve_rss_json_and_gbk():
    from wenzhi.media import demofeeds
    from wenzhi.media.feeds import parse_html_list, parse_json_feed, parse_xml_feed

    def payload(name):
        found = demofeeds.payload(demofeeds.PATHS[name])
        assert found is not None
        return found

    body, _ = payload("headlines")
    records, notes = parse_xml_feed(body)
    assert len(records) == demofeeds.WINDOW and not notes
    body, _ = payload("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    records, notes = parse_xml_feed(body)
    assert len(records) == demofeeds.WINDOW and "gb18030" in notes[0]
    body, _ = payload("reviews")
    assert len(parse_json_feed(body)[0]) == demofeeds.WINDOW
    body, _ = payload("html")
    assert len(parse_html_list(body, "http://127.0.0.1/", {"item": "li.news"})[0]) == demofeeds.WINDOW
