"""Figures as people read them: thousands separated by commas (1,234,567.89) in both languages.

Django's own ``intcomma``/``floatformat:"g"`` follow the locale, and its Chinese locale has no thousands
separator (it groups by 10,000 with an empty separator), so the bureau's figures would run together. These
helpers are for display only: form inputs and exports keep plain, machine-readable numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import pgettext


def list_separator() -> str:
    """What joins the items of a list in the page's language: 、 in Chinese, ", " in English."""
    return pgettext("list separator", "、")


def thousands(value, places: int | None = None):
    """``value`` with comma thousands separators; anything that is not a number comes back unchanged.

    Integers keep no decimals; ``Decimal`` keeps its own places (``Decimal("1234.50")`` → ``1,234.50``);
    ``float`` gets ``places`` (two by default). Numeric strings are formatted too (template values).
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            value = int(text) if text.lstrip("-").isdigit() else Decimal(text)
        except ArithmeticError:
            return value
        if isinstance(value, Decimal) and not value.is_finite():
            return text
    if isinstance(value, int):
        return f"{value:,}" if places is None else f"{value:,.{places}f}"
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        if places is None:
            exponent = value.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return f"{value:,.{places}f}"
    if isinstance(value, float):
        return f"{value:,.{2 if places is None else places}f}"
    return value
