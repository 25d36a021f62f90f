"""Words for the index and for queries: rjieba (the segmenter of ``wenzhi.nlp``) in search mode.

Indexed text is cut with ``cut_for_search``, which keeps whole words and adds the dictionary words inside
them (有限公司 → 有限, 公司, 有限公司), so 动漫 finds 天津动漫产业有限公司 and 公司 finds every company.
A query is cut into plain words, all required; the last one is a prefix term, so an unfinished word (动漫设)
still finds 动漫设计. The segmenter is a private instance without the registry's user words: with a full enterprise name
as one word, the words inside it would not be found.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

_WORD = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KEY_CHARS = re.compile(r"[^0-9a-z\u4e00-\u9fff]")
_lock = threading.Lock()
_jieba = None

MAX_QUERY_WORDS = 8


def _segmenter():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                from wenzhi.nlp.segment import UserDictionary

                # An empty dictionary: the plain rjieba segmenter of wenzhi.nlp, built lazily once.
                _jieba = UserDictionary()._segmenter()
    return _jieba


def _clean(words: Iterable[str]) -> list[str]:
    return [w.lower() for w in words if _WORD.search(w)]


def index_words(*texts: str) -> str:
    """Space-separated words of ``texts`` for the index (search mode, lower case, each word once)."""
    cut = _segmenter().cut_for_search
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            for w in _clean(cut(text.replace("\x00", ""), True)):
                seen.setdefault(w, None)
    return " ".join(seen)


def query_words(query: str) -> list[str]:
    """The words of a query (plain cut, lower case, duplicates dropped), at most :data:`MAX_QUERY_WORDS`."""
    words = _clean(_segmenter().cut(query.replace("\x00", ""), True))
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def key(prefix: str, value) -> str:
    """A scope or facet token: ``key("d", 12) == "d12"``; empty when the value is."""
    if value is None or value == "":
        return ""
    text = _KEY_CHARS.sub("", str(value).lower())
    return f"{prefix}{text}" if text else ""
