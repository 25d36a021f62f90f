"""tnews15 ``fast``: which unlabelled text to distil from — held-out accuracy per kind of text.

    PYTHONPATH=src .venv/bin/python bench/nlp_tnews_distill_sources.py [--sets '[["headlines"], ...]']

Exactly the training command's held-out protocol (``wenzhi nlp train topic --scheme tnews15 --model
fast``): the trainer's split (3,889 training rows, 972 held-out rows, seed 0); the teacher is ``best``'s
recipe fitted on the training rows and their keyword rows only (with PyTorch installed, its e5 layers are
fine-tuned as the trainer does); it labels every unlabelled text of
:func:`wenzhi.nlp.train_distill.unlabelled_texts` once (its probabilities are kept in
``var/tnews_distill/teacher.npz`` and reused). For each set of kinds, the student (``fast``'s recipe) is
fitted on the training rows, their keyword rows and the teacher-labelled texts of those kinds, and scored
on the 972 held-out rows. Printed: the teacher's accuracy and each student's.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from wenzhi.nlp import train as T
from wenzhi.nlp import train_distill as D

OUT = Path("var/tnews_distill")
SETS = [[], ["headlines"], ["headlines", "news sentences"], ["headlines", "microblog posts"],
        ["headlines", "news sentences", "microblog posts"]]


def _split():
    cfg = dict(T.CONFIG[("topic", "tnews15", "fast")])
    rows, _ = T.dedupe(T._training_rows("topic", "tnews15", None, cfg)[0])
    classes = T._checked_classes("topic", "tnews15", rows)
    tr, va, _ = T._split(rows, "topic", 0.2, 0, None)
    return rows, classes, tr, va


def _teacher(shared, rows, classes, tr, va) -> tuple[list[str], list[str], np.ndarray]:
    """The unlabelled texts, each one's kind, and the teacher's probabilities (cached)."""
    texts, counts = D.unlabelled_texts(shared, {r[0] for r in rows})
    kinds = [k for k, n in counts.items() for _ in range(n)]  # the texts come kind by kind, in this order
    cache = OUT / "teacher.npz"
    if cache.exists():
        z = np.load(cache, allow_pickle=True)
        if list(z["texts"]) == texts:
            return texts, kinds, z["proba"]
    t0 = time.time()
    teacher = T.split_teacher(tr, classes, ("topic", "tnews15"), shared)
    print(f"teacher fitted in {time.time() - t0:.0f} s; held-out accuracy {T._accuracy(teacher, va)['accuracy']}",
          flush=True)
    proba = np.vstack([teacher.predict_proba_prepared(texts[s : s + D.BATCH]) for s in range(0, len(texts), D.BATCH)])
    print(f"teacher labelled {len(texts)} texts {counts} in {time.time() - t0:.0f} s", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(cache, texts=np.array(texts, dtype=object), proba=proba.astype(np.float32))
    return texts, kinds, proba


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", type=json.loads, default=SETS, help="JSON list of lists of kinds")
    args = ap.parse_args()
    shared = T.find_shared_data()
    if shared is None:
        raise SystemExit("shared/data/nlp not found (set WENZHI_SHARED_DATA)")
    rows, classes, tr, va = _split()
    texts, kinds, proba = _teacher(shared, rows, classes, tr, va)
    top = proba.argmax(axis=1)
    kw = T.tnews_keyword_rows(shared, tr)
    cfg = dict(T.CONFIG[("topic", "tnews15", "fast")])
    for chosen in args.sets:
        t0 = time.time()
        extra = [(t, classes[int(i)], D.PSEUDO_DOMAIN) for t, k, i in zip(texts, kinds, top, strict=True) if k in chosen]
        student = T._fit(list(tr) + kw + extra, classes, cfg, binary=False)
        acc = T._accuracy(student, va)["accuracy"]
        print(f"{' + '.join(chosen) or 'no unlabelled text'}: {len(extra)} teacher-labelled rows, "
              f"held-out accuracy {acc} ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
