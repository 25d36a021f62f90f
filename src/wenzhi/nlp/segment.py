"""Chinese word segmentation with a user dictionary that keeps registry names whole.

The segmenter is rjieba (jieba's dictionary and algorithm, compiled). rjieba accepts user words
(``Jieba.add_word``), so registry names such as 天津广播电视网络有限公司 or 国家动漫产业综合示范园
are added to a private rjieba instance with a frequency high enough that the dynamic programme
always prefers them; speed stays that of bare rjieba (see ``bench/nlp_text.py``).
Part-of-speech tags come from rjieba's ``tag``, which uses jieba's tag set (n, ns, nt, v, ...).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Literal, overload

__all__ = ["UserDictionary", "segment", "set_user_words", "get_user_dictionary", "tokenize"]

# jieba's largest dictionary frequency is ~880k (的); a user word with a frequency of this order
# wins against any split of its own characters, so a registered name is never cut apart.
_USER_WORD_FREQ = 2_000_000
# jieba only builds words from runs of these characters; a user word with anything else in it
# (墨语（天津）文化科技有限公司) is kept whole by cutting the text around it first
_JIEBA_WORD_CHARS = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")


_SURROGATES = re.compile("[\ud800-\udfff]")


def _call(fn, text: str, hmm: bool):
    """Run an rjieba function, dropping lone surrogates (which Rust strings cannot hold) if present."""
    try:
        return fn(text, hmm)
    except UnicodeEncodeError:
        return fn(_SURROGATES.sub("", text), hmm)


class UserDictionary:
    """A set of words that segmentation must keep whole, bound to its own rjieba instance.

    Words can be added at any time; the segmenter is built lazily on first use (about 0.15 s
    for rjieba's dictionary) and updated in place afterwards. Instances are independent, so a
    caller can hold a dictionary of enterprise names without touching the process default.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._words: set[str] = set()
        self._special: set[str] = set()
        self._special_re: re.Pattern[str] | None = None
        self._jieba = None
        self._lock = threading.Lock()
        self.add(words)

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    @property
    def words(self) -> frozenset[str]:
        """The words registered so far."""
        return frozenset(self._words)

    def add(self, words: Iterable[str], *, tag: str = "nz") -> None:
        """Register words (blank ones and single characters are ignored)."""
        new = []
        for w in words:
            w = (w or "").strip()
            if len(w) >= 2 and w not in self._words:
                self._words.add(w)
                new.append(w)
                if not _JIEBA_WORD_CHARS.fullmatch(w):
                    self._special.add(w)
        if self._special:
            alts = sorted(self._special, key=len, reverse=True)
            self._special_re = re.compile("|".join(map(re.escape, alts)))
        if new and self._jieba is not None:
            with self._lock:
                for w in new:
                    self._jieba.add_word(w, _USER_WORD_FREQ, tag)

    def _segmenter(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import rjieba  # noqa: PLC0415 - lazy: dictionary load costs ~0.15 s

                    j = rjieba.Jieba()
                    for w in self._words:
                        j.add_word(w, _USER_WORD_FREQ, "nz")
                    self._jieba = j
        return self._jieba

    def _pieces(self, text: str) -> list[tuple[str, bool]]:
        """Split ``text`` around protected words: [(piece, is_protected), ...]."""
        rx = self._special_re
        if rx is None or not text:
            return [(text, False)]
        out: list[tuple[str, bool]] = []
        pos = 0
        for m in rx.finditer(text):
            if m.start() > pos:
                out.append((text[pos : m.start()], False))
            out.append((m.group(0), True))
            pos = m.end()
        if pos < len(text):
            out.append((text[pos:], False))
        return out

    def cut(self, texts: Iterable[str], *, hmm: bool = True) -> list[list[str]]:
        """Segment each text into words."""
        cut = self._segmenter().cut
        if self._special_re is None:
            return [_call(cut, t, hmm) if t else [] for t in texts]
        out = []
        search = self._special_re.search
        for t in texts:
            if not t or search(t) is None:
                out.append(_call(cut, t, hmm) if t else [])
                continue
            toks: list[str] = []
            for piece, protected in self._pieces(t):
                if protected:
                    toks.append(piece)
                elif piece:
                    toks.extend(_call(cut, piece, hmm))
            out.append(toks)
        return out

    def tag(self, texts: Iterable[str], *, hmm: bool = True) -> list[list[tuple[str, str]]]:
        """Segment each text into ``(word, pos_tag)`` pairs (jieba tag set; user words are ``nz``)."""
        tag = self._segmenter().tag
        out = []
        for t in texts:
            pairs: list[tuple[str, str]] = []
            for piece, protected in self._pieces(t):
                if protected:
                    pairs.append((piece, "nz"))
                elif piece:
                    pairs.extend((w, p) for w, p in _call(tag, piece, hmm))
            out.append(pairs)
        return out


_default = UserDictionary()


def set_user_words(words: Iterable[str]) -> UserDictionary:
    """Replace the process-wide user dictionary used by :func:`segment` and return it."""
    global _default
    _default = UserDictionary(words)
    return _default


def get_user_dictionary() -> UserDictionary:
    """Return the process-wide user dictionary (empty unless :func:`set_user_words` was called)."""
    return _default


@overload
def segment(
    texts: Iterable[str], *, pos: Literal[False] = ..., user_dict: UserDictionary | None = ..., hmm: bool = ...
) -> list[list[str]]: ...
@overload
def segment(
    texts: Iterable[str], *, pos: Literal[True], user_dict: UserDictionary | None = ..., hmm: bool = ...
) -> list[list[tuple[str, str]]]: ...


def segment(
    texts: Iterable[str], *, pos: bool = False, user_dict: UserDictionary | None = None, hmm: bool = True
) -> list[list[str]] | list[list[tuple[str, str]]]:
    """Segment a batch of texts into words (or ``(word, tag)`` pairs when ``pos``).

    Words registered with :func:`set_user_words` (or in ``user_dict``) are never split. ``hmm``
    lets jieba's HMM join unknown words (on by default, as in jieba). Empty texts give ``[]``.
    Whitespace is returned as tokens, as jieba does; callers that index words usually drop them.
    Lone surrogates (invalid Unicode) are dropped rather than raising.
    """
    d = user_dict if user_dict is not None else _default
    texts = list(texts)
    if pos:
        return d.tag(texts, hmm=hmm)
    return d.cut(texts, hmm=hmm)


def tokenize(texts: Iterable[str], *, user_dict: UserDictionary | None = None) -> list[list[str]]:
    """Segment and drop whitespace-only tokens: the word lists used for indexing and keywords."""
    return [[w for w in ws if not w.isspace()] for ws in segment(texts, user_dict=user_dict)]
