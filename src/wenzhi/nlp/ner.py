"""Named-entity recognition: organisations (ORG), places (LOC) and people (PER) in Chinese text.

A linear-chain CRF (python-crfsuite) over characters, trained on the MSRA corpus by
``wenzhi nlp train ner`` (see ``models/ner-msra-crf/MODEL_CARD.md``). Features go beyond a
character window because the window alone stops at about 0.90 F1: character classes, the
character's place in its rjieba word (B/M/E/S, word length), whether the word ends in an organisation or
place suffix (公司, 大学, 委员会, 局 … / 省, 市, 区 …) and how far the next organisation suffix is,
and a gazetteer: the training corpus's names plus any the caller supplies (the registry's
enterprise and park names), matched longest-first.

``recognize(texts)`` returns, per text, ``Span(start, end, text, label)`` with
``text[start:end] == span.text``: offsets are into the text as given (the width folding used for
features maps one character to one character, and long texts are cut at sentence ends, so
nothing shifts).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["Span", "Recognizer", "recognize", "get_recognizer", "MODEL_DIR", "LABELS", "bio_spans", "features"]

MODEL_DIR = Path(__file__).resolve().parent / "models" / "ner-msra-crf"
LABELS = ("ORG", "LOC", "PER")

# Longest piece sent to the CRF at once; longer texts are cut at sentence punctuation (or hard at
# this length) so a 1 MB document costs memory per piece, not per document.
_MAX_PIECE = 400
_CUT_RE = re.compile(r"[。！？；!?;\n]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# full-width ASCII → ASCII, ideographic space → space: MSRA writes digits full-width, feeds often do not
# (\x02/\x03 become spaces too: the fast path pads sentences with them)
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x02: 0x20, 0x03: 0x20}

ORG_SUFFIXES = (
    "公司", "集团", "大学", "学院", "委员会", "局", "银行", "协会", "学会", "研究院", "研究所", "中心", "部", "厅",
    "院", "联合会", "医院", "学校", "中学", "小学", "报社", "日报", "电视台", "电台", "党", "厂", "组织", "政府",
    "法院", "检察院", "办公室", "基金会", "俱乐部", "队", "团", "社", "馆", "会", "署", "处", "所", "委",
)
LOC_SUFFIXES = (
    "省", "市", "区", "县", "州", "镇", "乡", "村", "路", "街", "道", "山", "河", "江", "湖", "海", "岛", "港",
    "湾", "洲", "国", "盆地", "高原", "平原", "草原", "广场", "公园",
)
_ORG_SFX = tuple(sorted(set(ORG_SUFFIXES), key=len, reverse=True))
_LOC_SFX = tuple(sorted(set(LOC_SUFFIXES), key=len, reverse=True))
_CN_NUM = set("零〇一二三四五六七八九十百千万亿两")


@dataclass(frozen=True)
class Span:
    """One entity: ``text[start:end] == span.text``, ``label`` ∈ ORG, LOC, PER."""

    start: int
    end: int
    text: str
    label: str

    def as_dict(self) -> dict[str, Any]:
        """The span as a JSON-ready dict."""
        return asdict(self)


# ------------------------------------------------------------------------------ features
def _char_class(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff":
        return "N" if c in _CN_NUM else "H"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L"
    if c.isspace():
        return "S"
    if c.isalnum():
        return "A"
    return "P"


class _CharCache(dict):
    """char → (class, c-2, c-1, c0, c+1, c+2 feature strings), built once per distinct character."""

    def __missing__(self, c: str) -> tuple[str, ...]:
        v = (_char_class(c), "c-2=" + c, "c-1=" + c, "c0=" + c, "c1=" + c, "c2=" + c)
        self[c] = v
        return v


_CHARS = _CharCache()
_WORD_LEN = ("", "1", "2", "3", "4")


class Gazetteer:
    """Names with a label, matched longest-first left to right (two-character index keeps it cheap)."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()) -> None:
        self._names: dict[str, str] = {}
        self._lengths: dict[str, list[int]] = {}
        self._prefix_keys = None
        self._hashes = None
        self.add(names)

    def __len__(self) -> int:
        return len(self._names)

    def add(self, names: Iterable[tuple[str, str]]) -> None:
        """Add ``(name, label)`` pairs; names shorter than two characters are ignored (too ambiguous)."""
        for name, label in names:
            name = (name or "").translate(_FOLD).strip()
            if len(name) < 2 or name in self._names:
                continue
            self._names[name] = label
            self._prefix_keys = None
            self._hashes = None
            ls = self._lengths.setdefault(name[:2], [])
            if len(name) not in ls:
                ls.append(len(name))
                ls.sort(reverse=True)

    def prefix_keys(self):
        """Sorted integer keys (first code point * 0x110000 + second) of the names' first two characters."""
        if self._prefix_keys is None:
            import numpy as np  # noqa: PLC0415

            self._prefix_keys = np.array(sorted(ord(p[0]) * 0x110000 + ord(p[1]) for p in self._lengths),
                                         dtype=np.int64)
        return self._prefix_keys

    #: multiplier of the names' polynomial hash (mod 2**64), see :meth:`name_hashes`
    HASH_BASE = 0x100000001B3

    @property
    def names(self) -> dict[str, str]:
        """name → label (read only)."""
        return self._names

    def name_hashes(self):
        """Name length → sorted uint64 hashes of the names of that length (h = h * HASH_BASE + code
        point, mod 2**64), for the batch featurizer's vectorised matching."""
        if self._hashes is None:
            import numpy as np  # noqa: PLC0415

            mask, base = (1 << 64) - 1, self.HASH_BASE
            by_len: dict[int, list[int]] = {}
            for name in self._names:
                h = 0
                for ch in name:
                    h = (h * base + ord(ch)) & mask
                by_len.setdefault(len(name), []).append(h)
            self._hashes = {ln: np.unique(np.array(v, dtype=np.uint64)) for ln, v in by_len.items()}
        return self._hashes

    def match_at(self, text: str, i: int) -> tuple[int, str] | None:
        """The longest name starting at ``text[i]``: ``(length, label)``, or ``None``."""
        n = len(text)
        for ln in self._lengths.get(text[i : i + 2], ()):
            lab = self._names.get(text[i : i + ln]) if i + ln <= n else None
            if lab:
                return ln, lab
        return None

    def marks(self, text: str) -> list[str | None]:
        """Per character: ``B-ORG``/``I-ORG``/… inside a matched name, else ``None``."""
        n = len(text)
        out: list[str | None] = [None] * n
        lengths, names = self._lengths, self._names
        if not names:
            return out
        after = 0  # the end of the last match: matches do not overlap
        for i in [i for i in range(n - 1) if text[i : i + 2] in lengths]:
            if i < after:
                continue
            for ln in lengths[text[i : i + 2]]:
                lab = names.get(text[i : i + ln]) if i + ln <= n else None
                if lab:
                    out[i] = "gB" + lab
                    for k in range(i + 1, i + ln):
                        out[k] = "gI" + lab
                    after = i + ln
                    break
        return out


