"""Sentiment ``best``: fine-tuning e5's top layers on the review domains, against the frozen e5 head,
each review domain left out in turn (needs PyTorch: ``pip install torch``; training only).

    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_e5_transfer.py ngram
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_finetune.py hidden
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_finetune.py eval [FOLD ...]
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_finetune.py mix [E5_WEIGHT]
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_finetune.py stack
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_finetune.py indomain FOLD ...

``hidden`` runs every sample text (the rows :func:`wenzhi.nlp.train.e5_sample` picks, 1,500 per domain,
or ``FT_PER_DOMAIN``)
through the frozen first ``FROZEN`` layers once and keeps the token states (float16). ``eval`` fine-tunes,
per fold, layers ``FROZEN .. DEPTH-1`` and a linear head on the sample rows of every domain outside the
fold and scores the fold's sample rows: the fine-tuned part alone and averaged with the n-gram parts
(margins from the e5 transfer bench's ``ngram`` stage). No row scored is trained on. ``FT_EPOCHS`` (2),
``FT_LR`` (5e-5) and ``FT_BF16=1`` (bfloat16 autocast) set the fine-tuning; ``FT_PER_DOMAIN`` the training
texts per domain, the rows scored staying each left-out domain's 1,500-row sample. ``mix`` reads what
``eval`` wrote (``FT_VARIANT``, default ``_bf16``) and prints, per fold, the mixture's recall of positives
and of negatives, and the accuracy at decision thresholds other than 0.5 (one chosen with the fold left out).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlp_sentiment_e5_transfer import FOLDS, OUT, PER_DOMAIN, _rows  # noqa: E402

from wenzhi.nlp import features as F  # noqa: E402
from wenzhi.nlp import train as T  # noqa: E402
from wenzhi.nlp.finetune import E5Top, fine_tune, frozen_states  # noqa: E402

FROZEN = int(os.environ.get("FT_FROZEN", 6))
DEPTH = int(os.environ.get("FT_DEPTH", 8))
# Training texts per domain (FT_PER_DOMAIN); the rows scored stay the left-out domain's PER_DOMAIN sample
# (the e5 sample is ranked by SHA-1, so the smaller sample is part of the larger one): paired figures.
TRAIN_PER_DOMAIN = int(os.environ.get("FT_PER_DOMAIN", PER_DOMAIN))
TAG = f"{FROZEN}" if TRAIN_PER_DOMAIN == PER_DOMAIN else f"{FROZEN}_n{TRAIN_PER_DOMAIN}"


def hidden() -> None:
    rows, _ = _rows()
    sub = T.e5_sample(rows, TRAIN_PER_DOMAIN)
    t0 = time.time()
    states = frozen_states(F._e5(), [r[0][: F.E5_MAX_CHARS] for r in sub], FROZEN)
    np.savez(OUT / f"hidden{TAG}.npz", texts=np.array([r[0] for r in sub], dtype=object),
             y=np.array([int(r[1]) for r in sub]), dom=np.array([r[2] for r in sub]),
             lens=np.array([len(s) for s in states]), states=np.concatenate(states))
    print(f"{len(sub)} texts through {FROZEN} frozen layers in {time.time() - t0:.0f} s", flush=True)


def _sig(x):
    return 1 / (1 + np.exp(-x))


def evaluate(folds: list[str]) -> None:
    z = np.load(OUT / f"hidden{TAG}.npz", allow_pickle=True)
    g = np.load(OUT / "ngram.npz", allow_pickle=True)
    texts, y, dom, lens = list(z["texts"]), z["y"], z["dom"], z["lens"]
    states = np.split(z["states"], np.cumsum(lens)[:-1])
    pos = {t: i for i, t in enumerate(texts)}
    epochs = int(os.environ.get("FT_EPOCHS", 2))
    lr = float(os.environ.get("FT_LR", 5e-5))
    bf16 = os.environ.get("FT_BF16") == "1"
    variant = ("" if epochs == 2 else f"_e{epochs}") + ("_bf16" if bf16 else "")
    for name in folds or list(FOLDS):
        doms = FOLDS[name]
        order = np.array([pos[t] for t in g[f"{name}|texts"]])
        yy = y[order]
        ng = (_sig(2 * g[f"{name}|ngram"]) + _sig(2 * g[f"{name}|words"])) / 2
        tr = np.flatnonzero(~np.isin(dom, doms))
        t0 = time.time()
        model = E5Top(F._e5(), FROZEN, DEPTH)
        fine_tune(model, [states[i] for i in tr], y[tr], epochs=epochs, lr=lr, seed=0, bf16=bf16, log=print)
        pf = 1 / (1 + np.exp(-model.predict_states([states[i] for i in order])[:, 0]))
        res = {"ngram": float(np.mean((ng >= 0.5) == (yy == 1))), "ft alone": float(np.mean((pf >= 0.5) == (yy == 1)))}
        for w in (0.3, 0.4, 0.5, 0.6):
            res[f"w{w}"] = float(np.mean((((1 - w) * ng + w * pf) >= 0.5) == (yy == 1)))
        print(name, len(order), f"{time.time() - t0:.0f} s", json.dumps({k: round(v, 4) for k, v in res.items()}),
              flush=True)
        np.save(OUT / f"ft_{TAG}_{DEPTH}{variant}_{name}.npy", pf)


def indomain(folds: list[str], parts: int = 2) -> None:
    """The tuned part alone on a domain's scored sample when the domain's other sample rows are trained on
    too (``parts`` folds over the scored rows): the e5 counterpart of the transfer bench's ``indomain``."""
    z = np.load(OUT / f"hidden{TAG}.npz", allow_pickle=True)
    g = np.load(OUT / "ngram.npz", allow_pickle=True)
    y, lens = z["y"], z["lens"]
    states = np.split(z["states"], np.cumsum(lens)[:-1])
    pos = {t: i for i, t in enumerate(z["texts"])}
    for name in folds:
        scored, hits, t0 = np.array([pos[t] for t in g[f"{name}|texts"]]), [], time.time()
        for k in range(parts):
            te = scored[k::parts]
            tr = np.setdiff1d(np.arange(len(y)), te)
            model = E5Top(F._e5(), FROZEN, DEPTH)
            fine_tune(model, [states[i] for i in tr], y[tr], epochs=2, lr=5e-5, seed=0, bf16=True)
            pf = 1 / (1 + np.exp(-model.predict_states([states[i] for i in te])[:, 0]))
            hits.append((pf >= 0.5) == (y[te] == 1))
        print(f"{name}: tuned part alone, own domain's other rows trained on: {np.concatenate(hits).mean():.4f} "
              f"on {len(scored)} rows, {time.time() - t0:.0f} s", flush=True)


