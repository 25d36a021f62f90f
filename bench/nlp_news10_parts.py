"""news10 candidate parts and their averages: fit on 90 % of THUCNews_titles/train/, score the other 10 %
(the tune split, chosen by a hash of the text) and dev.txt.

    PYTHONPATH=src .venv/bin/python bench/nlp_news10_parts.py [--parts c13svm,cw_nbsvm,...]   # ≈ 15 CPU-minutes

Prints each part's accuracy, then every average of two or three parts' softmax(T × margin), T = 1 and 3.
Choose on the tune split, read dev.txt as the check. Writes no model: it is the measurement behind
the news10 ``best`` card's second-round table.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import time

import numpy as np

from wenzhi.nlp import features as F
from wenzhi.nlp import train as T
from wenzhi.nlp.topic import SCHEMES

#: name → (analyser, classifier, C, min_df, max_features)
PARTS = {
    "c13svm": ("char13", "svm", 1.0, 1, 400_000),
    "cw_nbsvm": ("char13_word12", "nbsvm", 0.1, 2, 600_000),
    "w12svm": ("word12", "svm", 0.5, 1, None),
    "c4w_nbsvm": ("char14_word12", "nbsvm", 0.1, 2, 1_000_000),
}


def _softmax(m: np.ndarray, t: float) -> np.ndarray:
    m = m * t
    e = np.exp(m - m.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _margins(name: str, fit, splits) -> dict[str, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    analyzer, clf, c, min_df, cap = PARTS[name]
    fn = F.word_ngrams if analyzer == "word12" else F.ANALYZERS[analyzer]
    vec = TfidfVectorizer(analyzer=fn, sublinear_tf=True, min_df=min_df, max_features=cap, dtype=np.float32)
    X = vec.fit_transform([r[0] for r in fit])
    y = np.array([SCHEMES["news10"].index(r[1]) for r in fit])
    if clf == "nbsvm":
        coef, bias = T._fit_nbsvm(X, y, 10, c)
        return {s: np.asarray(vec.transform([r[0] for r in rows]) @ coef + bias) for s, rows in splits.items()}
    m = LinearSVC(C=c).fit(X, y)
    return {s: m.decision_function(vec.transform([r[0] for r in rows])) for s, rows in splits.items()}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--parts", default=",".join(PARTS))
    args = p.parse_args()
    classes = SCHEMES["news10"]
    rows, _ = T.dedupe(T.default_topic_rows(T.find_shared_data(), "news10", False))
    train = [r for r in rows if r[2] == "train"]
    tune_of = {r[0]: int(hashlib.sha1(r[0].encode(), usedforsecurity=False).hexdigest()[:8], 16) % 10 == 0 for r in train}
    fit = [r for r in train if not tune_of[r[0]]]
    splits = {"tune": [r for r in train if tune_of[r[0]]], "dev": [r for r in rows if r[2] == "dev"]}
    ys = {s: np.array([classes.index(r[1]) for r in v]) for s, v in splits.items()}
    print(f"fit {len(fit)}, tune {len(splits['tune'])}, dev {len(splits['dev'])}", flush=True)
    margins = {}
    for name in args.parts.split(","):
        t0 = time.time()
        margins[name] = _margins(name, fit, splits)
        print(name, {s: round(float((margins[name][s].argmax(1) == ys[s]).mean()), 4) for s in splits},
              f"{time.time() - t0:.0f} s", flush=True)
    for t in (1.0, 3.0):
        for r in (2, 3):
            for combo in itertools.combinations(margins, r):
                acc = {s: round(float((sum(_softmax(margins[n][s], t) for n in combo).argmax(1) == ys[s]).mean()), 4)
                       for s in splits}
                print(f"T={t}", " + ".join(combo), acc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
