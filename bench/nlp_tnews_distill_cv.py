"""Cross-validation of the tnews15 ``fast`` distillation recipes on the training split only.

    WENZHI_E5_CACHE=/tmp/heads_e5.npz PYTHONPATH=src .venv/bin/python bench/nlp_tnews_distill_cv.py \
        [--recipes '[{"kind": "none"}, {"kind": "hard", "C": 1}]']

The 3,889 training rows of the trainer's split (the 972 held-out rows are never read) are cut into 5
stratified folds (seed 0). For each fold a teacher — ``best``'s recipe: char/word SVM + NB-SVM from
counts as :mod:`wenzhi.nlp.train_folds` fits them, five e5 MLPs over 4-layer embeddings, e5 skipped
above ``e5_skip_above`` — is fitted WITHOUT the fold's validation rows and labels every unlabelled
headline (:func:`wenzhi.nlp.train_distill.unlabelled_headlines`). The student (``fast``'s char 1–3
TF-IDF + linear SVM, int8) is fitted on the fold's training rows, their keyword rows and the headlines as
the recipe says, and scored on the fold's validation rows. Recipe keys: ``kind`` none | hard | hardp
(weight = teacher's top probability) | soft (one row per class with p >= ``min_p``, weight p); ``w``
weight of headline rows; ``thr`` minimum top probability; ``C``; ``n`` random headlines only.

Embedding ~109k texts with e5's first 4 layers takes ~10 min of two cores; ``$WENZHI_E5_CACHE`` (a file
saved with ``features.e5_save_cache``-style keys ``texts``/``emb``/``layers``/``prefix``) skips that.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from wenzhi.nlp import features as F
from wenzhi.nlp import train as T
from wenzhi.nlp import train_data as TD
from wenzhi.nlp import train_distill as D
from wenzhi.nlp.topic import SCHEMES
from wenzhi.nlp.train_folds import _Counts, _fit_part

CLASSES = SCHEMES["tnews15"]
K = len(CLASSES)
DEFAULT = [{"kind": "none"}, {"kind": "hard"}, {"kind": "hard", "C": 1}, {"kind": "hard", "thr": 0.5}]


def _teacher(bank, fit_idx, fit_y, e5_idx, score_idx):
    """``best``'s recipe fitted on rows ``fit_idx`` (texts + keyword rows) and ``e5_idx`` (texts):
    probabilities of rows ``score_idx``."""
    cfg, cw, cw2, emb = bank["best_cfg"], bank["cw"], bank["cw2"], bank["emb"]
    scorer = T._Fitted(CLASSES, False, cfg["weights"], None, None, cfg["temperature"])
    total, ws = np.zeros((len(score_idx), K)), 0.0
    for part, cc in (("ngram", cw), ("words", cw2)):
        cols, idf, q, bias = _fit_part(cc, fit_idx, fit_y, K)
        s = np.asarray(cc.tfidf(score_idx, cols, idf) @ q) + bias
        total += cfg["weights"][part] * scorer._to_proba(s, cfg["temperature"][part])
        ws += cfg["weights"][part]
    mlp = T._fit_dense(emb[e5_idx], [CLASSES[v] for v in fit_y[: len(e5_idx)]], CLASSES, cfg["e5_C"], "mlp",
                       cfg["e5_seeds"])
    sparse = total / ws
    out = (total + cfg["weights"]["e5"] * scorer._to_proba(mlp.decision_function(emb[score_idx]))) / (
        ws + cfg["weights"]["e5"])
    skip = sparse.max(axis=1) >= cfg["e5_skip_above"]
    out[skip] = sparse[skip]
    return out


def _pseudo(P, head_idx, rec):
    sel = np.arange(len(P))
    if rec.get("n"):
        sel = np.sort(np.random.default_rng(0).permutation(len(P))[: rec["n"]])
    P, w0 = P[sel], rec.get("w", 1.0)
    if rec["kind"] == "soft":
        ii, jj = np.nonzero(P >= rec.get("min_p", 0.15))
        return head_idx[sel][ii], jj, w0 * P[ii, jj]
    top, pm = P.argmax(1), P.max(1)
    keep = pm >= rec.get("thr", 0.0)
    return head_idx[sel][keep], top[keep], w0 * (pm[keep] if rec["kind"] == "hardp" else np.ones(keep.sum()))


def _student(cc, fit_idx, fit_y, P, head_idx, rec, val_idx):
    from sklearn.svm import LinearSVC  # noqa: PLC0415

    idx, y, w = list(fit_idx), list(fit_y), [1.0] * len(fit_idx)
    if rec["kind"] != "none":
        hi, hy, hw = _pseudo(P, head_idx, rec)
        idx += list(hi)
        y += list(hy)
        w += list(hw)
    idx_a = np.array(idx)
    cols, idf = cc.select(np.unique(idx_a))
    clf = LinearSVC(C=rec.get("C", 0.3)).fit(cc.tfidf(idx_a, cols, idf), np.array(y), sample_weight=np.array(w))
    coef, bias = T._full_coef(clf.coef_, clf.intercept_, clf.classes_, K)
    q = F.load_coef(F.quantize_coef(coef))
    return (np.asarray(cc.tfidf(val_idx, cols, idf) @ q) + bias).argmax(1)


def text_bank(n_heads: int | None = None) -> dict:
    """The texts both tnews distillation benches fit on: the training rows of ``wenzhi nlp train``'s split
    (the held-out rows are not used), each one's keyword row text, the unlabelled THUCNews headlines (a seeded
    sample of ``n_heads`` of them, or all), every text once in ``U``, and the char and char/word counts of
    ``U`` for tnews15 best's two n-gram parts (``cw``, ``cw2``)."""
    shared = T.find_shared_data()
    if shared is None:
        raise SystemExit("shared/data/nlp not found (set WENZHI_SHARED_DATA)")
    rows, _ = T.dedupe(T.default_topic_rows(shared, "tnews15", False))
    tr, _va, _ = T._split(rows, "topic", 0.2, 0, None)
    kw = TD.tnews_keywords(shared, tr)  # training text -> its keyword row's text
    heads = D.unlabelled_headlines(D.headline_files(shared), {r[0] for r in rows})
    if n_heads is not None:
        heads = [heads[int(i)] for i in np.random.default_rng(0).permutation(len(heads))[:n_heads]]
    texts = [r[0] for r in tr] + heads
    U = texts + sorted(set(kw.values()) - set(texts))
    best_cfg = T.CONFIG[("topic", "tnews15", "best")]
    cw = _Counts(U, best_cfg)
    cw2 = copy.copy(cw)
    cw2.cfg = best_cfg["words"]
    return {"shared": shared, "tr": tr, "kw": kw, "heads": heads, "texts": texts, "U": U, "cw": cw, "cw2": cw2,
            "best_cfg": best_cfg}


