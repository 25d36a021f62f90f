"""Shared fixtures for wenzhi.nlp tests: plain strings only, no Django, no network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[4]
SHARED_DATA = Path(os.environ.get("WENZHI_SHARED_DATA", _ROOT.parent / "shared" / "data"))


@pytest.fixture
def thucnews_dev() -> Path:
    """Path to THUCNews headlines (dev.txt); skips the test when ../shared/data is absent."""
    path = SHARED_DATA / "nlp" / "THUCNews_titles" / "dev.txt"
    if not path.exists():
        pytest.skip(f"needs the THUCNews headlines at {path} (shared data not present)")
    return path
