"""Accuracy and speed of the trained NLP models on their own held-out splits.

    .venv/bin/python bench/nlp_models.py [--fast-only] [--loco]

The committed models are refitted on every row, so they cannot be scored honestly on any split
of the shared data. This bench therefore retrains each model exactly as ``wenzhi nlp train``
does but *without* the final refit (into a temporary folder), and prints the accuracy that
model gets on the held-out split it never saw:

* sentiment — whole review domains held out (水果, 蒙牛, 手机, 酒店; a text-hash sample of at
  most 1500 reviews each): cross-domain accuracy;
* news10 — a stratified 20 % of THUCNews_titles/dev.txt (TNEWS rows only ever train);
* tnews15 — a stratified 20 % of tnews_public/dev.json;
* culture relevance — on the tnews15 held-out split, relevant = news_culture /
  news_entertainment / news_travel / news_game, using the tnews15 fast model trained without it.

``--loco`` adds leave-one-domain-out accuracy of the sentiment fast model for every review domain.
Per-text speed is measured in process on the committed models (best models embed with e5, so set
``WENZHI_E5_CACHE`` only for training; timings below never use a cache: the cache is cleared).
Needs the shared corpora (``WENZHI_SHARED_DATA`` or a ``shared/data`` folder above the cwd).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from wenzhi.nlp import features as F
from wenzhi.nlp import train as T


def _speed(fn, texts, repeat=1):
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn(texts)
    return len(texts) * repeat / (time.perf_counter() - t0)


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--fast-only", action="store_true")
    p.add_argument("--loco", action="store_true")
    args = p.parse_args(argv)
    if T.find_shared_data() is None:
        print("shared/data/nlp not found; set WENZHI_SHARED_DATA", file=sys.stderr)
        return 2
    variants = ["fast"] if args.fast_only else ["fast", "best"]
    results = {}
    tmp = Path(tempfile.mkdtemp(prefix="wenzhi-bench-"))
    for task, scheme in (("sentiment", None), ("topic", "news10"), ("topic", "tnews15")):
        for v in variants:
            name = f"{task}-{scheme or 'reviews'}-{v}"
            rep = T.train(task, scheme=scheme, model=v, out_dir=tmp / name, refit=False)
            val = rep["validation"]
            results[name] = {k: val[k] for k in ("n", "accuracy", "parts", "by_domain", "held_out_domains") if k in val}
            print(f"{name:28s} held-out accuracy {val['accuracy']:.4f} on {val['n']} texts"
                  + (f"  parts {val['parts']}" if "parts" in val else ""), flush=True)

    # culture relevance on the tnews15 held-out split, with the tnews15 fast model that never saw it
    shared = T.find_shared_data()
    rows, _ = T.dedupe(T.default_topic_rows(shared, "tnews15", False))
    _, va, _ = T._split(rows, "topic", 0.2, 0, None)
    from wenzhi.nlp import culture  # noqa: PLC0415

    saved = F.MODELS_DIR
    F.MODELS_DIR = tmp
    F.forget()
    try:
        out = culture.culture_relevance([r[0] for r in va])
        kw = culture.culture_relevance([r[0] for r in va], use_model=False)
    finally:
        F.MODELS_DIR = saved
        F.forget()
    gold = np.array([r[1] in ("news_culture", "news_entertainment", "news_travel", "news_game") for r in va])
    for label, o in (("culture (keywords+model)", out), ("culture (keywords only)", kw)):
        pred = np.array([x["relevant"] for x in o])
        tp = int((pred & gold).sum())
        prec = tp / max(1, pred.sum())
        rec = tp / max(1, gold.sum())
        results[label] = {"n": len(va), "accuracy": round(float((pred == gold).mean()), 4),
                          "precision": round(prec, 4), "recall": round(rec, 4)}
        print(f"{label:28s} relevance accuracy {results[label]['accuracy']:.4f} precision {prec:.4f} recall {rec:.4f}"
              f" on {len(va)} TNEWS held-out headlines", flush=True)

    if args.loco:
        srows, _ = T.dedupe(T.default_sentiment_rows(shared))
        doms = sorted({r[2] for r in srows})
        accs = {}
        for d in doms:
            tr = [r for r in srows if r[2] != d]
            te = [r for r in srows if r[2] == d]
            m = T._fit(tr, ["0", "1"], T.CONFIG[("sentiment", "reviews", "fast")], binary=True)
            accs[d] = T._accuracy(m, te)["accuracy"]
            print(f"  sentiment fast, trained without {d}: {accs[d]:.4f} on {len(te)}", flush=True)
        results["sentiment-fast-loco"] = accs
        print(f"  mean leave-one-domain-out accuracy {np.mean(list(accs.values())):.4f}")

    # per-text speed of the committed models (no embedding cache)
    from wenzhi.nlp.sentiment import predict_sentiment  # noqa: PLC0415
    from wenzhi.nlp.topic import predict_topic  # noqa: PLC0415

    F._e5_cache.clear()
    F._disk_loaded = True
    texts = [r[0] for r in va][:400]
    for v in variants:
        n = 400 if v == "fast" else 100
        s1 = _speed(lambda t, v=v: predict_sentiment(t, model=v), texts[:n], 3 if v == "fast" else 1)
        F._e5_cache.clear()
        s2 = _speed(lambda t, v=v: predict_topic(t, scheme="news10", model=v), texts[:n], 3 if v == "fast" else 1)
        F._e5_cache.clear()
        results[f"speed-{v}"] = {"sentiment_texts_per_s": round(s1, 1), "topic_texts_per_s": round(s2, 1)}
        print(f"speed {v}: sentiment {s1:.0f} texts/s, topic {s2:.0f} texts/s (in process, one batch of {n} headlines)")
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
