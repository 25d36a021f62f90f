"""Near-duplicate applications: the same project re-applied under another name, in another district or year.

Built on ``wenzhi.nlp.dedup``: the same canonical text (traditional → simplified, width, punctuation and
spaces dropped), the same character shingles, the same MinHash signature and LSH banding that
:class:`~wenzhi.nlp.dedup.NearDuplicateIndex` uses, and the exact Jaccard check of every candidate, so LSH costs
a little recall near the threshold but never precision.

What differs is storage and the filter between LSH and the exact check. A project description is a few hundred
characters, and 50,000 earlier applications held as Python shingle sets would take gigabytes; here each
application keeps its canonical text, its MinHash signature (1 KB) and its band keys (64-bit integers, one per
LSH band), which is also what the database stores (``ApplicationFingerprint``). Applications of one call share
stock phrases (位于天津市…, 计划总投资…万元, 项目建成后…), so unrelated applications sit near Jaccard 0.2–0.3 and
LSH tuned for 0.5 returns thousands of candidates; the signatures of all candidates are compared at once
(fraction of equal MinHash values estimates the Jaccard similarity) and only those within reach of the
threshold get the exact check, their shingle sets rebuilt from the canonical text.

:func:`matched_passages` then aligns the sentences of two applications for the side-by-side view.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from wenzhi.nlp.dedup import NearDuplicateIndex, canonical_text, jaccard, shingles

__all__ = [
    "DEFAULT_THRESHOLD",
    "Fingerprint",
    "Match",
    "Passage",
    "DuplicateIndex",
    "fingerprint",
    "similarity",
    "matched_passages",
]

# Applications share the stock phrases of a call (项目建设内容, 总投资, 文化和科技融合…); at 0.5 two different
# projects of the same call stay apart while a renamed, reordered or lightly edited re-application is caught.
DEFAULT_THRESHOLD = 0.5
SHINGLE_SIZE = 2
NUM_PERM = 128

_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


@lru_cache(maxsize=4)
def _hasher(threshold: float) -> NearDuplicateIndex:
    """An empty nlp index: only its MinHash permutations and band layout for ``threshold`` are used."""
    return NearDuplicateIndex(threshold, shingle_size=SHINGLE_SIZE, num_perm=NUM_PERM)


# An estimate's standard error at J = 0.5 with 128 permutations is ≈ 0.044; 0.15 below the threshold is > 3σ.
PREFILTER_MARGIN = 0.15


@dataclass(frozen=True)
class Fingerprint:
    """What is stored per application: canonical text, MinHash signature and one 63-bit key per LSH band."""

    canonical: str
    keys: tuple[int, ...]
    signature: bytes = b""


@dataclass(frozen=True)
class Match:
    """An earlier application whose text reaches the threshold against the one checked."""

    key: Any
    similarity: float


@dataclass(frozen=True)
class Passage:
    """One sentence of the new text beside the most similar sentence of the earlier one."""

    new: str
    old: str
    similarity: float


def fingerprint(text: str, *, threshold: float = DEFAULT_THRESHOLD) -> Fingerprint:
    """Canonical text and band keys of one application text (empty keys when nothing is left of it)."""
    canon = canonical_text(text or "")
    sh = shingles(canon, SHINGLE_SIZE)
    if not sh:
        return Fingerprint(canon, ())
    idx = _hasher(threshold)
    raw = idx._signature(sh).astype("<u8").tobytes()  # noqa: SLF001 — the nlp index's own MinHash
    step = 8 * idx.rows
    keys = []
    for band in range(idx.bands):
        digest = hashlib.blake2b(raw[band * step : (band + 1) * step], digest_size=8,
                                 person=band.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)  # fits a signed 64-bit database column
    return Fingerprint(canon, tuple(keys), raw)


def similarity(canonical_a: str, canonical_b: str) -> float:
    """Exact Jaccard similarity of two canonical texts' shingle sets."""
    return jaccard(shingles(canonical_a, SHINGLE_SIZE), shingles(canonical_b, SHINGLE_SIZE))


