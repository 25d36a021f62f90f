"""Leave each domain out in turn for the n-gram models, featurising the corpus once.

:func:`wenzhi.nlp.train._fit` builds its TF-IDF vocabulary from the rows it is given, so a fit per
left-out domain re-reads and re-counts every text (most of a fit's time on the 141k sentiment rows).
Here every text's raw n-gram counts are taken once; each fold then keeps only the n-grams its own
*training* rows select (document frequency ≥ ``min_df``, then the ``max_features`` most frequent —
the same rules as :meth:`features.CharNgramLinear.fit_vocabulary` and scikit-learn's
``TfidfVectorizer``), computes idf from those rows alone, fits the same classifier, applies the
same int8 quantisation and pruning, and scores the left-out rows. Nothing of the left-out domain
reaches the fold's vocabulary, idf or weights.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from wenzhi.nlp import features as F

__all__ = ["CountedRows", "leave_each_domain_out", "TRANSFER_OPTIONS"]

#: configuration keys (of a part) that change how it is fitted for unseen domains; they need the
#: rows' domains, so only the counted path (:class:`CountedRows`) fits them
TRANSFER_OPTIONS = ("domain_balance", "consistency")


class _Counts:
    """Raw n-gram counts of every text for one model part (CSR, rows = texts, columns = all n-grams)."""

    def __init__(self, texts: Sequence[str], cfg: dict[str, Any]):
        import scipy.sparse as sp  # noqa: PLC0415

        self.cfg = cfg
        self.char = cfg["analyzer"] == "char13"
        if self.char:
            # the character codes of features.char_codes, one column per distinct code (sorted, as
            # fit_vocabulary orders its vocabulary)
            parts_r, parts_c = [], []
            for s in range(0, len(texts), 20000):
                c, r = F.char_codes(list(texts[s : s + 20000]), 3)
                parts_r.append(r + s)
                parts_c.append(c)
            codes = np.concatenate(parts_c)
            vocab, col = np.unique(codes, return_inverse=True)
            self.counts = sp.csr_matrix((np.ones(len(col), np.float32), (np.concatenate(parts_r), col.ravel())),
                                        shape=(len(texts), len(vocab)))
            self.counts.sum_duplicates()
            self.vocab: np.ndarray = vocab
        else:
            from sklearn.feature_extraction.text import CountVectorizer  # noqa: PLC0415

            cv = CountVectorizer(analyzer=F.ANALYZERS[cfg["analyzer"]], dtype=np.float32)
            self.counts = cv.fit_transform(texts).tocsr()
            self.vocab = cv.get_feature_names_out()

    def select(self, train_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(columns, idf) the training rows select: the vocabulary a fit on those rows would build."""
        X = self.counts[train_idx]
        df = np.bincount(X.indices, minlength=X.shape[1])
        ok = df >= self.cfg["min_df"]
        cap = self.cfg.get("max_features")
        if cap and ok.sum() > cap:
            if self.char:  # fit_vocabulary: the cap most frequent by document frequency (stable order)
                order = np.argsort(-df, kind="stable")
                keep = np.zeros_like(ok)
                keep[order[:cap]] = True
                ok &= keep
            else:  # TfidfVectorizer: min_df first, then the cap most frequent by total count
                tf = np.asarray(X.sum(axis=0)).ravel()
                cand = np.flatnonzero(ok)
                ok = np.zeros_like(ok)
                ok[cand[np.argsort(-tf[cand], kind="stable")[:cap]]] = True
        cols = np.flatnonzero(ok)
        n = len(train_idx)
        idf = (np.log((1 + n) / (1 + df[cols])) + 1.0).astype(np.float32)
        return cols, idf

    def tfidf(self, idx: np.ndarray, cols: np.ndarray, idf: np.ndarray):
        """Sublinear-tf × idf, L2-normalised rows ``idx`` over ``cols``."""
        import scipy.sparse as sp  # noqa: PLC0415

        X = self.counts[idx][:, cols].tocsr()
        X.data = (np.log(X.data) + 1.0) * idf[X.indices]
        norm = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norm[norm == 0] = 1.0
        return sp.csr_matrix(sp.diags((1.0 / norm).astype(np.float32)) @ X)


