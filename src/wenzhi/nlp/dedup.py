"""Near-duplicate detection over a stream of texts: MinHash/LSH candidates, exact verification.

Each text is canonicalised (traditional → simplified, full-width → half-width, lowercase, repost
prefixes such as 【快讯】 or "转:" and picture tags such as (组图) dropped, punctuation and spaces
removed) and cut into overlapping character shingles (bigrams by default). A MinHash signature
feeds an LSH index whose bands are chosen for the threshold; every candidate it returns is
then checked with the exact Jaccard similarity of the two shingle sets, so LSH costs a little
recall near the threshold but never precision.

Items are added one at a time (:meth:`NearDuplicateIndex.add`) and each add returns the earlier
items it duplicates, so a feed can be de-duplicated as it arrives.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache
from typing import Any

__all__ = ["NearDuplicateIndex", "find_near_duplicates", "canonical_text", "shingles", "jaccard"]

# repost/flash prefixes and picture tags that editors add or drop without changing the story
_PREFIX_RE = re.compile(
    r"^(?:\s*(?:【[^】]{0,12}】|\[[^\]]{0,12}\]|〖[^〗]{0,12}〗|"
    r"(?:转|转发|转载|转帖|快讯|独家|突发|最新|重磅|热点|视频|图文|直击|组图|图)\s*[:：!！|丨]|"
    r"//\s*@?[^:：]{0,20}[:：]))+"
)
_SUFFIX_RE = re.compile(r"(?:[(（\[【](?:组图|图|附图|视频|图文|多图|高清组图|全文|更新|转)[)）\]】]\s*)+$")
_KEEP_RE = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")

_P = 4294967311  # a prime just above 2**32; keeps (a*x + b) mod p inside uint64


def canonical_text(text: str) -> str:
    """Canonical form of one text for duplicate comparison (see the module docstring)."""
    from wenzhi.nlp.normalize import normalize  # noqa: PLC0415

    t = normalize([text], halfwidth_punct=True, lowercase=True)[0]
    t = _PREFIX_RE.sub("", t)
    t = _SUFFIX_RE.sub("", t.strip())
    return _KEEP_RE.sub("", t)


def _canonical_many(texts: Sequence[str]) -> list[str]:
    from wenzhi.nlp.normalize import normalize  # noqa: PLC0415

    out = []
    for t in normalize(texts, halfwidth_punct=True, lowercase=True):
        t = _PREFIX_RE.sub("", t)
        t = _SUFFIX_RE.sub("", t.strip())
        out.append(_KEEP_RE.sub("", t))
    return out


def shingles(canonical: str, k: int = 2) -> frozenset[str]:
    """Character k-shingles of a canonical text (the whole text when shorter than k)."""
    if len(canonical) <= k:
        return frozenset([canonical]) if canonical else frozenset()
    return frozenset(canonical[i : i + k] for i in range(len(canonical) - k + 1))


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    """Jaccard similarity |a ∩ b| / |a ∪ b| (0.0 for two empty sets)."""
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _lsh_params(threshold: float, num_perm: int, fn_weight: float = 0.9) -> tuple[int, int]:
    """Bands and rows minimising weighted false-negative + false-positive probability mass."""
    import numpy as np  # noqa: PLC0415

    xs_lo = np.linspace(0.0, threshold, 200)
    xs_hi = np.linspace(threshold, 1.0, 200)
    best = (1, num_perm)
    best_err = float("inf")
    for b in range(1, num_perm + 1):
        r = num_perm // b
        if r < 1:
            break
        fp = np.trapezoid(1 - (1 - xs_lo**r) ** b, xs_lo)
        fn = np.trapezoid((1 - xs_hi**r) ** b, xs_hi)
        err = (1 - fn_weight) * fp + fn_weight * fn
        if err < best_err:
            best_err, best = err, (b, r)
    return best


@lru_cache(maxsize=8)
def _perms(num_perm: int, seed: int):
    import numpy as np  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**31, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 2**31, size=num_perm, dtype=np.uint64)
    return a, b


class NearDuplicateIndex:
    """Streaming near-duplicate index over character shingles.

    ``threshold`` is the Jaccard similarity of canonical shingle sets at or above which two
    texts are duplicates (0.5 by default; measured precision/recall per threshold are in
    ``src/wenzhi/nlp/README.md``). ``shingle_size`` is the character n-gram length,
    ``num_perm`` the MinHash length; the LSH bands are derived from them. Memory per item is its
    shingle set plus ``num_perm`` 8-byte integers.
    """

    def __init__(
        self, threshold: float = 0.5, *, shingle_size: int = 2, num_perm: int = 128, seed: int = 1
    ) -> None:
        if not 0 < threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.shingle_size = shingle_size
        self.num_perm = num_perm
        self.seed = seed
        self.bands, self.rows = _lsh_params(threshold, num_perm)
        self._tables: list[dict[bytes, list[Hashable]]] = [{} for _ in range(self.bands)]
        self._sets: dict[Hashable, frozenset[str]] = {}
        self._exact: dict[str, list[Hashable]] = {}

    def __len__(self) -> int:
        return len(self._sets)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._sets

    def _signature(self, sh: frozenset[str]):
        import numpy as np  # noqa: PLC0415

        a, b = _perms(self.num_perm, self.seed)
        hv = np.fromiter((zlib.crc32(s.encode("utf-8")) for s in sh), dtype=np.uint64, count=len(sh))
        return ((hv[:, None] * a[None, :] + b[None, :]) % np.uint64(_P)).min(axis=0)

    def query(self, text: str) -> list[tuple[Hashable, float]]:
        """Earlier items whose similarity to ``text`` reaches the threshold, most similar first."""
        return self._query(_canonical_many([text])[0])[0]

    def _query(self, canon: str):
        sh = shingles(canon, self.shingle_size)
        if not sh:
            return [], sh, None, []
        sig = self._signature(sh)
        raw, step = sig.tobytes(), 8 * self.rows
        keys = [raw[i * step : (i + 1) * step] for i in range(self.bands)]
        cands: set[Hashable] = set(self._exact.get(canon, ()))
        for table, key in zip(self._tables, keys, strict=True):
            hit = table.get(key)
            if hit:
                cands.update(hit)
        out = []
        for c in cands:
            s = jaccard(sh, self._sets[c])
            if s >= self.threshold:
                out.append((c, s))
        out.sort(key=lambda x: -x[1])
        return out, sh, sig, keys

    def add(self, item_id: Hashable, text: str) -> list[tuple[Hashable, float]]:
        """Add one item and return ``[(earlier_id, similarity), ...]`` of its near-duplicates.

        Texts with nothing left after canonicalisation (only punctuation or emoji) are stored
        but never match. Re-adding an existing id raises ``KeyError``.
        """
        if item_id in self._sets:
            raise KeyError(f"id {item_id!r} is already in the index")
        canon = _canonical_many([text])[0]
        out, sh, _sig, keys = self._query(canon)
        self._sets[item_id] = sh
        if sh:
            self._exact.setdefault(canon, []).append(item_id)
            for table, key in zip(self._tables, keys, strict=True):
                table.setdefault(key, []).append(item_id)
        return out


def find_near_duplicates(
    items: Iterable[tuple[Hashable, str]], *, threshold: float = 0.5, **index_options: Any
) -> dict[str, Any]:
    """De-duplicate a batch of ``(id, text)`` items in order.

    Returns ``{"pairs": [(later_id, earlier_id, similarity), ...], "groups": [[id, ...], ...]}``
    where groups are the connected components (two or more ids) of the duplicate pairs, each
    listed in input order.
    """
    index = NearDuplicateIndex(threshold, **index_options)
    pairs: list[tuple[Hashable, Hashable, float]] = []
    order: dict[Hashable, int] = {}
    parent: dict[Hashable, Hashable] = {}

    def find(x: Hashable) -> Hashable:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item_id, text in items:
        order[item_id] = len(order)
        parent[item_id] = item_id
        for other, sim in index.add(item_id, text):
            pairs.append((item_id, other, sim))
            ra, rb = find(item_id), find(other)
            if ra != rb:
                parent[ra] = rb
    comps: dict[Hashable, list[Hashable]] = {}
    for item_id in order:
        comps.setdefault(find(item_id), []).append(item_id)
    groups = [g for g in comps.values() if len(g) > 1]
    groups.sort(key=lambda g: order[g[0]])
    return {"pairs": pairs, "groups": groups}
