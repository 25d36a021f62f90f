import pytest

from wenzhi.nlp.dedup import NearDuplicateIndex, canonical_text, find_near_duplicates

HEAD = "央行宣布下调存款准备金率0.5个百分点 释放长期资金"


def test_edited_copy_found_and_different_headline_not():
    idx = NearDuplicateIndex(threshold=0.5)
    assert idx.add("a", HEAD) == []
    assert idx.add("b", "上证指数收涨1.2% 券商板块领涨两市") == []
    hits = idx.add("c", "【快讯】央行宣佈下調存款準備金率０.５個百分點，釋放長期資金")
    assert [h[0] for h in hits] == ["a"]
    assert hits[0][1] >= 0.5
    # same topic, different story: not a duplicate
    assert idx.add("d", "央行宣布上调存款利率0.25个百分点 今起执行") == []


def test_clause_swap_and_small_edits():
    idx = NearDuplicateIndex()
    idx.add(1, "天津举办国际动漫节，吸引十万观众")
    assert [h[0] for h in idx.add(2, "转：吸引十万观众 天津举办国际动漫节")] == [1]
    assert {h[0] for h in idx.add(3, "天津举办国际动漫节 吸引近十万名观众(组图)")} == {1, 2}


def test_canonical_text():
    assert canonical_text("【快讯】转：ＡＢＣ 臺灣，電視！(组图)") == "abc台湾电视"


def test_duplicate_id_and_empty_text():
    idx = NearDuplicateIndex()
    assert idx.add("x", "！！！") == []  # nothing left after canonicalisation: never matches
    assert idx.add("y", "！！！") == []
    with pytest.raises(KeyError):
        idx.add("x", "别的")
    with pytest.raises(ValueError):
        NearDuplicateIndex(threshold=0)


def test_find_near_duplicates_groups():
    items = [
        ("1", HEAD),
        ("2", "大连举办国际服装节"),
        ("3", "转发:" + HEAD),
        ("4", HEAD.replace("释放", "将释放")),
    ]
    res = find_near_duplicates(items)
    assert res["groups"] == [["1", "3", "4"]]
    assert {(a, b) for a, b, _ in res["pairs"]} >= {("3", "1"), ("4", "1")}


def test_precision_recall_on_edited_thucnews(thucnews_dev):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "bench"))
    import nlp_text

    items = nlp_text.build_dedup_set("report")[:2500]
    m = nlp_text.eval_dedup(items, 0.5)
    assert m["precision"] >= 0.98
    assert m["recall"] >= 0.95
