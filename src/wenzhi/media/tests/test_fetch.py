"""Fetching sources from a local server (no internet): every feed kind and the Bad input list, each visible in
the source's health, none crashing, nothing lost."""

from __future__ import annotations

import pytest

from wenzhi.media.feeds import FeedError, parse_upload, parse_xml_feed
from wenzhi.media.fetch import fetch_source
from wenzhi.media.models import Document, Source

pytestmark = pytest.mark.django_db


def make(url, kind="rss", **kw):
    return Source.objects.create(name=kw.pop("name", url[-20:]), kind=kind, url=url, **kw)


def test_rss_items_are_ingested_with_scripts_removed(feed_server):
    source = make(feed_server + "/rss")
    log = fetch_source(source)
    assert log.outcome == "ok" and log.items == 2 and log.new_documents == 2
    doc = Document.objects.get(guid="g-1")
    assert doc.title == "天津动漫产业有限公司发布原创动画新作"
    assert "好评如潮" in doc.text and "alert" not in doc.text and "<" not in doc.text
    assert doc.url_normalised == "http://news.example.cn/a/1"
    source.refresh_from_db()
    assert source.last_success_at and source.consecutive_failures == 0 and source.items_total == 2
    assert source.next_fetch_at > source.last_success_at
    # fetched again: the same items are grouped as duplicates, not lost and not new
    again = fetch_source(source)
    assert (again.new_documents, again.duplicates) == (0, 2)
    assert Document.objects.count() == 4


def test_atom_json_and_html_lists(feed_server):
    assert fetch_source(make(feed_server + "/atom", name="atom")).new_documents == 1
    assert Document.objects.get(guid="urn:1").url == "https://atom.example.cn/1"
    json_source = make(feed_server + "/json", kind="json", name="json", selectors={"items": "data.list"})
    assert fetch_source(json_source).new_documents == 1
    doc = Document.objects.get(external_id="7")
    assert doc.title == "红桥区非遗工坊带动就业" and doc.text == "工坊吸纳百余人就业"
    html_source = make(feed_server + "/html", kind="html", name="html", selectors={
        "item": "li.news", "title": "a", "link": "a", "date": ".time", "text": ".summary"})
    log = fetch_source(html_source)
    assert log.new_documents == 2, log.error
    first = Document.objects.get(title="古文化街非遗展演吸引市民观看")
    assert first.url == feed_server + "/n/1" and "steal" not in first.text


def test_jsonl_feed_reports_the_bad_line_and_keeps_the_others(feed_server):
    source = make(feed_server + "/jsonl", kind="json", name="jsonl")
    log = fetch_source(source)
    assert log.outcome == "ok" and log.new_documents == 2 and log.rejected == 1
    assert "第 2 行不是有效的 JSON" in log.error
    source.refresh_from_db()
    assert "第 2 行" in source.last_error


def test_gbk_without_a_header_and_a_wrong_encoding_header(feed_server):
    log = fetch_source(make(feed_server + "/gbk", name="gbk"))
    assert log.new_documents == 1 and "gb18030" in log.error
    assert Document.objects.filter(title="河西区图书馆阅读推广活动覆盖万余人次").exists()
    log = fetch_source(make(feed_server + "/gbk-said-utf8", name="gbk2"))
    assert log.outcome == "ok" and "与内容不符" in log.error
    assert Document.objects.filter(title="河西区图书馆阅读推广活动覆盖万余人次").count() == 2
    log = fetch_source(make(feed_server + "/wrong-header", name="big5"))
    assert log.outcome == "ok" and log.items == 2
    assert Document.objects.filter(title="五大道文化旅游节开幕").exists()  # not garbled as big5


def test_malformed_xml_is_reported_and_what_can_be_read_is_kept(feed_server):
    source = make(feed_server + "/broken", name="broken")
    log = fetch_source(source)
    assert log.outcome == "ok" and "XML 格式错误" in log.error
    assert Document.objects.filter(title="新闻").exists()
    with pytest.raises(FeedError):
        parse_xml_feed(b"<html><body>hello</body></html>")


@pytest.mark.parametrize(("path", "limits", "message"), [
    ("/huge", {"max_bytes": 1024 * 1024}, "响应过大"),
    ("/loop", {"max_redirects": 3}, "重定向过多"),
    ("/slow", {"timeout_seconds": 1}, "超时"),
    ("/missing", {}, "HTTP 404"),
    ("/notfeed", {}, "不是 RSS/Atom"),
])
def test_failures_go_to_health_with_backoff(feed_server, path, limits, message):
    source = make(feed_server + path, name=path, interval_minutes=10, **limits)
    log = fetch_source(source)
    assert log.outcome == "error" and message in log.error
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and message in source.last_error and source.in_backoff
    first_backoff = source.backoff_until
    skipped = fetch_source(source)
    assert skipped.outcome == "skipped"
    fetch_source(source, force=True)
    source.refresh_from_db()
    assert source.consecutive_failures == 2 and source.backoff_until > first_backoff


def test_unreachable_source(db):
    source = make("http://127.0.0.1:9/feed", name="down", timeout_seconds=2)
    log = fetch_source(source)
    assert log.outcome == "error" and "无法连接" in log.error


def test_xml_entities_are_not_expanded():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY ext SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&b;&ext;</title></item>'
            b'</channel></rss>')
    records, _notes = parse_xml_feed(bomb)
    assert "aaaaaaaaaa" not in records[0]["title"] and "root:" not in records[0]["title"]


def test_uploads_csv_xlsx_and_bad_files():
    import io

    from openpyxl import Workbook

    rows, notes = parse_upload("a.csv", "title,text,url\n标题一,正文,https://u.example.cn/1\n".encode("gbk"))
    assert rows[0]["title"] == "标题一" and notes
    wb = Workbook()
    ws = wb.active
    ws.append(["标题", "正文", "发布时间"])
    ws.append(["表格标题", "表格正文", "2026-12-01"])
    buf = io.BytesIO()
    wb.save(buf)
    rows, _ = parse_upload("a.xlsx", buf.getvalue())
    assert rows == [{"title": "表格标题", "text": "表格正文", "published_at": "2026-12-01"}]
    with pytest.raises(FeedError):
        parse_upload("a.xlsx", b"not a zip")
    with pytest.raises(FeedError):
        parse_upload("a.exe", b"MZ")
