"""Text normalisation for Chinese text: width, script, whitespace, control characters, emoji.

Every function here is batch-first (a list in, a list out) and never raises on odd input:
empty strings, megabyte strings, lone surrogates and control characters all come back as clean
``str`` values that encode to UTF-8.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["normalize", "to_halfwidth", "to_simplified", "fold_for_matching", "EMOJI_RE"]

# Full-width letters and digits (and the ideographic space) map 1:1 to ASCII. Full-width
# punctuation (，！？：；（）) is kept by default because Chinese text uses it as its own
# punctuation; ``halfwidth_punct=True`` converts it too.
_FW_ALNUM = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp - 0xFEE0).isalnum()}
_FW_ALNUM[0x3000] = 0x20
_FW_ALL = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FW_ALL[0x3000] = 0x20

# C0/C1 controls (except tab/newline/CR, which are whitespace), zero-width and bidi marks, BOM,
# and lone surrogates (which cannot be encoded as UTF-8 and would crash OpenCC and any writer).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]+")
# Whitespace, including the ideographic space and line/paragraph separators.
_SPACE_RE = re.compile(r"[\s\u3000\u2028\u2029\u00a0]+")
_SPACE_NO_NL_RE = re.compile(r"[^\S\n]+|[\u3000\u00a0]+")
_NL_RE = re.compile(r"\s*\n\s*")

#: Emoji, pictographs, dingbats, flags, skin tones, variation selectors and joiners.
EMOJI_RE = re.compile(
    "["
    "\U0001f000-\U0001faff"  # mahjong, cards, emoticons, pictographs, transport, symbols & pictographs ext.
    "\U0001fc00-\U0001ffff"
    "\u2600-\u27bf"  # misc symbols, dingbats
    "\u2b00-\u2bff"  # arrows and stars used as emoji (⭐)
    "\u2300-\u23ff"  # technical (⌚ ⏰)
    "\ufe00-\ufe0f"  # variation selectors
    "\u200d"  # zero-width joiner
    "\u20e3"  # combining keycap
    "\U000e0020-\U000e007f"  # tag characters (flag sequences)
    "]+"
)

_opencc_lock = threading.Lock()


@lru_cache(maxsize=1)
def _t2s():  # pragma: no cover - trivial
    import opencc  # noqa: PLC0415 - lazy: keeps ``import wenzhi.nlp`` cheap

    return opencc.OpenCC("t2s")


def _clean_surrogates(text: str) -> str:
    # Lone surrogates (e.g. from ``surrogateescape`` decoding) cannot be encoded; drop them.
    return _CONTROL_RE.sub("", text)


def to_halfwidth(texts: Iterable[str], *, punct: bool = False) -> list[str]:
    """Convert full-width letters, digits and spaces to ASCII (and punctuation too when ``punct``).

    The mapping is one character to one character, so offsets into the result are offsets into
    the input.
    """
    table = _FW_ALL if punct else _FW_ALNUM
    return [t.translate(table) for t in texts]


def to_simplified(texts: Iterable[str]) -> list[str]:
    """Convert traditional Chinese to simplified with OpenCC's ``t2s`` configuration.

    Lone surrogates are removed first because OpenCC works on UTF-8.
    """
    conv = _t2s()
    out: list[str] = []
    for t in texts:
        if not t:
            out.append("")
            continue
        try:
            with _opencc_lock:
                out.append(conv.convert(t))
        except (UnicodeError, RuntimeError):
            cleaned = _clean_surrogates(t)
            with _opencc_lock:
                out.append(conv.convert(cleaned))
    return out


def normalize(
    texts: Iterable[str],
    *,
    simplified: bool = True,
    halfwidth: bool = True,
    halfwidth_punct: bool = False,
    collapse_whitespace: bool = True,
    keep_newlines: bool = False,
    remove_controls: bool = True,
    remove_emoji: bool = False,
    lowercase: bool = False,
) -> list[str]:
    """Normalise a batch of texts for display, search and analysis.

    Steps, in order: remove control characters, zero-width marks, BOM and lone surrogates;
    optionally remove emoji; convert full-width letters/digits/space to ASCII (and full-width
    punctuation when ``halfwidth_punct``); convert traditional to simplified (OpenCC ``t2s``);
    collapse runs of whitespace into one space (keeping single newlines when
    ``keep_newlines``) and strip the ends; optionally lowercase.

    ``None`` entries are treated as empty strings. The function never raises on content.

    >>> normalize(["  臺灣 ＡＢＣ１２３\\x00  電視 "])
    ['台湾 ABC123 电视']
    """
    table = _FW_ALL if halfwidth_punct else _FW_ALNUM
    prepared: list[str] = []
    for t in texts:
        if t is None:
            t = ""
        elif not isinstance(t, str):
            t = str(t)
        if remove_controls:
            t = _CONTROL_RE.sub("", t)
        if remove_emoji:
            t = EMOJI_RE.sub("", t)
        if halfwidth:
            t = t.translate(table)
        prepared.append(t)
    if simplified:
        prepared = to_simplified(prepared)
    if collapse_whitespace:
        if keep_newlines:
            prepared = [_NL_RE.sub("\n", _SPACE_NO_NL_RE.sub(" ", t)).strip() for t in prepared]
        else:
            prepared = [_SPACE_RE.sub(" ", t).strip() for t in prepared]
    if lowercase:
        prepared = [t.lower() for t in prepared]
    return prepared


def fold_for_matching(text: str) -> str:
    """Fold one text for dictionary matching without changing its length.

    Full-width ASCII becomes half-width and letters become lowercase, one character for one, so
    a match at ``[i, j)`` in the folded text is the span ``[i, j)`` of the original.
    """
    folded = text.translate(_FW_ALL).lower()
    if len(folded) != len(text):  # some lowercase mappings expand (e.g. 'İ'); keep offsets exact
        folded = "".join(c.translate(_FW_ALL).lower()[:1] or c for c in text)
    return folded
