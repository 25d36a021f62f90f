"""Text that is safe to store and to hand out: control characters dropped, spreadsheet formulas defused.

One function on the way in (forms, serializers, imports and every domain row's ``full_clean`` call
:func:`clean_text`) and two on the way out (exports call :func:`export_text` and :func:`sheet_title`).
"""

from __future__ import annotations

import re

# C0 control characters except tab, line feed and carriage return. They cannot be typed, are invisible on a page,
# and XML 1.0 (so every xlsx) forbids them: one vertical tab in a name made each xlsx export fail.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"): = + - @, and tab or CR before them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def clean_text(value):
    """``value`` without control characters (tab, CR and LF kept); anything but a string comes back unchanged."""
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub("", value)
    return value


def clean_model_text(instance) -> None:
    """Apply :func:`clean_text` to every text field of a model instance (called before its validation)."""
    from django.db import models

    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname, None)
            cleaned = clean_text(value)
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)


def export_text(value: str) -> str:
    """A text cell for a spreadsheet: control characters dropped and a leading formula character neutralised by a
    ``'`` (OWASP), so ``=HYPERLINK(...)`` in an enterprise name stays text in Excel, WPS and LibreOffice."""
    value = clean_text(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def sheet_title(title: str, default: str = "Sheet1") -> str:
    """A worksheet title Excel accepts: without ``[]:*?/\\``, not starting or ending with ``'``, at most 31 characters."""
    title = _SHEET_FORBIDDEN.sub(" ", clean_text(str(title or ""))).strip().strip("'")[:31].strip()
    return title or default


def filename_part(text: str, limit: int = 80) -> str:
    """``text`` usable inside a download's file name on Windows, macOS and Linux."""
    return _FILENAME_FORBIDDEN.sub("_", str(text)).strip(" ._")[:limit]
