"""Batched, vectorised computation of the NER model's attribute rows (the fast path of ``ner``).

``ner.features`` builds one list of attribute strings per character; that is what crfsuite
trains on, but building ~13 strings per character and looking each up costs more than the rest
of recognition together. Here a whole batch of sentences is one padded string turned into an
array of code points, and every attribute family becomes an array lookup: character attributes
via the batch's distinct characters, bigrams via ``searchsorted`` on integer keys, word position
and suffix distance from the word lengths. The result is the same rows ``ner.features`` would
select (a test checks the two paths tag identically).
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from wenzhi.nlp.ner import Gazetteer

_BASE = 0x110000  # code point range: bigram key = first * _BASE + second
_PAD_L, _PAD_R = "\x02", "\x03"
_CLASSES = "HNDLSAPBE"


class BatchFeaturizer:
    """Attribute rows for batches of width-folded sentences, for one model's attribute table."""

    def __init__(self, attrs: dict[str, int], unknown: int) -> None:
        from wenzhi.nlp import ner  # noqa: PLC0415

        self._ner = ner
        self._attrs = attrs
        self._unk = unknown
        self._char_rows: dict[str, tuple[int, ...]] = {}
        self._bigram = {p: self._bigram_table(p) for p in ("b-1=", "b0=", "s=")}
        cls = {c: k for k, c in enumerate(_CLASSES)}
        self._class_code = cls
        trig = np.full(len(_CLASSES) ** 3, unknown, dtype=np.int64)
        for a in _CLASSES:
            for b in _CLASSES:
                for c in _CLASSES:
                    trig[(cls[a] * 9 + cls[b]) * 9 + cls[c]] = attrs.get("t=" + a + b + c, unknown)
        self._trig = trig
        # word position: code = min(len, 4) * 8 + place (0 S, 1 B, 2 M, 3 E)
        wp = np.full(5 * 8, unknown, dtype=np.int64)
        wp[1 * 8 + 0] = attrs.get("w=S", unknown)
        for ln in range(2, 5):
            for k, place in enumerate("BME", 1):
                wp[ln * 8 + k] = attrs.get(f"w={place}{ln}", unknown)
        self._wp = wp
        # suffix kind (0 none, 1 O, 2 L) × distance slot (0..15 buckets by distance, 16 "od=", 17 none)
        far = len(ner._DIST)
        sx = np.full(3 * (far + 2), unknown, dtype=np.int64)
        for ki, kind in enumerate(("", "O", "L")):
            for slot, name in enumerate(ner._SX[kind]):
                sx[ki * (far + 2) + slot] = attrs.get(name, unknown)
        self._sx, self._far = sx, far
        self._gaz_rows: dict[str, int] = {}
        self._kinds = _KindCodes()
        # every character the model has weights for, up front (a few thousand look-ups at load):
        # otherwise a first pass over new text pays them one distinct character at a time
        for a in attrs:
            if a.startswith("c0=") and len(a) == 4:
                self._char(a[3])

    def _bigram_table(self, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        keys, rows = [], []
        n = len(prefix)
        for a, r in self._attrs.items():
            if a.startswith(prefix) and len(a) == n + 2:
                keys.append(ord(a[n]) * _BASE + ord(a[n + 1]))
                rows.append(r)
        order = np.argsort(np.array(keys, dtype=np.int64))
        return np.array(keys, dtype=np.int64)[order], np.array(rows, dtype=np.int64)[order]

    def _lookup(self, table: tuple[np.ndarray, np.ndarray], q: np.ndarray) -> np.ndarray:
        keys, rows = table
        if not len(keys):
            return np.full(len(q), self._unk, dtype=np.int64)
        pos = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
        return np.where(keys[pos] == q, rows[pos], self._unk)

    def _char(self, c: str) -> tuple[int, ...]:
        r = self._char_rows.get(c)
        if r is None:
            a, unk = self._attrs, self._unk
            if c == _PAD_L:
                name, klass = "<s>", "B"
            elif c == _PAD_R:
                name, klass = "</s>", "E"
            else:
                name, klass = c, self._ner._CHARS[c][0]
            r = (*(a.get(p + name, unk) for p in ("c-2=", "c-1=", "c0=", "c1=", "c2=")), self._class_code[klass])
            if len(self._char_rows) < 200_000:
                self._char_rows[c] = r
        return r

    def rows(self, views: list[str], words: list[list[str]], gaz: Gazetteer) -> list[np.ndarray]:
        """One array of attribute rows per feature family, each over the concatenated sentences (pads
        excluded). A list, not one stacked array: the caller sums weights family by family anyway."""
        lens = np.fromiter(map(len, views), dtype=np.int64, count=len(views))
        padded = "".join(_PAD_L * 2 + v + _PAD_R * 2 for v in views)
        cp = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(lens + 4)[:-1])) + 2
        real = np.repeat(starts - np.concatenate(([0], np.cumsum(lens)[:-1])), lens) + np.arange(int(lens.sum()))
        uniq, inv = np.unique(cp, return_inverse=True)
        table = np.array([self._char(chr(u)) for u in uniq.tolist()], dtype=np.int64).reshape(-1, 6)
        per = table[inv]  # (padded_len, 6)
        out = [per[real + k - 2, k] for k in range(5)]
        out.append(self._lookup(self._bigram["b-1="], cp[real - 1] * _BASE + cp[real]))
        b0_keys = cp[real] * _BASE + cp[real + 1]
        out.append(self._lookup(self._bigram["b0="], b0_keys))
        out.append(self._lookup(self._bigram["s="], cp[real - 1] * _BASE + cp[real + 1]))
        k = per[:, 5]
        out.append(self._trig[(k[real - 1] * 9 + k[real]) * 9 + k[real + 1]])
        wp, sx = self._word_rows(views, words, lens, cp[real])
        out += [wp, sx, self._gaz(views, gaz, b0_keys, lens, cp, real)]
        return out

    def _word_rows(self, views: list[str], words: list[list[str]], lens: np.ndarray,
                   chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        fixed = [ws if sum(map(len, ws)) == len(v) else list(v) for v, ws in zip(views, words, strict=True)]
        flat = list(chain.from_iterable(fixed))
        wl = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
        total = int(wl.sum())
        wstart = np.cumsum(wl) - wl
        # only a word whose last character ends some suffix can have a suffix kind: the others (most
        # words) get 0 without a Python look-up, so unseen words cost nothing on a first pass
        kind = np.zeros(len(flat), dtype=np.int64)
        maybe = np.nonzero(np.isin(chars[wstart + wl - 1], self._kinds.last_chars))[0].tolist()
        if maybe:
            kinds = self._kinds
            kind[maybe] = [kinds[flat[i]] for i in maybe]
        widx = np.repeat(np.arange(len(flat)), wl)
        place = np.arange(total) - wstart[widx]
        ln = wl[widx]
        code = np.where(ln == 1, 0, np.where(place == 0, 1, np.where(place == ln - 1, 3, 2)))
        wp = self._wp[np.minimum(ln, 4) * 8 + code]
        # the end of the nearest organisation-suffixed word at or after each char, within its sentence
        sent_end = np.repeat(np.cumsum(lens), lens)
        wend = wstart + wl
        big = np.int64(1) << 40
        org_end = np.where(kind == 1, wend, big)[widx]
        nxt = np.minimum.accumulate(org_end[::-1])[::-1]
        d = nxt - np.arange(total)
        none = nxt > sent_end  # the next one is in a later sentence
        far = self._far
        slot = np.where(none, far + 1, np.where(d <= far, d - 1, far))
        sx = self._sx[kind[widx] * (far + 2) + slot]
        return wp, sx

    def _gaz(self, views: list[str], gaz: Gazetteer, b0_keys: np.ndarray, lens: np.ndarray,
             cp: np.ndarray, real: np.ndarray) -> np.ndarray:
        """Gazetteer marks (longest match first, no overlaps), as in ``Gazetteer.marks``.

        Candidates are the positions whose first two characters open some name; for them the
        polynomial hash of every following substring of a name length is compared with the names'
        hashes (vectorised over the candidates), so Python only sees the hits, which are then
        checked against the names themselves (a hash collision falls back to ``match_at``)."""
        out = np.full(len(b0_keys), self._unk, dtype=np.int64)
        prefixes = gaz.prefix_keys()
        if not len(prefixes):
            return out
        at = np.minimum(np.searchsorted(prefixes, b0_keys), len(prefixes) - 1)
        cand = np.nonzero(prefixes[at] == b0_keys)[0]
        if not len(cand):
            return out
        best = np.zeros(len(cand), dtype=np.int64)
        by_len = gaz.name_hashes()
        start = real[cand]
        padded = np.concatenate((cp, np.zeros(max(by_len) + 1, dtype=cp.dtype))).astype(np.uint64)
        h = np.zeros(len(cand), dtype=np.uint64)
        mul = np.uint64(gaz.HASH_BASE)
        with np.errstate(over="ignore"):
            for ln in range(1, max(by_len) + 1):
                h = h * mul + padded[start + ln - 1]
                table = by_len.get(ln)
                if table is not None:
                    pos = np.minimum(np.searchsorted(table, h), len(table) - 1)
                    best[table[pos] == h] = ln  # longer lengths come later and win
        hit = np.nonzero(best)[0]
        if not len(hit):
            return out
        before = np.concatenate(([0], np.cumsum(lens)[:-1]))
        qs = cand[hit]
        sent_of = np.searchsorted(before, qs, side="right") - 1
        rows, attrs, unk, names = self._gaz_rows, self._attrs, self._unk, gaz.names
        after = -1
        for q, j, ln in zip(qs.tolist(), sent_of.tolist(), best[hit].tolist(), strict=True):
            if q < after:
                continue
            i = q - int(before[j])
            v = views[j]
            lab = names.get(v[i : i + ln]) if i + ln <= len(v) else None
            if lab is None:  # hash collision (or a name running past the sentence): the exact way
                m = gaz.match_at(v, i)
                if m is None:
                    continue
                ln, lab = m
            for tag, lo, hi in (("gB", q, q + 1), ("gI", q + 1, q + ln)):
                name = tag + lab
                r = rows.get(name)
                if r is None:
                    r = rows[name] = attrs.get(name, unk)
                out[lo:hi] = r
            after = q + ln
        return out


class _KindCodes(dict):
    """word → 0 (no suffix), 1 (organisation suffix), 2 (place suffix); filled on first sight.

    ``last_chars``: code points of the characters a word must end with to have a kind at all."""

    def __init__(self) -> None:
        super().__init__()
        from wenzhi.nlp.ner import _LOC_SFX, _ORG_SFX  # noqa: PLC0415

        ends = {s[-1] for s in (*_ORG_SFX, *_LOC_SFX)} | {"局", "委"}
        self.last_chars = np.array(sorted(map(ord, ends)), dtype=np.int64)

    def __missing__(self, w: str) -> int:
        from wenzhi.nlp.ner import _word_kind  # noqa: PLC0415

        k = {"O": 1, "L": 2}.get(_word_kind(w), 0)
        if len(self) < 500_000:
            self[w] = k
        return k
