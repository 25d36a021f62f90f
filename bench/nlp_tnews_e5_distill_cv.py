"""Cross-validation of tnews15 ``best`` with its e5 part distilled from a 12-layer teacher, training split only.

    WENZHI_E5_CACHE=/tmp/l4.npz:/tmp/l12.npz PYTHONPATH=src .venv/bin/python bench/nlp_tnews_e5_distill_cv.py \
        [--heads 20000] [--seeds 3] [--weight 1.0] [--labels teacher|mapped]

The 3,889 training rows of the trainer's split (the 972 held-out rows are never read) are cut into 5
stratified folds (seed 0). For each fold, from the fold's training rows only (keyword rows added to the
n-gram parts): ``best``'s char/word SVM and NB-SVM (from counts, as :mod:`wenzhi.nlp.train_folds` fits
them), five MLPs over e5's first 4 layers (the shipped e5 part) and five over all 12 (the teacher's).
The teacher (the same three-part average with the 12-layer MLPs) labels the first ``--heads`` of the
unlabelled THUCNews headlines in a fixed random order (:func:`train_distill.unlabelled_headlines`,
numpy's generator, permutation seed 0); the student — ``--seeds`` MLPs over 4-layer embeddings — is fitted on the
fold's training rows plus those headlines (weight ``--weight``; ``--labels mapped``: the headlines' own
THUCNews class where it maps one-to-one onto a TNEWS class, the others left out). Printed: each part's
out-of-fold accuracy and the three-part average (weights 0.2 / 0.3 / 0.5) with the shipped e5 part and
with the student, every text embedded and with ``e5_skip_above`` 0.6.

Embedding is the cost (4,861 + 20,000 texts at 12 layers, ~10 min of two cores): ``$WENZHI_E5_CACHE``
(files with ``texts``/``emb``/``layers``/``prefix`` keys, ``prefix`` "") skips it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from wenzhi.nlp import features as F
from wenzhi.nlp import train_distill as D
from wenzhi.nlp.topic import SCHEMES
from wenzhi.nlp.train_data import TNEWS_TO_NEWS10
from wenzhi.nlp.train_folds import _fit_part

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nlp_tnews_distill_cv import text_bank  # noqa: E402 - the bench beside this one

CLASSES = SCHEMES["tnews15"]
K = len(CLASSES)
W = {"ngram": 0.2, "words": 0.3, "e5": 0.5}


def _softmax(s: np.ndarray) -> np.ndarray:
    s = s - s.max(1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(1, keepdims=True)


def _mapped_labels(shared, heads: list[str]) -> np.ndarray:
    """Each headline's own THUCNews class as a TNEWS class index, -1 where it does not map."""
    inv = {v: CLASSES.index(k) for k, v in TNEWS_TO_NEWS10.items()}
    own: dict[str, int] = {}
    for p in D.headline_files(shared):
        for line in p.read_text(encoding="utf-8").splitlines():
            t, tab, lab = line.rpartition("\t")
            if tab and lab.strip().isdigit():
                own.setdefault(F.prepare(t), int(lab))
    return np.array([inv.get(SCHEMES["news10"][own[h]], -1) if h in own else -1 for h in heads])


def _bank(n_heads: int):
    t = text_bank(n_heads)
    tr, heads = t["tr"], t["heads"]
    emb = {d: F.e5_embed(t["texts"], layers=d, prefix="") for d in (4, 12)}
    y = np.array([CLASSES.index(r[1]) for r in tr])
    return {"tr": tr, "y": y, "kwof": t["kw"], "uidx": {u: i for i, u in enumerate(t["U"])}, "cw": t["cw"],
            "cw2": t["cw2"], "emb": emb, "n": len(tr), "heads": heads, "mapped": _mapped_labels(t["shared"], heads)}


def _mlps(X, Y, sw, seeds: int, Xs):
    """The average probabilities on ``Xs`` of ``seeds`` MLPs (train._fit_dense's recipe) fitted on X, Y."""
    from sklearn.neural_network import MLPClassifier  # noqa: PLC0415

    mean, scale = X.mean(0), X.std(0) + 1e-6
    out = np.zeros((len(Xs), K))
    for s in range(seeds):
        m = MLPClassifier(hidden_layer_sizes=(512,), alpha=0.01, early_stopping=True, random_state=s,
                          max_iter=200).fit((X - mean) / scale, Y, sample_weight=sw)
        out[:, m.classes_] += m.predict_proba((Xs - mean) / scale) / seeds
    return out


def _fold(b, fi, vi, args) -> dict[str, np.ndarray]:
    y, n, nh = b["y"], b["n"], len(b["heads"])
    kwi = [(b["uidx"][b["kwof"][b["tr"][i][0]]], y[i]) for i in fi if b["tr"][i][0] in b["kwof"]]
    fit_idx = np.array(list(fi) + [a for a, _ in kwi])
    fit_y = np.concatenate([y[fi], [c for _, c in kwi]]).astype(int)
    score = np.concatenate([vi, np.arange(n, n + nh)])
    out: dict[str, np.ndarray] = {}
    for part, cc in (("ngram", b["cw"]), ("words", b["cw2"])):
        cols, idf, q, bias = _fit_part(cc, fit_idx, fit_y, K)
        out[part] = _softmax(5.0 * (np.asarray(cc.tfidf(score, cols, idf) @ q) + bias))
    e4, e12 = b["emb"][4], b["emb"][12]
    out["e4"] = _mlps(e4[fi], y[fi], None, 5, e4[vi])
    out["e12"] = _mlps(e12[fi], y[fi], None, 5, e12[score])
    teacher = sum(W[p] * out[p if p != "e5" else "e12"] for p in W)
    lab, keep = teacher[len(vi):].argmax(1), np.ones(nh, bool)
    if args.labels == "mapped":
        lab, keep = b["mapped"], b["mapped"] >= 0
    X = np.concatenate([e4[fi], e4[n:][keep]])
    sw = np.concatenate([np.ones(len(fi)), np.full(int(keep.sum()), args.weight)])
    out["student"] = _mlps(X, np.concatenate([y[fi], lab[keep]]), sw, args.seeds, e4[vi])
    out["teacher"] = teacher
    return {k: (v[: len(vi)] if len(v) > len(vi) else v) for k, v in out.items()}


def main(argv=None) -> int:
    from sklearn.model_selection import StratifiedKFold  # noqa: PLC0415

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--heads", type=int, default=20000)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--weight", type=float, default=1.0)
    p.add_argument("--labels", choices=["teacher", "mapped"], default="teacher")
    args = p.parse_args(argv)
    t0 = time.time()
    b = _bank(args.heads)
    y = b["y"]
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y))
    parts = [_fold(b, fi, vi, args) for fi, vi in folds]
    yy = np.concatenate([y[vi] for _, vi in folds])
    P = {k: np.concatenate([f[k] for f in parts]) for k in parts[0]}
    res = {k: round(float(np.mean(v.argmax(1) == yy)), 4) for k, v in P.items()}
    sparse = (W["ngram"] * P["ngram"] + W["words"] * P["words"]) / (W["ngram"] + W["words"])
    for e5 in ("e4", "student"):
        full = (1 - W["e5"]) * sparse + W["e5"] * P[e5]
        res[f"three parts, {e5}"] = round(float(np.mean(full.argmax(1) == yy)), 4)
        skip = sparse.max(1) >= 0.6
        full[skip] = sparse[skip]
        res[f"three parts, {e5}, skip 0.6"] = round(float(np.mean(full.argmax(1) == yy)), 4)
    print(json.dumps({"args": vars(args), "cv": res, "seconds": round(time.time() - t0)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