_WPOS: dict[int, list[str]] = {1: ["w=S"]}
_DIST = ["od=1"] * 3 + ["od=2"] * 3 + ["od=3"] * 4 + ["od=4"] * 6  # chars to the next ORG suffix end, bucketed
_SX = {k: [f"sx={k}|{d}" for d in _DIST] + [f"sx={k}|od=", f"sx={k}|"] for k in ("", "O", "L")}
_KIND: dict[str, str] = {}


def _word_kind(w: str) -> str:
    k = _KIND.get(w)
    if k is None:
        k = ""
        if len(w) >= 2 or w in ("局", "委"):
            if w.endswith(_ORG_SFX):
                k = "O"
            elif w.endswith(_LOC_SFX):
                k = "L"
        if len(_KIND) < 500_000:
            _KIND[w] = k
    return k


def _word_info(text: str, words: list[str]) -> tuple[list[str], list[str]]:
    """Per character: word-position feature (B/M/E/S + length) and suffix/distance feature.

    The distance (in characters) to the end of the next organisation-suffixed word lets the CRF open
    an ORG several characters before 公司/委员会, beyond its two-character window.
    """
    n = len(text)
    if sum(map(len, words)) != n:  # segmentation dropped something: fall back to single characters
        words = list(text)
    wpos: list[str] = []
    for w in words:
        ln = len(w)
        wp = _WPOS.get(ln)
        if wp is None:
            lc = _WORD_LEN[min(ln, 4)]
            wp = _WPOS[ln] = ["w=B" + lc] + ["w=M" + lc] * (ln - 2) + ["w=E" + lc]
        wpos.extend(wp)
    sfx: list[str] = [""] * n
    nxt = -1  # end offset of the nearest organisation-suffixed word at or after the current char
    end = n
    far = len(_DIST)
    for w in reversed(words):
        start = end - len(w)
        kind = _word_kind(w)
        if kind == "O":
            nxt = end
        table = _SX[kind]
        for i in range(start, end):
            if nxt < 0:
                sfx[i] = table[far + 1]
            else:
                d = nxt - i
                sfx[i] = table[d - 1] if d <= far else table[far]
        end = start
    return wpos, sfx


