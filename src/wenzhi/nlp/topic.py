"""News topic classification of Chinese headlines and short news texts.

Two label schemes:

* ``news10`` — THUCNews's ten classes (the order of its ``class.txt``);
* ``tnews15`` — the fifteen ``label_desc`` values of CLUE's TNEWS (Toutiao) set.

Each scheme has a ``fast`` model (character n-gram TF-IDF + linear, tens of thousands of texts a
second) and a ``best`` model: for ``news10`` the character model averaged with an NB-SVM over
characters, words and word bigrams (thousands of texts a second); for ``tnews15`` word + character
n-grams averaged with an MLP over the pooled output of multilingual-e5-small's first 4 layers (tens of
texts a second per core). Measured accuracy and the data used are in ``models/topic-<scheme>-<variant>/MODEL_CARD.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

from wenzhi.nlp.features import get_model, prepare_batch

__all__ = ["SCHEMES", "predict_topic", "predict_topic_proba"]

SCHEMES: dict[str, list[str]] = {
    "news10": [
        "finance", "realty", "stocks", "education", "science",
        "society", "politics", "sports", "game", "entertainment",
    ],
    "tnews15": [
        "news_story", "news_culture", "news_entertainment", "news_sports", "news_finance",
        "news_house", "news_car", "news_edu", "news_tech", "news_military",
        "news_travel", "news_world", "news_stock", "news_agriculture", "news_game",
    ],
}

#: Chinese display names, for user-facing pages
LABELS_ZH: dict[str, dict[str, str]] = {
    "news10": {
        "finance": "财经", "realty": "房产", "stocks": "股票", "education": "教育", "science": "科技",
        "society": "社会", "politics": "时政", "sports": "体育", "game": "游戏", "entertainment": "娱乐",
    },
    "tnews15": {
        "news_story": "故事", "news_culture": "文化", "news_entertainment": "娱乐", "news_sports": "体育",
        "news_finance": "财经", "news_house": "房产", "news_car": "汽车", "news_edu": "教育",
        "news_tech": "科技", "news_military": "军事", "news_travel": "旅游", "news_world": "国际",
        "news_stock": "股票", "news_agriculture": "农业", "news_game": "游戏",
    },
}

MODELS = ("best", "fast")


def _model(scheme: str, model: str):
    if scheme not in SCHEMES:
        raise ValueError(f"unknown topic scheme {scheme!r}; expected one of {sorted(SCHEMES)}")
    if model not in MODELS:
        raise ValueError(f"unknown topic model {model!r}; expected one of {list(MODELS)}")
    return get_model(f"topic-{scheme}-{model}")


def _proba(texts: Sequence[str], scheme: str, model: str):
    clf = _model(scheme, model)
    prepared = prepare_batch(texts)
    proba = clf.predict_proba_prepared(prepared)
    # artefacts store classes in SCHEMES order; reorder defensively if a retrained one differs
    order = [clf.classes.index(c) for c in SCHEMES[scheme]]
    return proba[:, order]


def predict_topic(texts: Sequence[str], *, scheme: str = "news10", model: str = "best") -> list[str]:
    """Most likely label of ``scheme`` per text, in input order.

    Every text gets a label; an empty text gets the label the model prefers with no evidence
    (the class prior), so filter empty texts out first when that matters.
    """
    texts = list(texts)
    _model(scheme, model)  # validates the arguments (and loads the model once)
    if not texts:
        return []
    labels = SCHEMES[scheme]
    return [labels[i] for i in _proba(texts, scheme, model).argmax(axis=1).tolist()]


def predict_topic_proba(texts: Sequence[str], *, scheme: str = "news10", model: str = "best") -> list[dict[str, float]]:
    """Probability of every label of ``scheme`` per text (each dict sums to 1), in input order."""
    texts = list(texts)
    _model(scheme, model)
    if not texts:
        return []
    labels = SCHEMES[scheme]
    return [dict(zip(labels, row, strict=True)) for row in _proba(texts, scheme, model).tolist()]
