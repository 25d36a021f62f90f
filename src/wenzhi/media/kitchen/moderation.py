"""Moderation against the authority's sensitive-word list with one Aho-Corasick automaton (pyahocorasick).

The text is matched once, in one pass, whatever the size of the list (never a loop of ``word in text``). Before
matching, text and words are folded the same way — NFKC (full-width → half-width), lower case, and spaces and
separator punctuation dropped — so "法 轮·功" and "ＡＢＣ" are caught; each hit is reported at its place in the
original text. The automaton is built once per version of the list and kept in the process.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

import ahocorasick

from .choices import WordLevel

# Characters dropped before matching: whitespace and the separators people put inside a word to dodge a filter.
_SEPARATORS = frozenset(" \t\r\n\u3000·•・.,，、_-—~～*＊/\\|｜'\"“”‘’`")


@dataclass(frozen=True)
class Hit:
    """One occurrence of a listed word in a text: the word, its level and where it stands (original text)."""

    word: str
    level: str
    category: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"word": self.word, "level": self.level, "category": self.category, "start": self.start,
                "end": self.end}


def fold(text: str) -> tuple[str, list[int]]:
    """The text as matched (folded) and, for each folded character, its index in the original text."""
    out, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            if c in _SEPARATORS:
                continue
            out.append(c)
            where.append(i)
    return "".join(out), where


class WordList:
    """An automaton over (word, level, category) entries; ``find(text)`` lists every hit, leftmost first."""

    def __init__(self, entries: list[tuple[str, str, str]]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.size = 0
        for word, level, category in entries:
            key, _where = fold(word)
            if key:
                self.automaton.add_word(key, (len(key), word, level, category))
                self.size += 1
        if self.size:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        if not self.size or not text:
            return []
        folded, where = fold(text)
        hits = []
        for end, (length, word, level, category) in self.automaton.iter(folded):
            start = end - length + 1
            hits.append(Hit(word=word, level=level, category=category, start=where[start], end=where[end] + 1))
        return sorted(hits, key=lambda h: (h.start, -h.end))


_lock = threading.Lock()
_cached: tuple[tuple, WordList] | None = None


def current_list() -> WordList:
    """The automaton of the active sensitive words, rebuilt when the list has changed (count or last change)."""
    global _cached
    from django.db.models import Count, Max

    from .models import SensitiveWord

    active = SensitiveWord.objects.filter(is_active=True)
    stamp = tuple(active.aggregate(n=Count("id"), at=Max("updated_at"), top=Max("id")).values())
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    words = WordList(list(active.values_list("word", "level", "category")))
    with _lock:
        _cached = (stamp, words)
    return words


def scan(*texts: str) -> list[Hit]:
    """Hits of the active list in each text, joined (positions are per text)."""
    words = current_list()
    return [hit for text in texts for hit in words.find(text)]


def blocking(hits: list[Hit]) -> list[str]:
    """The prohibited words among the hits, each once, in order."""
    return list(dict.fromkeys(h.word for h in hits if h.level == WordLevel.BLOCK))


def marked(text: str, hits: list[dict]) -> list[tuple[str, str]]:
    """``text`` cut into (piece, level) pairs for display, level '' where no word was hit (for highlighting)."""
    out: list[tuple[str, str]] = []
    pos = 0
    for h in sorted(hits, key=lambda h: h["start"]):
        if h["start"] < pos:
            continue
        out.append((text[pos:h["start"]], ""))
        out.append((text[h["start"]:h["end"]], h["level"]))
        pos = h["end"]
    out.append((text[pos:], ""))
    return [(piece, level) for piece, level in out if piece]
