"""Distillation for the tnews15 ``fast`` model: unlabelled text labelled by the ``best`` model.

TNEWS has only ~4.9k labelled rows for 15 classes. The shared corpora hold ~200k more Chinese texts whose
own labels (if any) do not answer TNEWS's question, so their labels are ignored: THUCNews's headlines
(``THUCNews_titles/train/*.txt`` and ``dev.txt``, ~104k after deduplication; ten classes that do not map
onto TNEWS's fifteen), the MSRA corpus's news sentences (``MSRA_NER/dh_msra.txt``, ~51k; its entity tags
ignored) and Weibo posts (``weibo_senti/``, ~46k; their sentiment ignored). A *teacher* (the ``best``
recipe: n-grams + e5) gives each text its most likely TNEWS class, and the character n-gram ``fast`` model
is fitted on the labelled rows plus these teacher-labelled rows (domain :data:`PSEUDO_DOMAIN`, sample
weight ``cfg["distill"]["weight"]``). The student keeps the ``fast`` recipe and speed (same features, same
vocabulary cap, same classifier); only its training rows change.

The teacher never sees a row the student is scored on: for the held-out figure it is the ``best``
recipe fitted on the training split only; for the shipped model it is the committed ``best`` model.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wenzhi.nlp import features as F
from wenzhi.nlp.train_data import load_labelled, shown_source

__all__ = ["PSEUDO_DOMAIN", "headline_files", "unlabelled_headlines", "unlabelled_texts", "distill_texts",
           "card_lines", "pseudo_rows", "sample_weights"]

#: the domain of teacher-labelled rows (they only ever train, never validate)
PSEUDO_DOMAIN = "teacher"

#: headlines labelled per teacher call (bounds memory; the e5 part embeds each batch once)
BATCH = 20_000

#: sentences and posts are kept when their prepared text has this many characters (headlines: any length)
MIN_CHARS, MAX_CHARS = 6, 80

#: where a news sentence ends (MSRA's lines are often several sentences)
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


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


def unlabelled_sources(shared: Path | None) -> dict[str, list[Path]]:
    """The unlabelled text of each kind under ``shared``: headlines, news sentences, microblog posts
    (a kind whose file is absent has none)."""
    if shared is None:
        return {}
    msra, weibo = shared / "MSRA_NER" / "dh_msra.txt", shared / "weibo_senti" / "weibo_senti_100k_partial.csv"
    return {"headlines": headline_files(shared), "news sentences": [msra] if msra.exists() else [],
            "microblog posts": [weibo] if weibo.exists() else []}


def _news_sentences(path: Path) -> list[str]:
    from wenzhi.nlp.ner_train import read_msra  # the NER trainer is not loaded unless MSRA is read

    return [part for text, _ in read_msra(path) for part in _SENTENCE_END.split(text)]


def _microblog_posts(path: Path) -> list[str]:
    return [text for text, _, _ in load_labelled(path)]


def unlabelled_texts(shared: Path | None, exclude: Iterable[str] = ()) -> tuple[list[str], dict[str, int]]:
    """Every kind of :func:`unlabelled_sources`, prepared and deduplicated (none in ``exclude``, none
    twice across kinds; sentences and posts of :data:`MIN_CHARS` to :data:`MAX_CHARS` characters),
    headlines first; and how many texts each kind gave."""
    sources = unlabelled_sources(shared)
    texts = unlabelled_headlines(sources.get("headlines", []), exclude)
    counts = {"headlines": len(texts)}
    seen = set(exclude) | set(texts)
    for kind, read in (("news sentences", _news_sentences), ("microblog posts", _microblog_posts)):
        n = len(texts)
        for path in sources.get(kind, []):
            for raw in read(path):
                p = F.prepare(raw)
                if MIN_CHARS <= len(p) <= MAX_CHARS and p not in seen:
                    seen.add(p)
                    texts.append(p)
        counts[kind] = len(texts) - n
    return texts, counts


def distill_texts(cfg: dict[str, Any], shared: Path | None, rows) -> tuple[list[str], dict[str, Any] | None]:
    """The unlabelled texts a ``distill`` configuration trains on (none for other models) and their
    report for the card; a clear message and none when the headlines are absent."""
    if not cfg.get("distill"):
        return [], None
    if not headline_files(shared):
        print("distillation skipped: no THUCNews_titles/train/*.txt or dev.txt under the shared data "
              f"({shared}); training on the labelled rows only", file=sys.stderr, flush=True)
        return [], None
    texts, counts = unlabelled_texts(shared, {r[0] for r in rows})
    print(f"distillation: {len(texts)} unlabelled texts {counts}", file=sys.stderr, flush=True)
    files = {k: [shown_source(str(p)) for p in v] for k, v in unlabelled_sources(shared).items()}
    return texts, {"texts": counts, "files": files, "weight": cfg["distill"].get("weight", 1.0)}


def card_lines(dist: dict[str, Any] | None) -> list[str]:
    """The model card's lines on the teacher-labelled rows of a training report."""
    if not dist:
        return []
    kinds = "; ".join(f"{n} {kind} from {', '.join(dist['files'].get(kind, []))}" for kind, n in dist["texts"].items() if n)
    return [f"- plus {sum(dist['texts'].values())} unlabelled texts (their own labels or tags ignored; deduplicated, "
            f"none of them a labelled text): {kinds}; each labelled with the teacher's most likely class, weight "
            f"{dist['weight']}. Teacher for the held-out figure: the `best` recipe fitted on the training split only; "
            "for the written model: the committed `best` model."]


def pseudo_rows(texts: Sequence[str], proba: Callable[[Sequence[str]], np.ndarray],
                classes: Sequence[str]) -> list[tuple[str, str, str]]:
    """(text, teacher's most likely class, :data:`PSEUDO_DOMAIN`) for every text; ``proba`` maps
    prepared texts to (N, K) probabilities in ``classes`` order (called in batches of :data:`BATCH`)."""
    rows: list[tuple[str, str, str]] = []
    for s in range(0, len(texts), BATCH):
        chunk = list(texts[s : s + BATCH])
        top = np.asarray(proba(chunk)).argmax(axis=1)
        rows += [(t, classes[int(i)], PSEUDO_DOMAIN) for t, i in zip(chunk, top, strict=True)]
        print(f"teacher labelled {s + len(chunk)} of {len(texts)} texts", file=sys.stderr, flush=True)
    return rows


def sample_weights(rows: Sequence[tuple[str, str, str]], cfg: dict[str, Any]) -> np.ndarray | None:
    """Per-row training weights: ``cfg["distill"]["weight"]`` for teacher-labelled rows, 1 for the
    others; ``None`` (unweighted) when there is nothing to weigh."""
    w = float((cfg.get("distill") or {}).get("weight", 1.0))
    if w == 1.0 or not any(r[2] == PSEUDO_DOMAIN for r in rows):
        return None
    return np.array([w if r[2] == PSEUDO_DOMAIN else 1.0 for r in rows], dtype=np.float64)
