"""Sentiment candidate on unseen review domains: char 1-3 SVM + char/word NB-SVM, Weibo posts as a domain.

    PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_heldout.py     # ≈ 16 min on the shared 2-core machine

Fits on every domain except the four held-out review domains (手机 水果 蒙牛 酒店, as ``wenzhi nlp
train sentiment`` holds them out) and prints accuracy on all their rows, per domain and per part.
Writes no model: it is the measurement behind the sentiment ``best`` card's second-round table.
"""

from __future__ import annotations

import json
import time

from wenzhi.nlp import train as T

CFG = {"analyzer": "char13", "clf": "svm", "C": 0.5, "min_df": 2, "max_features": 400_000,
       "words": {"analyzer": "char13_word12", "clf": "nbsvm", "C": 0.1, "min_df": 2, "max_features": 600_000},
       "weights": {"ngram": 0.5, "words": 0.5}, "temperature": {"ngram": 2.0, "words": 2.0}}


def main() -> int:
    raw, _sources = T._training_rows("sentiment", "reviews", None, CFG)
    rows, stats = T.dedupe(raw)
    tr, va, held = T._split(rows, "sentiment", 0.2, 0, T.SENTIMENT_HOLDOUT_DOMAINS)
    print(stats, held, len(tr), len(va), flush=True)
    t = time.time()
    fitted = T._fit(tr, ["0", "1"], CFG, binary=True)
    print("fit s", round(time.time() - t, 1), flush=True)
    print(json.dumps(T._accuracy(fitted, va), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