def _fold_scores(variant: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per fold that ``eval`` has scored: labels and the three parts' logits (characters, words, tuned e5)."""
    z = np.load(OUT / f"hidden{TAG}.npz", allow_pickle=True)
    g = np.load(OUT / "ngram.npz", allow_pickle=True)
    pos = {t: i for i, t in enumerate(z["texts"])}
    out = {}
    for name in FOLDS:
        f = OUT / f"ft_{TAG}_{DEPTH}{variant}_{name}.npy"
        if f.exists():
            yy = z["y"][np.array([pos[t] for t in g[f"{name}|texts"]])]
            pf = np.clip(np.load(f), 1e-6, 1 - 1e-6)
            out[name] = (yy, np.c_[2 * g[f"{name}|ngram"], 2 * g[f"{name}|words"], np.log(pf / (1 - pf))])
    return out


def _rates(y: np.ndarray, p: np.ndarray, t: float) -> tuple[float, float, float]:
    """Accuracy, recall of the positives and of the negatives when ``p >= t`` is called positive."""
    hit = (p >= t) == (y == 1)
    return float(hit.mean()), float(hit[y == 1].mean()), float(hit[y == 0].mean())


def mix(weight: float = 0.3) -> None:
    """How the shipped mixture errs on each unseen domain (positives against negatives), and whether a
    decision threshold other than 0.5, chosen with that fold left out, carries to it."""
    folds = {n: (y, _sig(x[:, :2]).mean(axis=1), _sig(x[:, 2])) for n, (y, x) in
             _fold_scores(os.environ.get("FT_VARIANT", "_bf16")).items()}
    mixed = {n: (y, (1 - weight) * ng + weight * pf) for n, (y, ng, pf) in folds.items()}
    grid = np.round(np.arange(0.40, 0.61, 0.01), 2)
    print("fold | n | positives | acc@0.5 | recall+ | recall- | t (others, balanced) | acc@t | recall+ | recall-")
    for name, (y, p) in mixed.items():
        others = [v for k, v in mixed.items() if k != name]
        bal = [np.mean([(_rates(yo, po, t)[1] + _rates(yo, po, t)[2]) / 2 for yo, po in others]) for t in grid]
        t = float(grid[int(np.argmax(bal))])
        a, rp, rn = _rates(y, p, 0.5)
        b, sp, sn = _rates(y, p, t)
        print(f"{name} | {len(y)} | {y.mean():.3f} | {a:.4f} | {rp:.3f} | {rn:.3f} | {t:.2f} | {b:.4f} | {sp:.3f} | {sn:.3f}")
    for t in grid:
        accs = [_rates(y, p, t)[0] for y, p in mixed.values()]
        print(f"t {t:.2f}: min {min(accs):.4f} mean {np.mean(accs):.4f} "
              + " ".join(f"{k} {v:.4f}" for k, v in zip(mixed, accs, strict=True)))
    logit = lambda p: np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))  # noqa: E731
    for rule in ("probability", "logit"):
        for w in (0.2, 0.3, 0.4, 0.5):
            accs = [float(np.mean(((((1 - w) * ng + w * pf) >= 0.5) if rule == "probability" else
                                   (((1 - w) * logit(ng) + w * logit(pf)) >= 0)) == (y == 1)))
                    for y, ng, pf in folds.values()]
            print(f"{rule} average, e5 weight {w}: min {min(accs):.4f} mean {np.mean(accs):.4f} "
                  + " ".join(f"{k} {v:.4f}" for k, v in zip(folds, accs, strict=True)))


