"""Distillation for the tnews15 ``fast`` model: unlabelled headlines labelled by the ``best`` model.

TNEWS has only ~4.9k labelled rows for 15 classes. THUCNews's headlines (``THUCNews_titles/train/*.txt``
and ``dev.txt``, ~104k after deduplication) are headline-like text whose own ten labels do not map onto
TNEWS's fifteen, so their labels are ignored: a *teacher* (the ``best`` recipe: n-grams + e5) gives each
headline its most likely TNEWS class, and the character n-gram ``fast`` model is fitted on the labelled
rows plus these teacher-labelled rows (domain :data:`PSEUDO_DOMAIN`, sample weight ``cfg["distill"]["weight"]``).
The student keeps the ``fast`` recipe and speed (same features, same vocabulary cap, same classifier);
only its training rows change.

The teacher never sees a row the student is scored on: for the held-out figure it is the ``best``
recipe fitted on the training split only; for the shipped model it is the committed ``best`` model.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wenzhi.nlp import features as F

__all__ = ["PSEUDO_DOMAIN", "headline_files", "unlabelled_headlines", "pseudo_rows", "sample_weights"]

#: the domain of teacher-labelled rows (they only ever train, never validate)
PSEUDO_DOMAIN = "teacher"

#: headlines labelled per teacher call (bounds memory; the e5 part embeds each batch once)
BATCH = 20_000


def headline_files(shared: Path | None) -> list[Path]:
    """The unlabelled headline files under ``shared`` (``shared/data/nlp``); empty when absent."""
    if shared is None:
        return []
    d = shared / "THUCNews_titles"
    files = sorted((d / "train").glob("*.txt")) if (d / "train").is_dir() else []
    return files + ([d / "dev.txt"] if (d / "dev.txt").exists() else [])


def unlabelled_headlines(files: Iterable[Path], exclude: Iterable[str] = ()) -> list[str]:
    """Prepared headlines of ``headline<TAB>label`` files (or one headline a line), their labels
    dropped; empty and repeated texts and those in ``exclude`` (prepared texts, e.g. the labelled
    rows) left out. Order: file order, then line order."""
    seen = set(exclude)
    out: list[str] = []
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            text, tab, _ = line.rpartition("\t")
            p = F.prepare(text if tab else line)
            if p and p not in seen:
                seen.add(p)
                out.append(p)
    return out


def pseudo_rows(texts: Sequence[str], proba: Callable[[Sequence[str]], np.ndarray],
                classes: Sequence[str]) -> list[tuple[str, str, str]]:
    """(text, teacher's most likely class, :data:`PSEUDO_DOMAIN`) for every text; ``proba`` maps
    prepared texts to (N, K) probabilities in ``classes`` order (called in batches of :data:`BATCH`)."""
    rows: list[tuple[str, str, str]] = []
    for s in range(0, len(texts), BATCH):
        chunk = list(texts[s : s + BATCH])
        top = np.asarray(proba(chunk)).argmax(axis=1)
        rows += [(t, classes[int(i)], PSEUDO_DOMAIN) for t, i in zip(chunk, top, strict=True)]
        print(f"teacher labelled {s + len(chunk)} of {len(texts)} headlines", file=sys.stderr, flush=True)
    return rows


def sample_weights(rows: Sequence[tuple[str, str, str]], cfg: dict[str, Any]) -> np.ndarray | None:
    """Per-row training weights: ``cfg["distill"]["weight"]`` for teacher-labelled rows, 1 for the
    others; ``None`` (unweighted) when there is nothing to weigh."""
    w = float((cfg.get("distill") or {}).get("weight", 1.0))
    if w == 1.0 or not any(r[2] == PSEUDO_DOMAIN for r in rows):
        return None
    return np.array([w if r[2] == PSEUDO_DOMAIN else 1.0 for r in rows], dtype=np.float64)