def estimate(fp: Fingerprint, signatures: Sequence[bytes]):
    """MinHash estimates of Jaccard similarity between ``fp`` and many stored signatures (a numpy array)."""
    import numpy as np

    if not fp.signature or not signatures:
        return np.zeros(len(signatures))
    mine = np.frombuffer(fp.signature, dtype="<u8")
    theirs = np.frombuffer(b"".join(signatures), dtype="<u8").reshape(len(signatures), -1)
    return (theirs == mine).mean(axis=1)


def verify(fp: Fingerprint, candidates: Iterable[tuple[Any, str]], threshold: float) -> list[Match]:
    """Exact check of LSH candidates ``(key, canonical_text)``; matches most similar first."""
    sh = shingles(fp.canonical, SHINGLE_SIZE)
    out = []
    for key, canon in candidates:
        s = jaccard(sh, shingles(canon, SHINGLE_SIZE))
        if s >= threshold:
            out.append(Match(key, round(s, 4)))
    out.sort(key=lambda m: -m.similarity)
    return out


def prefilter(fp: Fingerprint, candidates: Sequence[tuple[Any, bytes]], threshold: float) -> list[Any]:
    """The LSH candidates ``(key, signature)`` whose estimated similarity is within reach of the threshold."""
    if not candidates:
        return []
    est = estimate(fp, [sig for _k, sig in candidates])
    floor = threshold - PREFILTER_MARGIN
    return [key for (key, _sig), e in zip(candidates, est, strict=True) if e >= floor]


class DuplicateIndex:
    """In-memory index over earlier applications with the same keys the database stores.

    ``add`` takes a text (or a ready :class:`Fingerprint`); ``check`` returns the earlier applications a new
    text near-duplicates, without adding it. ``exclude`` drops candidates (the application itself, or earlier
    applications of the same project that are legitimate re-applications).
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self._buckets: dict[int, list[Hashable]] = {}
        self._canon: dict[Hashable, str] = {}
        self._sig: dict[Hashable, bytes] = {}
        self._exact: dict[str, list[Hashable]] = {}

    def __len__(self) -> int:
        return len(self._canon)

    def add(self, key: Hashable, text: str | Fingerprint) -> None:
        fp = text if isinstance(text, Fingerprint) else fingerprint(text, threshold=self.threshold)
        if key in self._canon:
            raise KeyError(f"{key!r} is already in the index")
        self._canon[key] = fp.canonical
        self._sig[key] = fp.signature
        if fp.canonical:
            self._exact.setdefault(fp.canonical, []).append(key)
        for k in fp.keys:
            self._buckets.setdefault(k, []).append(key)

    def check(self, text: str | Fingerprint, *, exclude: Callable[[Hashable], bool] | None = None) -> list[Match]:
        fp = text if isinstance(text, Fingerprint) else fingerprint(text, threshold=self.threshold)
        exact = set(self._exact.get(fp.canonical, ()))
        cands: set[Hashable] = set()
        for k in fp.keys:
            cands.update(self._buckets.get(k, ()))
        cands -= exact
        if exclude:
            cands = {c for c in cands if not exclude(c)}
            exact = {c for c in exact if not exclude(c)}
        keep = prefilter(fp, [(c, self._sig[c]) for c in cands], self.threshold)
        return [Match(c, 1.0) for c in exact] + verify(fp, ((c, self._canon[c]) for c in keep), self.threshold)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(text or "") if len(canonical_text(s)) >= 4]


def matched_passages(new_text: str, old_text: str, *, threshold: float = 0.4, limit: int = 30) -> list[Passage]:
    """Sentences of ``new_text`` beside their most similar sentence of ``old_text`` (similarity ≥ threshold).

    In the order of the new text, so the two columns read like the two applications; each earlier sentence
    is used once.
    """
    old = [(s, shingles(canonical_text(s), SHINGLE_SIZE)) for s in _sentences(old_text)]
    used: set[int] = set()
    out: list[Passage] = []
    for sentence in _sentences(new_text):
        sh = shingles(canonical_text(sentence), SHINGLE_SIZE)
        best, best_sim = -1, 0.0
        for i, (_o, osh) in enumerate(old):
            if i in used:
                continue
            s = jaccard(sh, osh)
            if s > best_sim:
                best, best_sim = i, s
        if best >= 0 and best_sim >= threshold:
            used.add(best)
            out.append(Passage(sentence, old[best][0], round(best_sim, 3)))
            if len(out) >= limit:
                break
    return out
