"""Topic classification: obvious headlines in both schemes, probabilities, training on user data."""

from __future__ import annotations

from pathlib import Path

import pytest

from wenzhi.nlp import topic, train
from wenzhi.nlp.features import TextClassifier

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = train.find_shared_data()

NEWS10 = {
    "sports": "国足主场2比0战胜对手 晋级世界杯预选赛下一阶段",
    "stocks": "沪指放量大涨3% 券商股集体涨停",
    "realty": "北京二手房成交量回升 多个楼盘房价下调",
    "education": "2024年高考报名人数创新高 教育部部署考试安全",
    "game": "暴雪新作公布 魔兽世界新资料片玩家期待",
    "entertainment": "知名女星新片杀青 导演透露拍摄花絮",
}
TNEWS = {
    "news_sports": "梅西梅开二度，巴萨客场大胜",
    "news_car": "新款SUV上市，油耗和动力表现如何？",
    "news_military": "我国新型驱逐舰下水，海军实力再提升",
    "news_travel": "国庆去云南旅游，这几个景点一定要去",
}


def test_schemes_are_complete_and_ordered():
    assert topic.SCHEMES["news10"][:3] == ["finance", "realty", "stocks"]
    assert len(topic.SCHEMES["news10"]) == 10 and len(topic.SCHEMES["tnews15"]) == 15
    assert topic.SCHEMES["tnews15"][0] == "news_story" and topic.SCHEMES["tnews15"][-1] == "news_game"


@pytest.mark.parametrize("model", ["fast", "best"])
def test_obvious_news10_headlines(model):
    assert topic.predict_topic(list(NEWS10.values()), scheme="news10", model=model) == list(NEWS10)


@pytest.mark.parametrize("model", ["fast", "best"])
def test_obvious_tnews_headlines(model):
    assert topic.predict_topic(list(TNEWS.values()), scheme="tnews15", model=model) == list(TNEWS)


def test_probabilities_cover_the_scheme_and_agree_with_labels():
    texts = list(NEWS10.values())
    probs = topic.predict_topic_proba(texts, scheme="news10", model="fast")
    labels = topic.predict_topic(texts, scheme="news10", model="fast")
    for p, lab in zip(probs, labels, strict=True):
        assert list(p) == topic.SCHEMES["news10"]
        assert sum(p.values()) == pytest.approx(1.0, abs=1e-6)
        assert max(p, key=p.get) == lab


def test_empty_input_and_bad_arguments():
    assert topic.predict_topic([], scheme="tnews15", model="fast") == []
    assert topic.predict_topic([""], scheme="news10", model="fast")[0] in topic.SCHEMES["news10"]
    with pytest.raises(ValueError):
        topic.predict_topic(["x"], scheme="news99")
    with pytest.raises(ValueError):
        topic.predict_topic(["x"], scheme="news10", model="huge")


def test_train_topic_on_user_jsonl(tmp_path):
    report = train.train("topic", scheme="news10", model="fast", data=[FIXTURES / "models_topic_small.jsonl"],
                         out_dir=tmp_path)
    assert report["data"]["rows_used"] == 12  # every line appears twice in the fixture
    assert report["validation"]["n"] == 3
    assert (tmp_path / "chars.npz").exists() and (tmp_path / "MODEL_CARD.md").exists()
    model = TextClassifier(tmp_path)
    proba = model.predict_proba(["国足客场负于对手 出线形势严峻", "央行宣布降准0.5个百分点"])
    assert proba.shape == (2, 10)
    # classes absent from the user's data are never predicted
    assert {model.classes[i] for i in proba.argmax(axis=1)} <= {"sports", "finance", "game"}


def test_training_refuses_labels_outside_the_scheme(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "某某新闻", "label": "weather"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="outside scheme"):
        train.train("topic", scheme="news10", model="fast", data=[bad], out_dir=tmp_path / "m")



