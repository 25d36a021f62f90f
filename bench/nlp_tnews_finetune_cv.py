"""tnews15 ``best`` with fine-tuned e5 layers: the e5 part's weight and skip threshold chosen by 3-fold
cross-validation on the training split only (the 972 held-out rows of ``wenzhi nlp train`` untouched).
Needs PyTorch (``pip install 'wenzhi[train]'``).

    nice -n 8 env PYTHONPATH=src .venv/bin/python bench/nlp_tnews_finetune_cv.py FROZEN LAYERS

Per fold: ``best``'s n-gram parts (with the fold's keyword rows) and the e5 part (layers FROZEN+1..LAYERS
fine-tuned with a linear head, 4 epochs, lr 1e-4) fitted on the other two folds; each part's
probabilities on the fold; then accuracy of ``(1 - w) x (0.4 ngram + 0.6 words) + w x e5`` for several
``w``, with texts whose n-gram average gives one class >= ``skip`` left to the n-gram parts (as
prediction does). Writes no model.
"""

from __future__ import annotations

import random
import sys

import numpy as np

from wenzhi.nlp import train as T
from wenzhi.nlp.train_data import find_shared_data, tnews_keyword_rows


def main(argv: list[str]) -> int:
    frozen, layers = int(argv[0]), int(argv[1])
    cfg = dict(T.CONFIG[("topic", "tnews15", "best")])
    cfg["e5_tune"] = {"frozen": frozen, "epochs": 4, "lr": 1e-4, "seed": 0}
    cfg["e5_layers"] = layers
    raw, _ = T._training_rows("topic", "tnews15", None, cfg)
    rows, _ = T.dedupe(raw)
    classes = T._checked_classes("topic", "tnews15", rows)
    tr, _va, _ = T._split(rows, "topic", 0.2, 0, None)
    shared = find_shared_data()
    idx = list(range(len(tr)))
    random.Random(1).shuffle(idx)
    folds = [set(idx[k::3]) for k in range(3)]
    res = []
    for k, held in enumerate(folds):
        te = [tr[i] for i in sorted(held)]
        fit_rows = [tr[i] for i in idx if i not in held]
        m = T._fit(fit_rows + tnews_keyword_rows(shared, fit_rows), classes, cfg, binary=False)
        y = np.array([classes.index(r[1]) for r in te])
        parts = {}
        for p in ("ngram", "words", "e5"):
            solo = T._Fitted(classes, False, {p: 1.0}, m.ngram, m.e5, m.temperature, m.words, m.e5_layers,
                             m.e5_prefix, e5_stored=m.e5_stored)
            parts[p] = solo.predict_proba_prepared([r[0] for r in te])
        res.append((y, parts))
        print("fold", k, {p: round(float(np.mean(v.argmax(1) == y)), 4) for p, v in parts.items()}, flush=True)
    for w in (0.5, 0.6, 0.7, 0.8, 1.0):
        for skip in (None, 0.6, 0.7, 0.8):
            acc = []
            for y, P in res:
                ng = 0.4 * P["ngram"] + 0.6 * P["words"]
                comb = (1 - w) * ng + w * P["e5"]
                if skip is not None:
                    comb = np.where(ng.max(1, keepdims=True) >= skip, ng, comb)
                acc.append(float(np.mean(comb.argmax(1) == y)))
            print(f"e5 weight {w} skip {skip}: {np.mean(acc):.4f} folds {[round(a, 4) for a in acc]}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