def row_weights(domains: np.ndarray, balance: float | None, cap: float = 4.0) -> np.ndarray | None:
    """Per-row training weights that even out the domains: ``n_domain ** -balance``, scaled to a
    mean of 1, capped at ``cap`` and scaled to a mean of 1 again (with ``balance`` 1 every domain
    weighs the same in total, but a 573-row domain's rows must not weigh 20 times a review of the
    big domains); ``None`` without ``balance``."""
    if not balance:
        return None
    _, inv, n = np.unique(domains, return_inverse=True, return_counts=True)
    w = n[inv].astype(np.float64) ** -balance
    w = np.minimum(w / w.mean(), cap)
    return w / w.mean()


def consistency(B, yi: np.ndarray, domains: np.ndarray, min_df: int = 3) -> np.ndarray:
    """How consistently each column's polarity agrees across the domains of the rows: per domain
    where the n-gram occurs in ``min_df`` texts or more, ``tanh`` of its class-prior-corrected
    log-count ratio (positive vs negative texts, +1 smoothing); the result is |sum of those votes| /
    (domains voting + 1), in [0, 1). An n-gram positive everywhere scores near 1; one whose sign
    flips between domains, or that is seen in one domain only, scores low (domain-specific)."""
    votes = np.zeros(B.shape[1])
    present = np.zeros(B.shape[1])
    for dom in np.unique(domains):
        rows = domains == dom
        pos, neg = rows & (yi == 1), rows & (yi != 1)
        p = np.asarray(B[pos].sum(axis=0)).ravel()
        q = np.asarray(B[neg].sum(axis=0)).ravel()
        r = np.log((p + 1) / (pos.sum() + 2)) - np.log((q + 1) / (neg.sum() + 2))
        ok = (p + q) >= min_df
        votes += np.where(ok, np.tanh(r), 0.0)
        present += ok
    return (np.abs(votes) / (present + 1)).astype(np.float32)


def _fit_part(counts: _Counts, tr: np.ndarray, yi: np.ndarray, k: int, domains: np.ndarray | None = None,
              opts: dict[str, Any] | None = None):
    """Fit one part on rows ``tr`` exactly as ``train._fit_sparse`` would (classifier, int8 weights,
    pruning): ``(columns, idf, weights, bias)`` of the n-grams the stored model keeps. ``opts``
    (``domain_balance``, ``consistency``; ``domains`` = the rows' domains) change the fit for
    unseen domains: rows weighted by :func:`row_weights`; every column scaled by its
    :func:`consistency` ** ``consistency`` before fitting (the weights stored include the scale)."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415
    from sklearn.svm import LinearSVC  # noqa: PLC0415

    from wenzhi.nlp import train as T  # noqa: PLC0415

    cfg = counts.cfg
    opts = {k: cfg[k] for k in TRANSFER_OPTIONS if k in cfg} if opts is None else opts
    cols, idf = counts.select(tr)
    X = counts.tfidf(tr, cols, idf)
    sw = row_weights(domains, opts.get("domain_balance")) if domains is not None else None
    scale = None
    if opts.get("consistency") and domains is not None:
        B = X.copy()
        B.data[:] = 1.0
        scale = consistency(B, yi, domains) ** float(opts["consistency"])
    if cfg.get("clf") == "nbsvm":
        coef, bias = T._fit_nbsvm(X, yi, k, cfg["C"], sw, scale)
    else:
        import scipy.sparse as sp  # noqa: PLC0415

        Xs = X if scale is None else sp.csr_matrix(X @ sp.diags(scale))
        clf = (LinearSVC(C=cfg["C"]) if cfg.get("clf") == "svm" else
               LogisticRegression(C=cfg["C"], solver="liblinear", max_iter=1000)).fit(Xs, yi, sample_weight=sw)
        coef, bias = T._full_coef(clf.coef_, clf.intercept_, clf.classes_, k)
        if scale is not None:
            coef = coef * scale[:, None]
    if not counts.char:
        keep = np.flatnonzero(np.abs(coef).max(axis=1) > cfg.get("prune", 1e-3))
        cols, idf, coef = cols[keep], idf[keep], coef[keep]
    q = F.load_coef(F.quantize_coef(coef))
    top = T._top_rows(q, cfg.get("keep"))
    return cols[top], idf[top], q[top], bias


def _fold_scores(counts: _Counts, tr: np.ndarray, te: np.ndarray, yi: np.ndarray, k: int,
                 domains: np.ndarray | None = None, opts: dict[str, Any] | None = None) -> np.ndarray:
    """Raw scores on rows ``te`` of the part fitted on rows ``tr``. The n-grams pruned away are
    absent from a stored model, so the rows' norms are computed without them, as prediction does."""
    cols, idf, q, bias = _fit_part(counts, tr, yi, k, domains, opts)
    return np.asarray(counts.tfidf(te, cols, idf) @ q) + bias