def stack() -> None:
    """A logistic regression over the three parts' logits, fitted on the other folds' rows (each fold
    weighing the same), against the shipped average at e5 weight 0.3: does a learned mixture carry?"""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    folds = _fold_scores(os.environ.get("FT_VARIANT", "_bf16"))
    for name, (y, x) in folds.items():
        others = [v for k, v in folds.items() if k != name]
        xs, ys = np.concatenate([o[1] for o in others]), np.concatenate([o[0] for o in others])
        ws = np.concatenate([np.full(len(o[0]), 1 / len(o[0])) for o in others])
        lr = LogisticRegression(C=1.0).fit(xs, ys, sample_weight=ws * len(ws))
        shipped = 0.35 * _sig(x[:, 0]) + 0.35 * _sig(x[:, 1]) + 0.3 * _sig(x[:, 2])
        print(f"{name}: shipped {np.mean((shipped >= 0.5) == (y == 1)):.4f} "
              f"stacked {lr.score(x, y):.4f} coef {np.round(lr.coef_[0], 3).tolist()} bias {lr.intercept_[0]:.3f}")


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    if argv and argv[0] == "hidden":
        hidden()
    elif argv and argv[0] == "mix":
        mix(*(float(a) for a in argv[1:2]))
    elif argv and argv[0] == "stack":
        stack()
    elif argv and argv[0] == "indomain":
        indomain(argv[1:])
    else:
        evaluate(argv[1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
