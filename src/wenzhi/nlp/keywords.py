"""Keyword extraction: TF-IDF with jieba's IDF table, and TextRank over a word co-occurrence graph.

Both follow ``jieba.analyse`` (same IDF table, same stop words, same TextRank window and
damping) but segment with rjieba through :mod:`wenzhi.nlp.segment`, so registry names added
with :func:`~wenzhi.nlp.segment.set_user_words` come out as single keywords and extraction runs
an order of magnitude faster than jieba's own segmenter.
"""

from __future__ import annotations

import heapq
import os
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from wenzhi.nlp.segment import UserDictionary, get_user_dictionary

__all__ = ["keywords"]

# jieba.analyse's stop words plus common function words that its IDF table scores high
_EXTRA_STOP = {
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as", "on", "with",
    "can", "if", "from", "which", "you", "it", "this", "then", "at", "have", "all", "not", "one", "has", "or",
    "一个", "没有", "我们", "你们", "他们", "她们", "这个", "那个", "这些", "那些", "什么", "怎么", "如何", "为什么",
    "可以", "已经", "就是", "还是", "但是", "因为", "所以", "如果", "虽然", "以及", "或者", "而且", "并且",
    "进行", "通过", "对于", "关于", "其中", "这样", "那样", "自己", "之后", "之前", "以后", "以上", "以下",
    "目前", "今天", "昨天", "明天", "今年", "去年", "近日", "日前", "表示", "认为", "记者", "报道", "据悉",
    "不是", "不会", "不能", "一些", "一下", "一起", "一样", "还有", "只是", "这是", "那么", "这种", "成为",
}
# parts of speech TextRank keeps (jieba's default ns, n, vn, v, plus organisation/other proper nouns)
_TEXTRANK_POS = frozenset({"ns", "n", "vn", "v", "nz", "nt", "nr", "nrt", "eng"})


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        raise ImportError("jieba is required for its IDF table (pip install jieba)")
    path = os.path.join(os.path.dirname(spec.origin), "analyse", "idf.txt")
    idf: dict[str, float] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ")
            if len(parts) == 2:
                idf[parts[0]] = float(parts[1])
    values = sorted(idf.values())
    return idf, values[len(values) // 2]


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    try:
        from jieba.analyse.tfidf import STOP_WORDS  # noqa: PLC0415

        base = set(STOP_WORDS)
    except ImportError:  # pragma: no cover
        base = set()
    return frozenset(base | _EXTRA_STOP)


def _usable(w: str, stop: frozenset[str]) -> bool:
    w = w.strip()
    if len(w) < 2 or w.lower() in stop:
        return False
    # drop pure numbers and punctuation; keep anything with a letter or a CJK character
    return any(c.isalpha() for c in w)


def _tfidf(words: list[str], top_k: int) -> list[tuple[str, float]]:
    idf, median = _idf()
    stop = _stop_words()
    freq: dict[str, int] = defaultdict(int)
    for w in words:
        if _usable(w, stop):
            freq[w.strip()] += 1
    if not freq:
        return []
    total = sum(freq.values())
    scored = ((w, c * idf.get(w, median) / total) for w, c in freq.items())
    return heapq.nlargest(top_k, scored, key=lambda x: (x[1], x[0]))


def _textrank(tagged: list[tuple[str, str]], top_k: int, window: int = 5, iterations: int = 10) -> list[tuple[str, float]]:
    stop = _stop_words()
    # as jieba: words outside the allowed POS break nothing but are skipped as graph nodes;
    # co-occurrence counts pairs of kept words within ``window`` positions of the full sequence
    seq = [(w.strip(), f) for w, f in tagged]
    keep = [f in _TEXTRANK_POS and _usable(w, stop) for w, f in seq]
    edges: dict[tuple[str, str], int] = defaultdict(int)
    for i, (w, _) in enumerate(seq):
        if not keep[i]:
            continue
        for j in range(i + 1, min(i + window, len(seq))):
            if not keep[j]:
                continue
            w2 = seq[j][0]
            if w2 != w:
                edges[(w, w2)] += 1
    if not edges:
        # a text with a single usable word (or none): its TF-IDF ranking, scaled to best = 1.0
        ranked = _tfidf([w for (w, _), k in zip(seq, keep, strict=True) if k], top_k)
        return [(w, s / ranked[0][1]) for w, s in ranked] if ranked else []
    graph: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (a, b), c in edges.items():
        graph[a].append((b, c))
        graph[b].append((a, c))
    out_sum = {n: sum(c for _, c in nbrs) for n, nbrs in graph.items()}
    d = 0.85
    ws = dict.fromkeys(graph, 1.0 / len(graph))
    for _ in range(iterations):
        new = {}
        for n in sorted(graph):
            s = 0.0
            for m, c in graph[n]:
                s += c / out_sum[m] * ws[m]
            new[n] = (1 - d) + d * s
        ws = new
    lo, hi = min(ws.values()), max(ws.values())
    span = (hi - lo / 10.0) or 1.0
    scored = ((n, (v - lo / 10.0) / span) for n, v in ws.items())
    return heapq.nlargest(top_k, scored, key=lambda x: (x[1], x[0]))


def keywords(
    texts: Iterable[str],
    *,
    method: str = "tfidf",
    top_k: int = 10,
    user_dict: UserDictionary | None = None,
) -> list[list[tuple[str, float]]]:
    """Extract up to ``top_k`` keywords with weights from each text, highest weight first.

    ``method="tfidf"``: term frequency times jieba's IDF (unknown words get the median IDF),
    normalised by the number of usable words, as ``jieba.analyse.extract_tags``.
    ``method="textrank"``: PageRank (d = 0.85, 10 iterations) over a co-occurrence graph of
    nouns, verbs and proper nouns within a 5-word window, as ``jieba.analyse.textrank``;
    weights are scaled so the best word scores 1.0.
    Stop words, single characters and pure numbers are never keywords. Empty text → ``[]``.
    """
    if method not in ("tfidf", "textrank"):
        raise ValueError(f"method must be 'tfidf' or 'textrank', not {method!r}")
    if top_k < 1:
        raise ValueError("top_k must be >= 1")
    ud = user_dict if user_dict is not None else get_user_dictionary()
    texts = list(texts)
    if method == "tfidf":
        return [_tfidf(ws, top_k) for ws in ud.cut(texts)]
    return [_textrank(tags, top_k) for tags in ud.tag(texts)]