class CountedRows:
    """Deduplicated (text, label, domain) rows featurised once for every n-gram part of ``cfg``:
    fits on any subset of them (:meth:`fit`) and the leave-each-domain-out table
    (:meth:`leave_each_domain_out`) without reading a text again."""

    def __init__(self, rows, classes: list[str], cfg: dict[str, Any], binary: bool):
        t0 = time.time()
        self.rows, self.classes, self.cfg, self.binary = list(rows), list(classes), cfg, binary
        self.weights = cfg.get("weights", {"ngram": 1.0})
        texts = [r[0] for r in self.rows]
        part_cfg = {"ngram": cfg, **({"words": cfg["words"]} if "words" in self.weights else {})}
        self.counts = {p: _Counts(texts, c) for p, c in part_cfg.items()}
        self.index = {t: i for i, t in enumerate(texts)}
        self.y = np.array([self.classes.index(r[1]) for r in self.rows])
        self.domains = np.array([r[2] for r in self.rows])
        print(f"counted the n-grams of {len(texts)} texts in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)

    def fit(self, rows):
        """The model ``train._fit`` would fit on ``rows`` (a subset of the counted rows): the n-gram
        parts from the counts and, when the configuration has one, the e5 part (:func:`train.with_e5`)."""
        from wenzhi.nlp.train import _Fitted, with_e5  # noqa: PLC0415

        idx = np.array(sorted(self.index[r[0]] for r in rows), dtype=np.int64)

        def one(c: _Counts):
            cols, idf, q, bias = _fit_part(c, idx, self.y[idx], len(self.classes), self.domains[idx])
            if c.char:
                return F.CharNgramLinear(c.vocab[cols], idf, q, bias, self.classes, 3)
            return F.SparseLinear(c.cfg["analyzer"], [str(t) for t in c.vocab[cols]], idf, q, bias, self.classes)

        with ThreadPoolExecutor(max_workers=2) as pool:  # the parts in parallel (liblinear releases the GIL)
            parts = dict(zip(self.counts, pool.map(one, self.counts.values()), strict=True))
        return with_e5(_Fitted(self.classes, self.binary, self.weights, parts["ngram"], None,
                               self.cfg.get("temperature"), parts.get("words")), rows, self.cfg)

    def fold_margins(self, doms, opts: dict[str, Any]) -> dict[str, dict[str, np.ndarray]]:
        """For every domain of ``doms``: each part fitted (with ``opts``) on every other domain, its
        raw margins on this domain's rows; ``{domain: {y, <part>, <part>_bias}}`` (binary only)."""

        def one(dom: str) -> tuple[str, dict[str, np.ndarray]]:
            tr, te = np.flatnonzero(self.domains != dom), np.flatnonzero(self.domains == dom)
            out: dict[str, np.ndarray] = {"y": self.y[te]}
            for p, c in self.counts.items():
                cols, idf, q, bias = _fit_part(c, tr, self.y[tr], len(self.classes), self.domains[tr], opts)
                out[p] = (np.asarray(c.tfidf(te, cols, idf) @ q) + bias)[:, 0]
                out[p + "_bias"] = np.asarray(bias[0])
            print(f"  left out {dom}", file=sys.stderr, flush=True)
            return dom, out

        with ThreadPoolExecutor(max_workers=2) as pool:
            return dict(pool.map(one, doms))

    def leave_each_domain_out(self, only: set[str] | None = None) -> dict[str, dict[str, Any]]:
        """For every domain (or those in ``only``): fit on every other domain, score all of this
        domain's rows; ``{domain: {n, accuracy, parts}}``."""
        from wenzhi.nlp.train import _Fitted  # noqa: PLC0415

        if "e5" in self.weights:
            return self._leave_each_domain_out_e5(only)
        t0 = time.time()
        scorer = _Fitted(self.classes, self.binary, self.weights, None, None, self.cfg.get("temperature"))

        def one(dom: str) -> tuple[str, dict[str, Any]]:
            tr, te = np.flatnonzero(self.domains != dom), np.flatnonzero(self.domains == dom)
            probs = {p: scorer._to_proba(_fold_scores(c, tr, te, self.y[tr], len(self.classes), self.domains[tr]),
                                         scorer.temperature.get(p, 1.0)) for p, c in self.counts.items()}
            total = sum(self.weights[p] * probs[p] for p in probs) / sum(self.weights[p] for p in probs)
            m: dict[str, Any] = {"n": len(te), "accuracy": round(float(np.mean(total.argmax(axis=1) == self.y[te])), 4)}
            if len(probs) > 1:
                m["parts"] = {p: round(float(np.mean(pr.argmax(axis=1) == self.y[te])), 4) for p, pr in probs.items()}
            print(f"left out {dom}: {m} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
            return dom, m

        # two folds at a time: liblinear and most of scipy's sparse work release the GIL
        with ThreadPoolExecutor(max_workers=2) as pool:
            doms = sorted(set(self.domains) & only if only else set(self.domains),
                          key=lambda d: (-int(np.sum(self.domains == d)), d))  # the largest (微博) first
            out = dict(pool.map(one, doms))
        return out

    def _leave_each_domain_out_e5(self, only: set[str] | None) -> dict[str, dict[str, Any]]:
        """:meth:`leave_each_domain_out` for a model with an e5 part: every fold is :meth:`fit` on the
        other domains, scored on the left-out domain's ``e5_per_domain`` sample (the rows training
        embeds; all its rows without ``e5_per_domain``); the n-gram parts' average also on all its rows."""
        from wenzhi.nlp.train import _accuracy, e5_sample  # noqa: PLC0415

        t0, out = time.time(), {}
        for dom in sorted(set(self.domains) & only if only else set(self.domains),
                          key=lambda d: (-int(np.sum(self.domains == d)), d)):
            fitted = self.fit([r for r in self.rows if r[2] != dom])
            held = [r for r in self.rows if r[2] == dom]
            m = _accuracy(fitted, e5_sample(held, self.cfg.get("e5_per_domain")))
            out[dom] = {k: m[k] for k in ("n", "accuracy", "parts") if k in m}
            out[dom]["ngram_parts_all_rows"] = {k: _accuracy(fitted.ngram_only(), held)[k] for k in ("n", "accuracy")}
            print(f"left out {dom}: {out[dom]} ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
        return out


def leave_each_domain_out(rows, classes: list[str], cfg: dict[str, Any], binary: bool,
                          only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """For every domain of ``rows`` (or those in ``only``): fit the n-gram parts of ``cfg`` on every
    other domain, score all of this domain's rows; ``{domain: {n, accuracy, parts}}``."""
    return CountedRows(rows, classes, cfg, binary).leave_each_domain_out(only)
