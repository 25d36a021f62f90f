"""Batch work gives the per-document results: analysis of a batch equals analysis of each document alone, and
the bulk writer stores what the ORM would (ids after every id ever used, columns, search entries)."""

from __future__ import annotations

import pytest

from wenzhi.media import analysis, corpus
from wenzhi.media.ingest import ingest_records
from wenzhi.media.models import Document, DocumentEnterprise

pytestmark = pytest.mark.django_db(transaction=False)

FLOATS = ("sentiment_score", "culture_relevance")


def _records(n: int) -> list[dict]:
    return list(corpus.replay(n, start=1234, source="batch"))


def test_a_batch_is_analysed_as_each_document_alone(orgs):
    from wenzhi.registry.tests.factories import EnterpriseFactory

    EnterpriseFactory(name="天津星河动漫科技有限公司", district=orgs["binhai"])
    analysis.linker_cache.reset()
    records = _records(40)
    records[3]["title"] = "天津星河动漫科技有限公司发布原创动画"  # a registry link and a district
    records[5]["text"] = ""  # a title without text
    titles, texts = [r["title"] for r in records], [r["text"] for r in records]
    batch = analysis.analyse(titles, texts)
    assert batch[3].links and batch[3].district_id == orgs["binhai"].pk
    for title, text, together in zip(titles, texts, batch, strict=True):
        (alone,) = analysis.analyse([title], [text])
        for name, value in vars(alone).items():
            if name in FLOATS:
                assert getattr(together, name) == pytest.approx(value, abs=2e-4), (title, name)
            else:
                assert getattr(together, name) == value, (title, name)
    assert len({a.topic for a in batch}) > 1 and len({a.sentiment for a in batch}) > 1  # not one constant


def test_bulk_written_documents_read_back_like_the_orm_wrote_them(source, orgs):
    from wenzhi.core.search.models import SearchEntry
    from wenzhi.registry.tests.factories import EnterpriseFactory

    ent = EnterpriseFactory(name="天津星河动漫科技有限公司", district=orgs["binhai"])
    analysis.linker_cache.reset()
    records = _records(30)
    records[0]["title"] = "天津星河动漫科技有限公司发布原创动画"
    ingest_records(source, records[:20])
    last_id = Document.objects.order_by("-pk").values_list("pk", flat=True)[0]
    Document.objects.filter(pk=last_id).delete()  # an id once used is never given again
    result = ingest_records(source, records[20:])
    assert result.stored == 10 and min(result.document_ids) > last_id
    docs = list(Document.objects.order_by("pk"))
    assert len(docs) == 29 and len({d.pk for d in docs}) == 29
    first = docs[0]
    assert first.external_id == records[0]["id"] and first.title == records[0]["title"]
    assert first.published_at.isoformat() == records[0]["published_at"]
    assert first.fetched_at and first.analysed_at and first.simhash is not None and first.is_culture in (True, False)
    assert first.district_id == orgs["binhai"].pk
    assert DocumentEnterprise.objects.get().enterprise_id == ent.pk
    entries = SearchEntry.objects.filter(type="document")
    assert sorted(entries.filter(object_id__in=[d.pk for d in docs]).values_list("object_id", flat=True)) == [
        d.pk for d in docs]
    entry = entries.get(object_id=first.pk)
    assert entry.title == first.title and "星河" in entry.title_tokens and entry.district_id == orgs["binhai"].pk


def test_repost_marks_do_not_move_the_simhash():
    title, text = "天津博物馆特展开幕 文物精品首次亮相", "特展展出文物两百件，观众排起长队，讲解员很专业。"
    plain, marked, other_mark, edited = analysis.analyse(
        [title, title, "【快讯】" + title, title], [text, "【转载】" + text, "转：" + text, "转载过来的" + text])
    assert plain.simhash == marked.simhash == other_mark.simhash
    assert edited.simhash != plain.simhash  # only marks are left out, not words
