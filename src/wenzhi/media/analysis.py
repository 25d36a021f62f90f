"""Analysis of a batch of documents with ``wenzhi.nlp``: lists in, lists out, no database writes.

Per document: normalised clean text, keywords, sentiment, topic (TNEWS 15 classes), culture relevance and
sector, a 64-bit SimHash, the words the search index stores, and the registry entities (enterprises, parks,
projects, districts) it mentions.

For speed the batch is worked on as a whole: the character n-grams of every text are computed once (numpy) and
scored by both fast models (sentiment, topic); each text is segmented once (rjieba, search mode) and those words
give the keywords and the index words; the SimHash comes from the same character bigrams.
"""

from __future__ import annotations

import heapq
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from wenzhi.nlp import culture as nlp_culture
from wenzhi.nlp.features import _tfidf_rows, char_codes, get_model, prepare_batch
from wenzhi.nlp.normalize import normalize
from wenzhi.nlp.topic import SCHEMES

from .text import REPOST_MARKS

SENTIMENT_MODEL = "sentiment-reviews-fast"
TOPIC_MODEL = "topic-tnews15-fast"
#: probability of positive above which a document is positive, below which negative (between: neutral)
POSITIVE_AT = 0.65
NEGATIVE_AT = 0.35
TOP_KEYWORDS = 5
LINKER_TTL = 300.0  # seconds before the registry's names are read again

_BIGRAM_LOW = np.uint64(1 << 21)
_BIGRAM_HIGH = np.uint64(1 << 42)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class Analysis:
    clean_text: str
    keywords: str = ""
    sentiment: str = "neutral"
    sentiment_score: float = 0.5
    topic: str = ""
    culture_relevance: float = 0.0
    is_culture: bool = False
    sector: str = ""
    simhash: int | None = None
    title_words: str = ""
    body_words: str = ""
    links: list[tuple[str, int, float, int]] = field(default_factory=list)  # (kind, id, confidence, mentions)
    district_id: int | None = None


# --- models -------------------------------------------------------------------------------------------------

def _char_model(name: str):
    clf = get_model(name)
    if clf.ngram is None or clf.words is not None or clf.e5 is not None or not hasattr(clf.ngram, "lookup"):
        return clf, None
    return clf, clf.ngram


def model_probabilities(prepared: Sequence[str], codes: np.ndarray, rows: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray]:
    """(P positive per text, TNEWS-15 probabilities per text in :data:`SCHEMES` order) from n-gram codes
    computed once for both models."""
    n = len(prepared)
    out = []
    for name in (SENTIMENT_MODEL, TOPIC_MODEL):
        clf, char = _char_model(name)
        if char is None:
            proba = clf.predict_proba_prepared(list(prepared))
        else:
            idx = char.lookup(codes)
            hit = idx >= 0
            x = _tfidf_rows(rows[hit], idx[hit], n, char.idf)
            scores = np.asarray(x @ char.coef) + char.intercept
            proba = clf._to_proba(scores, clf.temperature.get("ngram", 1.0))
        out.append((clf, proba))
    (s_clf, s_proba), (t_clf, t_proba) = out
    positive = s_proba[:, s_clf.classes.index("1")]
    order = [t_clf.classes.index(c) for c in SCHEMES["tnews15"]]
    return positive, t_proba[:, order]


# Repost marks at the start of the title or of the text (【转载】, [快讯], 转：...) left out of the SimHash, as the
# title rule folds them (:func:`wenzhi.media.text.title_key`): on short texts their bigrams moved copies by
# several bits.
_REPOST = re.compile("^" + REPOST_MARKS, re.M)


def near_hashes(joined: Sequence[str], codes: np.ndarray, rows: np.ndarray) -> list[int | None]:
    """SimHash per text from the batch's n-gram codes; texts with a repost mark are hashed again without it."""
    hashes = simhashes(codes, rows, len(joined))
    marked = [(i, stripped) for i, t in enumerate(joined) if (stripped := _REPOST.sub("", t)) != t]
    if marked:
        again = prepare_batch([t for _i, t in marked])
        more = simhashes(*char_codes(again, 2), len(again))
        for (i, _t), h in zip(marked, more, strict=True):
            hashes[i] = h
    return hashes


