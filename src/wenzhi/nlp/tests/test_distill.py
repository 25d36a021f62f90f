"""The distillation data path of tnews15 ``fast``: unlabelled texts, teacher labels, row weights."""

from __future__ import annotations

import numpy as np
import pytest

from wenzhi.nlp import train
from wenzhi.nlp import train_distill as D
from wenzhi.nlp.topic import SCHEMES

CLASSES = SCHEMES["tnews15"]


def test_unlabelled_headlines_drop_labels_repeats_and_labelled_texts(tmp_path):
    (tmp_path / "train").mkdir()
    a = tmp_path / "train" / "a.txt"
    a.write_text("中超联赛今晚开战\t7\n中超联赛今晚开战\t7\n\t3\n  \nＡＢＣ 股市大涨\t2\n", encoding="utf-8")
    b = tmp_path / "dev.txt"
    b.write_text("房价又涨了\t1\n没有标签的一行\n已标注的标题\t5\n", encoding="utf-8")
    heads = D.unlabelled_headlines([a, b], exclude={"已标注的标题"})
    assert heads == ["中超联赛今晚开战", "abc 股市大涨", "房价又涨了", "没有标签的一行"]


def test_headline_files_are_the_thucnews_training_files_then_dev(tmp_path):
    assert D.headline_files(None) == []
    assert D.headline_files(tmp_path) == []
    d = tmp_path / "THUCNews_titles"
    (d / "train").mkdir(parents=True)
    for name in ("b.txt", "a.txt", "dev.txt"):
        (d / ("train" if name != "dev.txt" else "") / name).write_text("x\t0\n", encoding="utf-8")
    assert [p.relative_to(d).as_posix() for p in D.headline_files(tmp_path)] == ["train/a.txt", "train/b.txt", "dev.txt"]


def test_pseudo_rows_take_the_teachers_most_likely_class_in_batches(monkeypatch):
    monkeypatch.setattr(D, "BATCH", 2)
    calls = []

    def proba(texts):
        calls.append(len(texts))
        p = np.full((len(texts), len(CLASSES)), 0.01)
        for i, t in enumerate(texts):
            p[i, len(t) % len(CLASSES)] = 0.9
        return p

    rows = D.pseudo_rows(["a", "bb", "ccc", "dddd", "eeeee"], proba, CLASSES)
    assert calls == [2, 2, 1]
    assert rows == [(t, CLASSES[len(t)], D.PSEUDO_DOMAIN) for t in ["a", "bb", "ccc", "dddd", "eeeee"]]


def test_sample_weights_only_for_teacher_rows():
    rows = [("a", "news_car", "tnews"), ("b", "news_car", D.PSEUDO_DOMAIN)]
    assert D.sample_weights(rows, {"distill": {"weight": 1.0}}) is None
    assert D.sample_weights(rows, {}) is None
    assert D.sample_weights(rows[:1], {"distill": {"weight": 2.0}}) is None
    assert D.sample_weights(rows, {"distill": {"weight": 2.0}}).tolist() == [1.0, 2.0]


def test_teacher_rows_weigh_in_the_fast_fit():
    """Teacher rows that contradict the labelled rows win at full weight and lose at a tiny one."""
    labelled = [(f"汽车{i}号新车上市", "news_car", "tnews") for i in range(4)]
    labelled += [(f"股市{i}号行情", "news_stock", "tnews") for i in range(4)]
    teacher = [(f"新车上市{i}号消息{j}", "news_stock", D.PSEUDO_DOMAIN) for i in range(10) for j in range(4)]
    cfg = dict(train.CONFIG[("topic", "tnews15", "fast")])

    def label(weight: float) -> str:
        fitted = train._fit(labelled + teacher, CLASSES, {**cfg, "distill": {"weight": weight}}, binary=False)
        return CLASSES[int(fitted.predict_proba_prepared(["新车上市"]).argmax())]

    assert label(1.0) == "news_stock"
    assert label(0.001) == "news_car"


def test_distillation_is_skipped_with_a_message_without_the_headlines(tmp_path, capsys):
    cfg = train.CONFIG[("topic", "tnews15", "fast")]
    assert cfg.get("distill")
    assert D.distill_texts(cfg, tmp_path, []) == ([], None)
    assert "distillation skipped" in capsys.readouterr().err
    assert D.distill_texts(train.CONFIG[("topic", "news10", "fast")], tmp_path, []) == ([], None)


def _shared_tree(root):
    (root / "THUCNews_titles" / "train").mkdir(parents=True)
    (root / "THUCNews_titles" / "train" / "a.txt").write_text("中超联赛今晚开战。\t7\n短\t1\n", encoding="utf-8")
    (root / "MSRA_NER").mkdir()
    sentence = "中国足协今天公布了新赛季的赛程。中超联赛今晚开战。太短。"
    (root / "MSRA_NER" / "dh_msra.txt").write_text(
        "".join(f"{c}\t{'B-ORG' if i == 0 else 'O'}\n" for i, c in enumerate(sentence)) + "\n", encoding="utf-8")
    (root / "weibo_senti").mkdir()
    (root / "weibo_senti" / "weibo_senti_100k_partial.csv").write_text(
        "label,review\n1,今天的演唱会太精彩了[哈哈]\n0,嗯\n1,已标注的一条微博文字\n1," + "长" * 81 + "\n",
        encoding="utf-8")


def test_unlabelled_texts_are_headlines_news_sentences_and_posts_without_their_labels(tmp_path):
    _shared_tree(tmp_path)
    texts, counts = D.unlabelled_texts(tmp_path, exclude={"已标注的一条微博文字"})
    # headlines whole (any length); a sentence already seen as a headline, a too short sentence or post, a too
    # long post and a labelled text are left out
    assert texts == ["中超联赛今晚开战。", "短", "中国足协今天公布了新赛季的赛程。", "今天的演唱会太精彩了[哈哈]"]
    assert counts == {"headlines": 2, "news sentences": 1, "microblog posts": 1}


def test_the_card_names_each_kind_of_unlabelled_text_and_its_file(tmp_path, capsys):
    _shared_tree(tmp_path)
    cfg = train.CONFIG[("topic", "tnews15", "fast")]
    texts, report = D.distill_texts(cfg, tmp_path, [("中超联赛今晚开战。", "news_sports", "tnews")])
    # the labelled text is left out of every kind (here a headline and a news sentence)
    assert len(texts) == 4 and report["texts"] == {"headlines": 1, "news sentences": 1, "microblog posts": 2}
    (line,) = D.card_lines(report)
    assert line.startswith("- plus 4 unlabelled texts")
    assert "1 news sentences from " in line and line.count("dh_msra.txt") == 1
    assert "2 microblog posts from " in line and "weibo_senti_100k_partial.csv" in line
    assert "distillation: 4 unlabelled texts" in capsys.readouterr().err


@pytest.mark.skipif(train.find_shared_data() is None, reason="shared/data/nlp corpora not found (set WENZHI_SHARED_DATA)")
def test_the_shared_unlabelled_texts_exclude_every_labelled_tnews_text():
    shared = train.find_shared_data()
    rows, _ = train.dedupe(train.default_topic_rows(shared, "tnews15", False))
    texts, counts = D.unlabelled_texts(shared, {r[0] for r in rows})
    assert counts["headlines"] > 50_000 and counts["news sentences"] > 20_000 and counts["microblog posts"] > 20_000
    assert len(set(texts)) == len(texts) == sum(counts.values())
    assert not set(texts) & {r[0] for r in rows}