def test_training_prunes_to_the_kept_ngrams_with_the_largest_weights(tmp_path, monkeypatch):
    import numpy as np

    cfg = {"analyzer": "char13", "clf": "svm", "C": 1.0, "min_df": 1, "max_features": 1000, "keep": 100,
           "words": {"analyzer": "char13_word12", "clf": "nbsvm", "C": 0.1, "min_df": 1, "max_features": 1000},
           "weights": {"ngram": 0.5, "words": 0.5}, "temperature": {"ngram": 3.0, "words": 3.0}}
    monkeypatch.setitem(train.CONFIG, ("topic", "news10", "best"), cfg)
    small = FIXTURES / "models_topic_small.jsonl"
    train.train("topic", scheme="news10", model="best", data=[small], out_dir=tmp_path / "all", keep={"ngram": 0})
    train.train("topic", scheme="news10", model="best", data=[small], out_dir=tmp_path / "cut", keep={"words": 20})
    full, cut = TextClassifier(tmp_path / "all"), TextClassifier(tmp_path / "cut")
    assert len(cut.ngram.codes) == 100 < len(full.ngram.codes) and 20 == len(cut.words.terms) < len(full.words.terms)
    # the kept character n-grams are those of the unpruned fit with the largest max |weight|
    top = np.sort(np.argsort(-np.abs(full.ngram.coef).max(axis=1), kind="stable")[:100])
    assert np.array_equal(cut.ngram.codes, full.ngram.codes[top])


@pytest.mark.corpus
@pytest.mark.skipif(SHARED is None, reason="shared/data/nlp corpora not found (set WENZHI_SHARED_DATA)")
def test_tnews_extra_rows_map_only_clean_classes():
    rows = train.default_topic_rows(SHARED, "news10", extra_tnews=True)
    extra = [r for r in rows if r[2] == "tnews"]
    assert extra and {r[1] for r in extra} <= set(topic.SCHEMES["news10"]) - {"society", "politics"}
    assert sum(r[2] == "dev" for r in rows) == 10000


def test_nbsvm_words_part_trains_scores_and_round_trips(tmp_path, monkeypatch):
    # a best-style model with a second n-gram part (characters + words, NB-SVM) on the small fixture
    cfg = {"analyzer": "char13", "clf": "svm", "C": 1.0, "min_df": 1, "max_features": 1000,
           "words": {"analyzer": "char13_word12", "clf": "nbsvm", "C": 0.1, "min_df": 1, "max_features": 1000},
           "weights": {"ngram": 0.5, "words": 0.5}, "temperature": {"ngram": 3.0, "words": 3.0}}
    monkeypatch.setitem(train.CONFIG, ("topic", "news10", "best"), cfg)
    report = train.train("topic", scheme="news10", model="best", data=[FIXTURES / "models_topic_small.jsonl"],
                         out_dir=tmp_path)
    assert set(report["validation"]["parts"]) == {"ngram", "words"}
    assert (tmp_path / "words.npz").exists() and (tmp_path / "chars.npz").exists()
    model = TextClassifier(tmp_path)
    assert model.words is not None
    texts = ["国足客场负于对手 出线形势严峻", "央行宣布降准0.5个百分点"]
    proba = model.predict_proba(texts)
    assert proba.shape == (2, 10) and proba.sum(axis=1) == pytest.approx([1.0, 1.0])
    # the NB-SVM part alone: absent classes keep a -30 bias and are never its argmax
    words_only = model.words.decision_function([model_text for model_text in texts]).argmax(axis=1)
    assert {model.classes[i] for i in words_only} <= {"sports", "finance", "game"}


@pytest.mark.corpus
@pytest.mark.skipif(SHARED is None, reason="shared/data/nlp corpora not found (set WENZHI_SHARED_DATA)")
def test_news10_trains_on_the_training_files_and_validates_on_dev_only():
    rows, _ = train.dedupe(train.default_topic_rows(SHARED, "news10", extra_tnews=False))
    tr, va, _ = train._split(rows, "topic", 0.2, 0, None)
    assert len(va) > 9900 and {r[2] for r in va} == {"dev"}
    assert len(tr) > 90_000 and not {r[0] for r in tr} & {r[0] for r in va}


def test_model_cards_name_the_shared_data_as_the_readme_does():
    """Reports and cards name the corpora ``../shared/data/...``, never one machine's absolute path."""
    from wenzhi.nlp.train_data import find_shared_data, shown_source

    models = Path(__file__).resolve().parents[1] / "models"
    for path in [*models.glob("*/MODEL_CARD.md"), *models.glob("*/train_report.json")]:
        text = path.read_text(encoding="utf-8")
        assert "/shared/data/" not in text.replace("../shared/data/", ""), path
    shared = find_shared_data()
    if shared is not None and shared.parent.parent.name == "shared":
        assert shown_source(f"{shared / 'dev.txt'} (validation)") == "../shared/data/nlp/dev.txt (validation)"