def simhashes(codes: np.ndarray, rows: np.ndarray, n: int) -> list[int | None]:
    """64-bit SimHash of each text over its character bigrams (signed, for a BigIntegerField); None for a
    text without any bigram."""
    mask = (codes >= _BIGRAM_LOW) & (codes < _BIGRAM_HIGH)
    big, brow = codes[mask], rows[mask]
    out: list[int | None] = [None] * n
    if not len(big):
        return out
    with np.errstate(over="ignore"):
        h = big * _MIX
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    counts = np.bincount(brow, minlength=n)
    acc = np.zeros(n, dtype=np.uint64)
    octets = h.view(np.uint8).reshape(-1, 8)
    for j in range(8):  # bit 8j+b is set where more than half of the text's bigram hashes have it
        col = octets[:, j]
        for b in range(8):
            ones = np.bincount(brow, weights=(col >> b) & 1, minlength=n)
            acc |= (2 * ones > counts).astype(np.uint64) << np.uint64(8 * j + b)
    for r, (v, c) in enumerate(zip(acc.view(np.int64).tolist(), counts.tolist(), strict=True)):
        if c:
            out[r] = v
    return out


# --- culture ------------------------------------------------------------------------------------------------

def culture(prepared: str, topic_p: dict[str, float]) -> tuple[float, str]:
    """(relevance 0–1, best sector) as :func:`wenzhi.nlp.culture.culture_relevance`, from topic probabilities
    already computed for the batch (so the TNEWS model runs once)."""
    if not prepared:
        return 0.0, ""
    sectors, _evidence = nlp_culture._keyword_scores(prepared)
    model_score = nlp_culture._MODEL_CAP * sum(topic_p[c] for c in nlp_culture._MODEL_CULTURE)
    for cls, shares in nlp_culture._MODEL_SECTORS.items():
        for sector, share in shares:
            sectors[sector] = max(sectors.get(sector, 0.0), nlp_culture._MODEL_CAP * share * topic_p[cls])
    score = 1.0 - (1.0 - max(sectors.values(), default=0.0)) * (1.0 - model_score)
    best = max(sectors.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0.0))
    sector = best[0] if best[1] >= nlp_culture.SECTOR_MIN_SCORE else ""
    return round(float(score), 4), sector


# --- words --------------------------------------------------------------------------------------------------

_word_info: dict[str, tuple[str | None, str | None, float]] = {}
_WORD_CACHE_MAX = 400_000


def _info(word: str) -> tuple[str | None, str | None, float]:
    """(the word as the index stores it or None, the word as a keyword or None when it cannot be one, its
    keyword IDF), memoised: the same few hundred thousand words come back in every batch."""
    got = _word_info.get(word)
    if got is None:
        from wenzhi.core.search import text as search_text
        from wenzhi.nlp.keywords import _idf, _stop_words, _usable

        cleaned = search_text._clean([word])
        idf, median = _idf()
        usable = _usable(word, _stop_words())
        got = (cleaned[0] if cleaned else None, word.strip() if usable else None,
               (idf.get(word.strip(), median) or median) if usable else median)
        if len(_word_info) > _WORD_CACHE_MAX:
            _word_info.clear()
        _word_info[word] = got
    return got


def words(title: str, body: str) -> tuple[str, str, str]:
    """(title index words, body index words, keywords): one search-mode cut per field, as core's index
    (:func:`wenzhi.core.search.text.index_words`); keywords are TF-IDF over the same words (jieba's IDF table
    and stop words, as :func:`wenzhi.nlp.keywords.keywords`), the title counting twice."""
    from wenzhi.core.search import text as search_text

    cut = search_text._segmenter().cut_for_search
    known = _word_info.get
    fields = []
    freq: dict[str, int] = {}
    idf_of: dict[str, float] = {}
    for weight, value in ((2, title), (1, body)):
        kept: dict[str, None] = {}
        for token in (cut(value, True) if value else ()):
            indexed, keyword, idf = known(token) or _info(token)
            if indexed is not None:
                kept[indexed] = None
            if keyword is not None:
                freq[keyword] = freq.get(keyword, 0) + weight
                idf_of[keyword] = idf
        fields.append(" ".join(kept))
    if freq:
        total = sum(freq.values())
        ranked = heapq.nlargest(TOP_KEYWORDS, ((w, c * idf_of[w] / total) for w, c in freq.items()),
                                key=lambda x: (x[1], x[0]))
        kw = " ".join(w for w, _ in ranked)
    else:
        kw = ""
    return fields[0], fields[1], kw


# --- entities -----------------------------------------------------------------------------------------------

