"""Ranked document search scores only the newest matches: the same order as full ranking when there are fewer
matches than the cap, the newest ones (ranked among themselves) when there are more; on both engines."""

from __future__ import annotations

import pytest

from wenzhi.media.ingest import ingest_records

pytestmark = pytest.mark.django_db(transaction=False)


def rec(i, title, text=""):
    return {"id": str(i), "title": title, "text": text, "url": f"https://n.example.cn/{i}",
            "published_at": "2026-11-30T08:00:00+08:00"}


@pytest.fixture
def stored(source):
    # Title matches outrank text-only matches; ingested one by one, so index order is arrival order.
    records = [
        rec(1, "天津博物馆特展开幕", "文物两百件"),
        rec(2, "城市新闻简讯", "天津博物馆今日闭馆维护"),
        rec(3, "天津博物馆夜场开放", "夜间参观"),
        rec(4, "周末活动一览", "天津博物馆讲座报名"),
        rec(5, "区县动态", "天津博物馆志愿者招募"),
    ]
    for r in records:
        ingest_records(source, [r])
    return records


def test_with_few_matches_the_cap_changes_nothing(stored, users):
    from wenzhi.media.search import search_documents

    editor = users["media_editor"]
    capped = search_documents(editor, "天津 博物馆", rank_newest=1000)
    full = search_documents(editor, "天津 博物馆", rank_newest=None)
    assert [r["object_id"] for r in capped] == [r["object_id"] for r in full]
    assert len(full) == 5
    assert {full[0]["title"], full[1]["title"]} == {"天津博物馆特展开幕", "天津博物馆夜场开放"}


def test_over_the_cap_only_the_newest_matches_are_ranked(stored, users):
    from wenzhi.media.models import Document
    from wenzhi.media.search import search_documents

    editor = users["media_editor"]
    capped = search_documents(editor, "天津 博物馆", rank_newest=3)
    ids = {d.external_id: d.pk for d in Document.objects.all()}
    # the newest three are 3, 4, 5: the title match (3) first, the oldest title match (1) left out
    assert [r["object_id"] for r in capped][0] == ids["3"]
    assert {r["object_id"] for r in capped} == {ids["3"], ids["4"], ids["5"]}
    assert [r["object_id"] for r in search_documents(editor, "天津 博物馆", rank_newest=3, limit=2, offset=2)] \
        == [r["object_id"] for r in capped][2:]


def test_the_platform_search_ranks_documents_within_the_cap(stored, users, monkeypatch):
    from wenzhi.core.search import service
    from wenzhi.core.search.catalogue import get_type

    assert get_type("document").rank_newest == 1000
    calls = []
    real = service.backend

    def spy(*args, **kwargs):
        engine = real(*args, **kwargs)
        search = engine.search

        def recorded(*a, **kw):
            calls.append(kw.get("newest"))
            return search(*a, **kw)

        monkeypatch.setattr(engine, "search", recorded)
        return engine

    monkeypatch.setattr(service, "backend", spy)
    hits = service.search(users["media_editor"], "天津 博物馆", type_keys=["document"]).hits
    assert len(hits) == 5 and calls == [1000]
    service.search(users["media_editor"], "天津 博物馆")
    assert calls[-1] is None  # other types rank every match


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_a_deleted_document_leaves_the_index(source, users, how):
    from django.db import connection

    from wenzhi.core.search.models import SearchEntry
    from wenzhi.media.models import Document
    from wenzhi.media.search import search_documents

    ingest_records(source, [rec(1, "天津博物馆特展开幕", "文物两百件"), rec(2, "天津博物馆夜场开放", "夜间参观")])
    editor = users["media_editor"]
    gone = Document.objects.get(external_id="1")
    if how == "instance":
        gone.delete()
    else:
        Document.objects.filter(pk=gone.pk).delete()
    assert not SearchEntry.objects.filter(type="document", object_id=gone.pk).exists()
    assert [r["title"] for r in search_documents(editor, "天津 博物馆")] == ["天津博物馆夜场开放"]
    assert search_documents(editor, "文物") == []
    if connection.vendor == "sqlite":  # the full-text table itself holds no row for it (searches join it away)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_search_fts WHERE core_search_fts MATCH '\"文物\"'")
            assert cursor.fetchone()[0] == 0


def test_a_word_the_engine_splits_is_found(source, users):
    # covid-19 is one word to the segmenter and two tokens to the full-text engines (SQLite keeps no positions;
    # PostgreSQL's parser makes it covid and -19)
    from wenzhi.media.search import search_documents

    ingest_records(source, [rec(1, "covid-19 展览闭幕", "博物馆"), rec(2, "covid 展览", "19 件展品")])
    titles = [r["title"] for r in search_documents(users["media_editor"], "covid-19")]
    assert "covid-19 展览闭幕" in titles
    assert search_documents(users["media_editor"], "covid-1")  # the last part is still a prefix


def _segment_delete_plan(cursor) -> str:
    # FTS5 runs this after every segment merge to drop the merged segments' pages.
    cursor.execute("EXPLAIN QUERY PLAN DELETE FROM core_search_fts_data WHERE id >= 1 AND id <= 2")
    return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_full_text_merges_delete_by_rowid_without_stale_statistics():
    """A statistic taken while the index was new (2 rows) made SQLite scan the whole index on every merge, so
    ingestion slowed as the index grew; core/0009 removes such statistics once, and ``wenzhi serve`` removes them
    again at start and every few minutes (a serve check), should a later ANALYZE take them."""
    from django.db import connection

    from wenzhi.core import hooks
    from wenzhi.core.search.backends import forget_fts_statistics

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's full-text table")
    assert forget_fts_statistics in hooks.serve_checks()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_schema")  # make sure sqlite_stat1 exists
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl LIKE 'core_search_fts_%'")
        assert cursor.fetchone()[0] == 0
        assert "INTEGER PRIMARY KEY" in _segment_delete_plan(cursor)
        cursor.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('core_search_fts_data', NULL, '2')")
        cursor.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('core_search_entry', NULL, '7')")
        cursor.execute("ANALYZE sqlite_schema")
        assert "INTEGER PRIMARY KEY" not in _segment_delete_plan(cursor)  # the slow plan the statistic gave

    assert forget_fts_statistics() == 1
    assert forget_fts_statistics() == 0
    connection.close()  # a connection keeps the row estimates it has loaded; the next one reads them again
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'core_search_entry'")
        assert cursor.fetchone()[0] == 1  # other tables keep their statistics
        assert "INTEGER PRIMARY KEY" in _segment_delete_plan(cursor)
