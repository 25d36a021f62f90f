"""Near-duplicate applications: re-applications under another name are found, different projects are not."""

from __future__ import annotations

from wenzhi.projects.duplicates import DuplicateIndex, fingerprint, matched_passages, similarity

A = ("津门数字文化产业园项目位于天津市河西区,计划总投资12000万元。项目建设数字内容制作中心和沉浸式展演空间,"
     "引入虚拟制作技术服务本地影视企业。项目依托人工智能开展非遗数字化采集与展示。建成后预计年营业收入4000万元。")
# renamed, moved district, sentences reordered, figures changed
A2 = ("海河智慧文创园项目依托人工智能开展非遗数字化采集与展示。项目位于天津市南开区,计划总投资13500万元。"
      "项目建设数字内容制作中心和沉浸式展演空间,引入虚拟制作技术服务本地影视企业。建成后预计年营业收入4500万元。")
B = ("杨柳青年画传承工坊建设木版年画展示馆和体验教室,开发年画衍生品和研学课程,与中小学合作开展传统文化教育,"
     "计划培训传承人50名。")


def test_reapplication_found_other_project_not():
    idx = DuplicateIndex()
    idx.add("a", A)
    idx.add("b", B)
    matches = idx.check(A2)
    assert [m.key for m in matches] == ["a"]
    assert matches[0].similarity >= 0.5
    assert idx.check("天津市滨海新区电竞产业中心建设赛事场馆和直播基地,举办国际电竞赛事,培育本地战队。") == []


def test_exact_copy_after_punctuation_and_traditional_change():
    idx = DuplicateIndex()
    idx.add(1, A)
    trad = A.replace("数字", "數字").replace("。", ". ")
    assert idx.check(trad)[0].key == 1


def test_exclude_drops_candidates():
    idx = DuplicateIndex()
    idx.add("self", A)
    assert idx.check(A2, exclude=lambda k: k == "self") == []


def test_fingerprint_is_stable_and_fits_bigint():
    f1, f2 = fingerprint(A), fingerprint(A)
    assert f1 == f2
    assert all(0 <= k < 2**63 for k in f1.keys)
    assert fingerprint("。。!!").keys == ()
    assert similarity(f1.canonical, fingerprint(A2).canonical) > 0.5


def test_passages_side_by_side_in_new_text_order():
    ps = matched_passages(A2, A)
    assert ps[0].new.startswith("海河智慧文创园项目依托人工智能")
    assert "依托人工智能" in ps[0].old
    assert any("虚拟制作" in p.new and "虚拟制作" in p.old for p in ps)
    assert matched_passages(B, A) == []