class _Linker:
    """The registry's entities (enterprises, parks, projects, districts) with each one's district; rebuilt
    every :data:`LINKER_TTL` seconds in a long-running worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built = 0.0
        self._linker = None
        self._district: dict[str, int | None] = {}

    def get(self):
        with self._lock:
            if self._linker is None or time.monotonic() - self._built > LINKER_TTL:
                self._linker, self._district = _build_linker()
                self._built = time.monotonic()
            return self._linker, self._district

    def reset(self) -> None:
        with self._lock:
            self._linker = None


def _build_linker():
    from wenzhi.core import hooks
    from wenzhi.nlp.entities import Entity, EntityLinker
    from wenzhi.projects.models import Project
    from wenzhi.registry.models import Enterprise, Park

    entities = list(hooks.entities_for_linking())
    entities += [Entity(id=f"project:{pk}", kind="project", name=name)
                 for pk, name in Project.objects.values_list("id", "name") if name and len(name) >= 4]
    district: dict[str, int | None] = {}
    for e in entities:
        if e.kind == "district":
            district[e.id] = int(e.id.split(":")[1])
    district.update({f"enterprise:{pk}": d for pk, d in Enterprise.objects.values_list("id", "district_id")})
    district.update({f"park:{pk}": d for pk, d in Park.objects.values_list("id", "district_id")})
    district.update({f"project:{pk}": d for pk, d in Project.objects.values_list("id", "district_id")})
    return EntityLinker(entities), district


linker_cache = _Linker()


def link(texts: Sequence[str]) -> list[tuple[list[tuple[str, int, float, int]], int | None]]:
    """Per text: ([(kind, id, confidence, mentions)], district id) — the district named in the text, else the
    district of the most-mentioned linked entity."""
    linker, district_of = linker_cache.get()
    if not linker.entities:
        return [([], None)] * len(texts)
    out: list[tuple[list[tuple[str, int, float, int]], int | None]] = []
    for mentions in linker.link(texts):
        if not mentions:
            out.append(([], None))
            continue
        counts: Counter[str] = Counter(m.entity_id for m in mentions if m.entity_id)
        best_conf: dict[str, float] = {}
        for m in mentions:
            if m.entity_id:
                best_conf[m.entity_id] = max(best_conf.get(m.entity_id, 0.0), m.confidence)
        links = []
        named_district = None
        for eid, count in counts.most_common():
            kind, _, pk = eid.partition(":")
            if kind == "district":
                named_district = named_district or int(pk)
            else:
                links.append((kind, int(pk), round(best_conf[eid], 3), count))
        district = named_district
        if district is None:
            district = next((district_of.get(f"{k}:{pk}") for k, pk, _c, _n in links
                             if district_of.get(f"{k}:{pk}")), None)
        out.append((links, district))
    return out


# --- the batch ----------------------------------------------------------------------------------------------

def analyse(titles: Sequence[str], texts: Sequence[str]) -> list[Analysis]:
    """Analyse documents given as plain titles and texts (HTML already stripped)."""
    n = len(titles)
    if not n:
        return []
    clean = normalize(list(texts))
    clean_titles = normalize(list(titles))
    joined = [f"{t}\n{c}" if c else t for t, c in zip(clean_titles, clean, strict=True)]
    prepared = prepare_batch(joined)
    codes, rows = char_codes(prepared, 3)
    positive, topic_p = model_probabilities(prepared, codes, rows)
    hashes = near_hashes(joined, codes, rows)
    labels = SCHEMES["tnews15"]
    top = topic_p.argmax(axis=1).tolist()
    linked = link(joined)
    out = []
    for i in range(n):
        p = float(positive[i])
        score, sector = culture(prepared[i], dict(zip(labels, topic_p[i].tolist(), strict=True)))
        title_words, body_words, kw = words(clean_titles[i], clean[i])
        links, district = linked[i]
        out.append(Analysis(
            clean_text=clean[i], keywords=kw[:400],
            sentiment="positive" if p >= POSITIVE_AT else "negative" if p <= NEGATIVE_AT else "neutral",
            sentiment_score=round(p, 4), topic=labels[top[i]] if prepared[i] else "",
            culture_relevance=score, is_culture=score >= nlp_culture.RELEVANCE_THRESHOLD, sector=sector,
            simhash=hashes[i], title_words=title_words, body_words=body_words, links=links,
            district_id=district))
    return out
