"""Sentiment ``best``: fine-tuning e5's top layers on the review domains, against the frozen e5 head,
each review domain left out in turn (needs PyTorch: ``pip install torch``; training only).

    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_e5_transfer.py ngram
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_finetune.py hidden
    nice -n 10 env PYTHONPATH=src .venv/bin/python bench/nlp_sentiment_finetune.py eval [FOLD ...]

``hidden`` runs every sample text (the rows :func:`wenzhi.nlp.train.e5_sample` picks, 1,500 per domain,
or ``FT_PER_DOMAIN``)
through the frozen first ``FROZEN`` layers once and keeps the token states (float16). ``eval`` fine-tunes,
per fold, layers ``FROZEN .. DEPTH-1`` and a linear head on the sample rows of every domain outside the
fold and scores the fold's sample rows: the fine-tuned part alone and averaged with the n-gram parts
(margins from the e5 transfer bench's ``ngram`` stage). No row scored is trained on. ``FT_EPOCHS`` (2),
``FT_LR`` (5e-5) and ``FT_BF16=1`` (bfloat16 autocast) set the fine-tuning; ``FT_PER_DOMAIN`` the training
texts per domain, the rows scored staying each left-out domain's 1,500-row sample.
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


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    if argv and argv[0] == "hidden":
        hidden()
    else:
        evaluate(argv[1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