def features(text: str, words: list[str], gaz: Gazetteer | None) -> list[list[str]]:
    """CRF attributes for each character of ``text`` (already width-folded), given its segmentation."""
    n = len(text)
    cc = _CHARS
    info = [cc[c] for c in text]
    pad_l = ("B", "c-2=<s>", "c-1=<s>", "c0=<s>", "c1=<s>", "c2=<s>")
    pad_r = ("E", "c-2=</s>", "c-1=</s>", "c0=</s>", "c1=</s>", "c2=</s>")
    ext = [pad_l, pad_l, *info, pad_r, pad_r]
    s = "\x02\x02" + text + "\x03\x03"
    wpos, sfx = _word_info(text, words)
    marks = gaz.marks(text) if gaz is not None else [None] * n
    out = []
    for i in range(n):
        k = i + 2
        a, b, c, d, e = ext[k - 2], ext[k - 1], ext[k], ext[k + 1], ext[k + 2]
        f = [
            "bias", a[1], b[2], c[3], d[4], e[5],
            "b-1=" + s[k - 1 : k + 1], "b0=" + s[k : k + 2], "s=" + s[k - 1] + s[k + 1],
            "t=" + b[0] + c[0] + d[0], wpos[i], sfx[i],
        ]
        m = marks[i]
        if m:
            f.append(m)
        out.append(f)
    return out