def _bank():
    """Every text once (training rows, keyword texts, headlines), their counts and e5 embeddings."""
    t0 = time.time()
    t = text_bank()
    tr, kw, heads, texts, U, best_cfg = t["tr"], t["kw"], t["heads"], t["texts"], t["U"], t["best_cfg"]
    cw, cw2 = t["cw"], t["cw2"]
    cc = _Counts(U, T.CONFIG[("topic", "tnews15", "fast")])
    emb = F.e5_embed(texts, layers=best_cfg["e5_layers"], prefix=best_cfg["e5_prefix"])
    print(f"{len(tr)} training rows, {len(heads)} headlines, counted and embedded in {time.time() - t0:.0f} s",
          file=sys.stderr, flush=True)
    uidx = {u: i for i, u in enumerate(U)}
    return {"tr": tr, "kw": kw, "uidx": uidx, "n_tr": len(tr), "head_idx": np.arange(len(tr), len(texts)),
            "cw": cw, "cw2": cw2, "cc": cc, "emb": emb, "best_cfg": best_cfg}


def main(argv=None) -> int:
    from sklearn.model_selection import StratifiedKFold  # noqa: PLC0415

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--recipes", default=json.dumps(DEFAULT), help="JSON list of recipes")
    args = p.parse_args(argv)
    b = _bank()
    y = np.array([CLASSES.index(r[1]) for r in b["tr"]])
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y))

    def with_kw(ids):  # a fold's training rows and their keyword rows (training only)
        kwi = [(b["uidx"][b["kw"][b["tr"][i][0]]], y[i]) for i in ids if b["tr"][i][0] in b["kw"]]
        return np.array(list(ids) + [k for k, _ in kwi]), np.concatenate([y[ids], [v for _, v in kwi]]).astype(int)

    teachers = []
    for k, (fi, vi) in enumerate(folds):
        fit_idx, fit_y = with_kw(fi)
        P = _teacher(b, fit_idx, fit_y, fi, np.concatenate([b["head_idx"], vi]))
        acc = float(np.mean(P[len(b["head_idx"]):].argmax(1) == y[vi]))
        print(json.dumps({"fold": k, "teacher_accuracy": round(acc, 4)}), flush=True)
        teachers.append(P[: len(b["head_idx"])])
    for rec in json.loads(args.recipes):
        t0 = time.time()

        def one(k, rec=rec):
            fit_idx, fit_y = with_kw(folds[k][0])
            pred = _student(b["cc"], fit_idx, fit_y, teachers[k], b["head_idx"], rec, folds[k][1])
            return float(np.mean(pred == y[folds[k][1]]))

        with ThreadPoolExecutor(2) as ex:  # liblinear releases the GIL
            accs = list(ex.map(one, range(5)))
        print(json.dumps({"recipe": rec, "cv": round(float(np.mean(accs)), 4), "folds": [round(a, 4) for a in accs],
                          "seconds": round(time.time() - t0)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
