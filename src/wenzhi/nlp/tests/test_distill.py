"""The distillation data path of tnews15 ``fast``: unlabelled headlines, teacher labels, row weights."""

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
    assert train._distill_headlines(cfg, tmp_path, []) == []
    assert "distillation skipped" in capsys.readouterr().err
    assert train._distill_headlines(train.CONFIG[("topic", "news10", "fast")], tmp_path, []) == []


@pytest.mark.skipif(train.find_shared_data() is None, reason="shared/data/nlp corpora not found (set WENZHI_SHARED_DATA)")
def test_the_shared_headlines_exclude_every_labelled_tnews_text():
    shared = train.find_shared_data()
    rows, _ = train.dedupe(train.default_topic_rows(shared, "tnews15", False))
    heads = D.unlabelled_headlines(D.headline_files(shared), {r[0] for r in rows})
    assert len(heads) > 50_000
    assert len(set(heads)) == len(heads)
    assert not set(heads) & {r[0] for r in rows}