# ------------------------------------------------------------------------------ decoding
def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` from BIO tags; an ``I-`` that does not continue a span opens one."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, t in enumerate(tags):
        if t.startswith("B-") or (t.startswith("I-") and t[2:] != label):
            if label:
                spans.append((start, i, label))
            start, label = i, t[2:]
        elif not t.startswith("I-"):
            if label:
                spans.append((start, i, label))
            start, label = -1, ""
    if label:
        spans.append((start, len(tags), label))
    return spans


def _pieces(text: str) -> list[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` of at most ``_MAX_PIECE`` characters at sentence ends."""
    if len(text) <= _MAX_PIECE:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    for m in _CUT_RE.finditer(text):
        end = m.end()
        while end - start > _MAX_PIECE:
            out.append((start, text[start : start + _MAX_PIECE]))
            start += _MAX_PIECE
        if end - start >= 1 and (end - start > _MAX_PIECE // 4 or end == len(text)):
            out.append((start, text[start:end]))
            start = end
    while start < len(text):
        out.append((start, text[start : start + _MAX_PIECE]))
        start += _MAX_PIECE
    return out


def export_weights(model_path: str | Path, out_path: str | Path) -> None:
    """Write the CRF's weights as ``weights.npz`` (attributes, state and transition weights).

    The run-time tagger sums these weights and runs Viterbi in numpy over a batch of sentences,
    which is several times faster than handing crfsuite one list of attribute strings per character.
    """
    import numpy as np  # noqa: PLC0415
    import pycrfsuite  # noqa: PLC0415

    t = pycrfsuite.Tagger()
    t.open(str(model_path))
    info = t.info()
    labels = sorted(info.labels, key=lambda lab: (lab != "O", int(info.labels[lab])))  # O first: row 0
    li = {lab: k for k, lab in enumerate(labels)}
    attrs: dict[str, int] = {}
    for a, _ in info.state_features:
        attrs.setdefault(a, len(attrs))
    w = np.zeros((len(attrs) + 1, len(labels)), dtype=np.float32)  # last row: unknown attribute
    for (a, lab), v in info.state_features.items():
        w[attrs[a], li[lab]] = v
    tr = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), v in info.transitions.items():
        tr[li[a], li[b]] = v
    blob = "\n".join(attrs).encode("utf-8")
    np.savez_compressed(out_path, attrs=np.frombuffer(blob, dtype=np.uint8), w=w, trans=tr, labels=np.array(labels))


class Recognizer:
    """A loaded CRF model plus a gazetteer; thread-safe (one crfsuite tagger per thread)."""

    def __init__(self, model_dir: str | Path = MODEL_DIR, *, names: Iterable[tuple[str, str] | str] = ()) -> None:
        import numpy as np  # noqa: PLC0415

        model_dir = Path(model_dir)
        self.model_dir = model_dir
        wpath = model_dir / "weights.npz"
        if not wpath.exists():
            raise FileNotFoundError(f"NER model not found in {model_dir} (train it with `wenzhi nlp train ner`)")
        z = np.load(wpath)
        attr_list = bytes(z["attrs"]).decode("utf-8").split("\n")
        attrs = {a: k for k, a in enumerate(attr_list)}
        self._w, self._trans = z["w"], z["trans"]
        self.labels = [str(x) for x in z["labels"]]
        # per label id: is it an I- tag, and the index of its entity label (in _label_names)
        self._label_names = sorted({t[2:] for t in self.labels if t != "O"})
        self._is_inside = np.array([t.startswith("I-") for t in self.labels])
        self._label_of = np.array([self._label_names.index(t[2:]) if t != "O" else -1 for t in self.labels])
        unk = len(attr_list)
        self._bias = attrs.get("bias", unk)
        from wenzhi.nlp.ner_fast import BatchFeaturizer  # noqa: PLC0415

        self._featurizer = BatchFeaturizer(attrs, unk)
        self.gazetteer = Gazetteer()
        gz = model_dir / "gazetteer.tsv"
        if gz.exists():
            with open(gz, encoding="utf-8") as f:
                self.gazetteer.add(tuple(line.rstrip("\n").split("\t", 1)[::-1]) for line in f if "\t" in line)
        self.add_names(names)
        self._local = threading.local()

    def with_names(self, names: Iterable[tuple[str, str] | str]) -> Recognizer:
        """A recognizer sharing this one's model, with ``names`` added to a copy of its gazetteer."""
        import copy  # noqa: PLC0415

        other = copy.copy(self)
        gaz = Gazetteer()
        gaz._names = dict(self.gazetteer._names)
        gaz._lengths = {k: list(v) for k, v in self.gazetteer._lengths.items()}
        gaz._prefix_keys = gaz._hashes = None
        other.gazetteer = gaz
        other._local = threading.local()
        other.add_names(names)
        return other

    def add_names(self, names: Iterable[tuple[str, str] | str]) -> None:
        """Add caller names to the gazetteer: plain strings count as ORG, or ``(name, label)`` pairs."""
        self.gazetteer.add((n, "ORG") if isinstance(n, str) else (n[0], n[1]) for n in names)

    def _viterbi(self, big, lengths: list[int]):
        """Best label sequences for a batch sorted by length: emission = summed weights, vectorised Viterbi."""
        import numpy as np  # noqa: PLC0415

        w, tr = self._w, self._trans
        emit_flat = w[big[0]] + w[self._bias]
        for rows in big[1:]:  # one family at a time: a (families, chars, labels) gather would not fit in cache
            emit_flat += w[rows]
        b, m, nl = len(lengths), max(lengths), tr.shape[0]
        emit = np.zeros((b, m, nl), dtype=np.float32)
        mask = np.arange(m)[None, :] < np.array(lengths)[:, None]
        emit[mask] = emit_flat
        score = emit[:, 0].copy()
        # padded steps keep the score and point back to themselves; rows come sorted by length, so the
        # rows still running at step t are a suffix of the batch
        back = np.broadcast_to(np.arange(nl, dtype=np.int8), (b, m, nl)).copy()
        lens = np.asarray(lengths)
        for t in range(1, m):
            k = int(np.searchsorted(lens, t, side="right"))
            cand = score[k:, :, None] + tr[None]
            back[k:, t] = cand.argmax(axis=1)
            score[k:] = cand.max(axis=1) + emit[k:, t]
        y = np.empty((b, m), dtype=np.int64)
        y[:, m - 1] = score.argmax(axis=1)
        rows = np.arange(b)
        for t in range(m - 1, 0, -1):
            y[:, t - 1] = back[rows, t, y[:, t]]
        return y, emit

    def _marginals(self, emit):
        """Per-position label marginals of one sentence (forward-backward in log space)."""
        import numpy as np  # noqa: PLC0415

        tr = self._trans.astype(np.float64)
        emit = emit.astype(np.float64)
        n = len(emit)

        def lse(a, axis):
            mx = a.max(axis=axis, keepdims=True)
            return (mx + np.log(np.exp(a - mx).sum(axis=axis, keepdims=True))).squeeze(axis)

        alpha = np.empty_like(emit)
        beta = np.zeros_like(emit)
        alpha[0] = emit[0]
        for t in range(1, n):
            alpha[t] = lse(alpha[t - 1][:, None] + tr, 0) + emit[t]
        for t in range(n - 2, -1, -1):
            beta[t] = lse(tr + (emit[t + 1] + beta[t + 1])[None, :], 1)
        z = lse(alpha[n - 1], 0)
        return np.exp(alpha + beta - z)

    def _pieces_of(self, texts: list[str]) -> list[tuple[int, int, str]]:
        out = []
        for ti, text in enumerate(texts):
            if text:
                for off, piece in _pieces(text):
                    view = piece.translate(_FOLD)
                    if _SURROGATES.search(view):  # Rust and crfsuite need valid strings; same length kept
                        view = _SURROGATES.sub("\ufffd", view)
                    out.append((ti, off, view))
        return out

    def recognize(self, texts: Iterable[str], *, batch: int = 1024) -> list[list[Span]]:
        """Entities per text (see the module docstring)."""
        return [[s for s, _ in spans] for spans in self._run(texts, batch, scores=False)]

    def recognize_scored(self, texts: Iterable[str], *, batch: int = 1024) -> list[list[tuple[Span, float]]]:
        """Like :meth:`recognize`, each span with its lowest per-character marginal probability."""
        return self._run(texts, batch, scores=True)

    def _spans(self, chunk: list[tuple[int, int, str]], y) -> list[tuple[Any, ...]]:
        """``(text, offset, start, end, label, 1.0, row)`` of every entity in a tagged batch: a span opens
        at each non-O tag that does not continue (I- of the same label, next column) the one before."""
        import numpy as np  # noqa: PLC0415

        lens = np.fromiter((len(v) for _, _, v in chunk), dtype=np.int64, count=len(chunk))
        r, c = np.nonzero(y)  # label 0 is O: only non-O positions are decoded
        keep = c < lens[r]  # padding after a shorter sentence
        r, c = r[keep], c[keep]
        if not len(r):
            return []
        tag = y[r, c]
        is_i = self._is_inside[tag]
        lab = self._label_of[tag]
        opens = np.ones(len(r), dtype=bool)
        opens[1:] = ~((r[1:] == r[:-1]) & (c[1:] == c[:-1] + 1) & is_i[1:] & (lab[1:] == lab[:-1]))
        first = np.nonzero(opens)[0]
        last = np.append(first[1:], len(r)) - 1
        names = self._label_names
        return [(chunk[rr][0], chunk[rr][1], s, e + 1, names[lb], 1.0, rr)
                for rr, s, e, lb in zip(r[first].tolist(), c[first].tolist(), c[last].tolist(),
                                        lab[first].tolist(), strict=True)]

    def _run(self, texts: Iterable[str], batch: int, *, scores: bool) -> list[list[tuple[Span, float]]]:
        import rjieba  # noqa: PLC0415

        texts = [t if isinstance(t, str) else "" for t in texts]
        out: list[list[tuple[Span, float]]] = [[] for _ in texts]
        pieces = self._pieces_of(texts)
        order = sorted(range(len(pieces)), key=lambda k: len(pieces[k][2]))  # similar lengths share a batch
        cut = rjieba.cut
        found: list[tuple[Any, ...]] = []
        for i in range(0, len(order), batch):
            chunk = [pieces[k] for k in order[i : i + batch]]
            views = [v for _, _, v in chunk]
            rows = self._featurizer.rows(views, [cut(v, True) for v in views], self.gazetteer)
            y, emit = self._viterbi(rows, [len(v) for v in views])
            start = len(found)
            found += self._spans(chunk, y)
            if scores:  # the confidence of a span: its lowest per-character marginal of the chosen label
                marg: dict[int, Any] = {}
                for k in range(start, len(found)):
                    ti, off, s, e, lab, _, r = found[k]
                    if r not in marg:
                        marg[r] = self._marginals(emit[r, : len(chunk[r][2])])
                    p = min(marg[r][j, y[r, j]] for j in range(s, e))
                    found[k] = (ti, off, s, e, lab, round(float(p), 4), r)
        for ti, off, s, e, lab, p, _ in sorted(found):
            out[ti].append((Span(off + s, off + e, texts[ti][off + s : off + e], lab), p))
        return out


