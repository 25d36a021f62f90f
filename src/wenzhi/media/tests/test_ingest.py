"""Ingestion: cleaning, analysis, the dedup rules (grouped, never dropped), links, search and the signal."""

from __future__ import annotations

import datetime as dt

import pytest

from wenzhi.media.ingest import ingest_records
from wenzhi.media.models import Document, DocumentEnterprise, DuplicateGroup, Source
from wenzhi.media.signals import documents_stored

pytestmark = pytest.mark.django_db(transaction=False)


def rec(i, title, text="", **kw):
    return {"id": str(i), "title": title, "text": text, "url": kw.pop("url", f"https://n.example.cn/{i}"),
            "published_at": kw.pop("published_at", "2026-11-30T08:00:00+08:00"), **kw}


def test_documents_are_stored_analysed_and_cleaned(source):
    result = ingest_records(source, [
        rec(1, "<b>天津大剧院</b>新演出季票房走高", "<p>观众好评如潮<script>alert('x')</script></p>&amp;座无虚席"),
        rec(2, "部分景区节假日拥堵引发游客不满", "排队时间太长，体验很差，服务混乱，非常失望。"),
    ])
    assert (result.stored, result.new, result.duplicates, result.rejected) == (2, 2, 0, 0)
    first = Document.objects.get(external_id="1")
    assert first.title == "天津大剧院新演出季票房走高"
    assert "script" not in first.text and "alert" not in first.text and "&amp;" not in first.text
    assert "座无虚席" in first.clean_text
    assert first.keywords and first.topic and first.simhash is not None and first.analysed_at
    assert first.sentiment in ("positive", "neutral", "negative")
    bad = Document.objects.get(external_id="2")
    assert bad.sentiment == "negative" and (bad.sentiment_score or 1) < 0.35
    assert first.guid == "测试源:1"


def test_bad_records_are_reported_by_number_and_field_and_the_rest_is_stored(source):
    result = ingest_records(source, [
        rec(1, "正常的一条新闻标题", "正文"),
        {"id": "2", "title": "", "text": ""},
        rec(3, "链接不对", url="javascript:alert(1)"),
        rec(4, "时间不对", published_at="明天下午"),
        "不是对象",
        {"title": ["列表"]},
    ])
    assert result.stored == 1 and result.rejected == 5
    joined = "\n".join(result.errors)
    assert "第 2 条：标题（title）和正文（text）都为空" in joined
    assert "第 3 条：链接（url）" in joined
    assert "第 4 条：发布时间（published_at）无法识别" in joined
    assert "第 5 条：不是对象" in joined
    assert "第 6 条：字段 title 应为文本" in joined


BODY = ("本次论坛以数字赋能文化产业为主题，吸引了两百余家文化科技企业参加，与会嘉宾围绕数字内容生产、沉浸式体验、"
        "文旅融合和版权保护等议题展开交流，现场签约项目十二个，总投资额超过三十亿元，多家园区发布了招商政策。")


def test_dedup_rules_group_duplicates_and_drop_nothing(source):
    other = Source.objects.create(name="另一源", kind="file")
    ingest_records(source, [rec(1, "滨海新区举办数字文化创意论坛", BODY,
                                url="https://www.n.example.cn/a?id=5&utm_source=wx")])
    # the same URL (normalised: www, tracking parameter, parameter order, https)
    ingest_records(other, [rec(2, "完全不同的标题一", "另一段正文内容", url="http://n.example.cn/a/?id=5")])
    # the same GUID
    ingest_records(other, [rec(3, "完全不同的标题二", "又一段正文", url="https://x.example.cn/3", guid="测试源:1")])
    # the same title on the same day (prefix and punctuation ignored)
    ingest_records(other, [rec(4, "【快讯】滨海新区举办数字文化创意论坛！", "别的正文", url="https://y.example.cn/4")])
    # near-identical text
    ingest_records(other, [rec(5, "滨海新区举行数字文化创意论坛", "转载：" + BODY,
                               url="https://z.example.cn/5")])
    # the same title on another day is a new story
    ingest_records(other, [rec(6, "滨海新区举办数字文化创意论坛", "全新的一届论坛今天开幕了", url="https://w.example.cn/6",
                               published_at="2027-01-05T08:00:00+08:00")])
    docs = {d.external_id: d for d in Document.objects.all()}
    assert len(docs) == 6
    reasons = {k: d.duplicate_reason for k, d in docs.items()}
    assert reasons == {"1": "", "2": "url", "3": "guid", "4": "title", "5": "near", "6": ""}
    group = DuplicateGroup.objects.get()
    assert group.representative_id == docs["1"].pk and group.size == 5
    assert {d.duplicate_group_id for k, d in docs.items() if k != "6"} == {group.pk}
    assert docs["6"].duplicate_group_id is None


