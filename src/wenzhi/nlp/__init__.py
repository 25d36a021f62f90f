"""Wenzhi's NLP library: pure Python, no Django, batch-first (lists in, lists out).

Text tools (this package's text half): :func:`normalize`, :func:`segment` and
:func:`set_user_words`, :func:`keywords`, :func:`summarize`, :class:`NearDuplicateIndex` and
:func:`find_near_duplicates`, :class:`Entity` and :class:`EntityLinker`. Model-backed tools live
in ``sentiment``, ``topic`` and ``culture``. The command line is ``python -m wenzhi.nlp.cli``.

Names are imported lazily so that ``import wenzhi.nlp`` stays cheap (no dictionary loads).
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "normalize": "normalize",
    "segment": "segment",
    "set_user_words": "segment",
    "UserDictionary": "segment",
    "tokenize": "segment",
    "keywords": "keywords",
    "summarize": "summary",
    "NearDuplicateIndex": "dedup",
    "find_near_duplicates": "dedup",
    "Entity": "entities",
    "EntityLinker": "entities",
    "Mention": "entities",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wenzhi.nlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