_default: Recognizer | None = None
_lock = threading.Lock()


def get_recognizer() -> Recognizer:
    """The process-wide recognizer over the committed model (loaded on first use)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Recognizer()
    return _default


def recognize(texts: Iterable[str], *, names: Iterable[tuple[str, str] | str] | None = None) -> list[list[Span]]:
    """Organisations, places and people in each text, as ``Span(start, end, text, label)``.

    ``names``: an optional gazetteer (the registry's enterprise and park names; plain strings are
    ORG) used for this call on top of the model's own; it is a hint to the CRF, not a rule.
    """
    if names:
        return get_recognizer().with_names(names).recognize(texts)
    return get_recognizer().recognize(texts)


UNLINKED_KIND = "organisation"


def unlinked_organisations(texts: Sequence[str], linked: Sequence[Sequence[Any]], *,
                           recognizer: Recognizer | None = None, min_confidence: float = 0.5) -> list[list[Any]]:
    """ORG spans the linker did not link, as ``Mention(..., entity_id=None, kind="organisation")``.

    ``linked`` holds each text's linked mentions (anything with ``start``/``end``); an ORG span that
    overlaps one of them is the registry's entity and is left out. The confidence is the CRF's lowest
    per-character marginal over the span; spans below ``min_confidence`` are dropped. Only texts with a
    candidate pay for the marginals.
    """
    from wenzhi.nlp.entities import Mention  # noqa: PLC0415

    rec = recognizer or get_recognizer()
    texts = list(texts)

    def free(span: Span, ms: Sequence[Any]) -> bool:
        return span.label == "ORG" and all(span.end <= m.start or span.start >= m.end for m in ms)

    fast = rec.recognize(texts)
    todo = [i for i, (spans, ms) in enumerate(zip(fast, linked, strict=True)) if any(free(s, ms) for s in spans)]
    out: list[list[Any]] = [[] for _ in texts]
    for i, scored in zip(todo, rec.recognize_scored([texts[i] for i in todo]), strict=True):
        out[i] = [Mention(s.start, s.end, s.text, None, UNLINKED_KIND, p)  # type: ignore[arg-type]
                  for s, p in scored if free(s, linked[i]) and p >= min_confidence]
    return out
