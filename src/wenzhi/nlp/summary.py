"""Extractive summaries: pick the most central sentences of a text and keep their order.

Sentences are split on Chinese and Western end punctuation (。！？；…!?;) and line breaks.
Centrality is TextRank over sentences (Mihalcea & Tarau 2004: similarity = shared content
words / (log|s1| + log|s2|)); texts with more than ``_MAX_GRAPH`` sentences use centroid scoring
instead (similarity of each sentence to the document's word distribution), which is linear.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from wenzhi.nlp.segment import UserDictionary, get_user_dictionary

__all__ = ["summarize", "split_sentences"]

_SENT_RE = re.compile(r"[^。！？!?；;…\n\r]*(?:[。！？!?；;…]+[”’」』）)]*|[\n\r]+|$)")
_MAX_GRAPH = 150


def split_sentences(text: str) -> list[str]:
    """Split one text into sentences, keeping each sentence's end punctuation and closing quotes."""
    out = []
    for m in _SENT_RE.finditer(text):
        s = m.group(0).strip()
        if s:
            out.append(s)
    return out


def _content_words(words: list[str], stop: frozenset[str]) -> list[str]:
    return [w for w in words if len(w) >= 2 and w not in stop and any(c.isalpha() for c in w)] or [
        w for w in words if w.strip() and any(c.isalnum() for c in w)
    ]


def _textrank_scores(bags: list[Counter[str]], iterations: int = 30, d: float = 0.85) -> list[float]:
    n = len(bags)
    sets = [set(b) for b in bags]
    lens = [max(sum(b.values()), 1) for b in bags]
    weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            common = len(sets[i] & sets[j])
            if not common:
                continue
            denom = math.log(lens[i] + 1) + math.log(lens[j] + 1)
            w = common / denom if denom > 0 else 0.0
            if w > 0:
                weights[i].append((j, w))
                weights[j].append((i, w))
    out_sum = [sum(w for _, w in row) for row in weights]
    scores = [1.0] * n
    for _ in range(iterations):
        scores = [
            (1 - d) + d * sum(w / out_sum[j] * scores[j] for j, w in weights[i] if out_sum[j] > 0) for i in range(n)
        ]
    return scores


def _centroid_scores(bags: list[Counter[str]]) -> list[float]:
    centroid: Counter[str] = Counter()
    for b in bags:
        centroid.update(set(b))
    norm_c = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    scores = []
    for b in bags:
        dot = sum(c * centroid[w] for w, c in b.items())
        nb = math.sqrt(sum(c * c for c in b.values())) or 1.0
        scores.append(dot / (nb * norm_c))
    return scores


def summarize(
    texts: Iterable[str],
    *,
    max_sentences: int = 3,
    user_dict: UserDictionary | None = None,
) -> list[str]:
    """Return an extractive summary of each text: its ``max_sentences`` most central sentences.

    The chosen sentences keep their original order and punctuation and are joined without a
    separator (Chinese style). A text with at most ``max_sentences`` sentences is returned as
    its sentences joined; an empty text gives ``""``. Ties favour earlier sentences (news leads).
    """
    if max_sentences < 1:
        raise ValueError("max_sentences must be >= 1")
    from wenzhi.nlp.keywords import _stop_words  # noqa: PLC0415 - shared stop list

    stop = _stop_words()
    ud = user_dict if user_dict is not None else get_user_dictionary()
    results: list[str] = []
    for text in texts:
        sents = split_sentences(text or "")
        if len(sents) <= max_sentences:
            results.append("".join(sents))
            continue
        bags = [Counter(_content_words(ws, stop)) for ws in ud.cut(sents)]
        scores = _textrank_scores(bags) if len(sents) <= _MAX_GRAPH else _centroid_scores(bags)
        n = len(sents)
        # a small lead prior breaks ties towards the opening sentences, as news is written
        ranked = sorted(range(n), key=lambda i: (-(scores[i] * (1 + 0.1 * (n - i) / n)), i))
        chosen = sorted(ranked[:max_sentences])
        results.append("".join(sents[i] for i in chosen))
    return results