def test_a_rolled_back_batch_is_never_named_as_the_earlier_document(source):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():  # e.g. an enclosing upload that failed later
        ingest_records(source, [rec(1, "滨海新区举办数字文化创意论坛", BODY, url="https://a.example.cn/1")])
        raise RuntimeError
    result = ingest_records(source, [rec(2, "滨海新区举行数字文化创意论坛", "转载：" + BODY, url="https://b.example.cn/2")])
    assert (result.stored, result.duplicates) == (1, 0)
    assert Document.objects.get().duplicate_group_id is None and not DuplicateGroup.objects.exists()


def test_the_same_item_from_ten_sources_is_one_group_of_ten(db):
    sources = [Source.objects.create(name=f"源{i}", kind="file") for i in range(10)]
    for s in sources:
        ingest_records(s, [rec(1, "天津市文化产业重点项目清单公布", "清单共收录项目一百二十个", url="https://gov.example.cn/x")])
    assert Document.objects.count() == 10
    group = DuplicateGroup.objects.get()
    assert group.size == 10 and group.documents.count() == 10


def test_duplicates_within_one_batch_are_grouped(source):
    result = ingest_records(source, [rec(i, "河西区图书馆阅读推广活动覆盖万余人次", "活动覆盖万余人次读者", url="https://s.example.cn/same")
                                     for i in range(3)])
    assert result.stored == 3 and result.duplicates == 2
    group = DuplicateGroup.objects.get()
    assert group.size == 3 and group.representative.external_id == "0"


def test_registry_entities_and_district_are_linked(source, orgs):
    from wenzhi.registry.tests.factories import EnterpriseFactory

    ent = EnterpriseFactory(name="天津星河动漫科技有限公司", district=orgs["binhai"])
    ingest_records(source, [rec(1, "天津星河动漫科技有限公司发布原创动画", "作品获得好评")])
    doc = Document.objects.get()
    link = DocumentEnterprise.objects.get(document=doc)
    assert link.enterprise_id == ent.pk and link.confidence >= 0.9
    assert doc.district_id == orgs["binhai"].pk
    assert list(doc.enterprises.all()) == [ent]


def test_signal_is_sent_after_commit_with_the_batch_ids(source, django_capture_on_commit_callbacks):
    got = []

    def listener(sender, document_ids, **kwargs):
        got.append((list(document_ids), kwargs.get("source_id")))

    documents_stored.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ingest_records(source, [rec(1, "第一条新闻标题内容", "正文一"), rec(2, "第二条新闻标题内容", "正文二")])
        assert got == []  # nothing before the commit
        for cb in callbacks:
            cb()
    finally:
        documents_stored.disconnect(listener)
    ids = sorted(Document.objects.values_list("pk", flat=True))
    assert got == [(ids, source.pk)]


def test_documents_are_searchable_with_a_date_range(source, users):
    from wenzhi.media.search import search_documents

    ingest_records(source, [
        rec(1, "天津博物馆特展开幕 文物精品首次亮相", "特展展出文物两百件", published_at="2026-11-02T10:00:00+08:00"),
        rec(2, "天津博物馆新展预告", "下月开幕", published_at="2026-10-15T10:00:00+08:00"),
    ])
    editor = users["media_editor"]
    everything = search_documents(editor, "天津 博物馆")
    assert len(everything) == 2
    november = search_documents(editor, "天津 博物馆", start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert [r["title"] for r in november] == ["天津博物馆特展开幕 文物精品首次亮相"]
    assert search_documents(editor, "天津 博物馆", start=dt.date(2026, 12, 1), end=None) == []
    # whole year + month + days
    wide = search_documents(editor, "博物馆", start=dt.date(2025, 1, 1), end=dt.date(2026, 11, 3))
    assert len(wide) == 2


def test_district_officers_find_only_their_districts_documents(source, users, orgs):
    from wenzhi.media.search import search_documents
    from wenzhi.media.selectors import documents_for

    heping_source = Source.objects.create(name="和平源", kind="file", district=orgs["heping"])
    ingest_records(heping_source, [rec(1, "和平区打造历史文化街区夜间消费新场景", "夜间消费")])
    ingest_records(source, [rec(2, "历史文化街区夜间消费调查", "调查显示")])
    officer, other = users["district_officer"], users["other_district"]
    assert [d.external_id for d in documents_for(officer)] == ["1"]
    assert documents_for(other).count() == 0
    assert documents_for(users["media_editor"]).count() == 2
    assert documents_for(users["enterprise_user"]).count() == 0
    assert len(search_documents(officer, "夜间消费")) == 1
    assert search_documents(other, "夜间消费") == []
    assert len(search_documents(users["media_editor"], "夜间消费")) == 2


def test_date_tokens_cover_exactly_the_range():
    from wenzhi.media.search import date_tokens

    assert date_tokens(None, None) is None
    assert date_tokens(dt.date(2026, 3, 5), dt.date(2026, 3, 4)) == []
    assert date_tokens(dt.date(2026, 1, 30), dt.date(2026, 3, 1)) == ["c20260130", "c20260131", "k202602",
                                                                      "c20260301"]
    assert date_tokens(dt.date(2024, 1, 1), dt.date(2025, 12, 31)) == ["y2024", "y2025"]
