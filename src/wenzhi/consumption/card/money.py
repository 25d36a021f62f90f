"""Integer fen ↔ yuan text, and the retry of a money transaction that met a lock timeout or a deadlock."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext

T = TypeVar("T")

RETRIES = 8


def yuan_text(fen: int | None) -> str:
    """``12345`` → ``"123.45"`` (exact: integer arithmetic, never float)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def fen_from_yuan(value, *, field: str, label: str) -> int:
    """A yuan amount (``"12.5"``, Decimal) as integer fen; more than two decimals or not a number is an error
    naming the field."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: gettext("%(label)s：“%(value)s”不是金额。") % {"label": label, "value": value}}) \
            from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: gettext("%(label)s：金额最多两位小数（分）。") % {"label": label}})
    return int(amount * 100)


def _retriable(exc: OperationalError) -> bool:
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code in ("40P01", "40001", "55P03"):  # deadlock, serialization failure, lock not available
        return True
    return "database is locked" in str(exc) or "deadlock" in str(exc).lower()


def with_retry(func: Callable[[], T], retries: int = RETRIES) -> T:
    """Run ``func`` (one whole transaction) again after a lock timeout or deadlock, with a short random
    back-off; the transaction rolled back, so nothing of the failed try is kept (pretix's approach)."""
    for attempt in range(retries):
        try:
            return func()
        except OperationalError as exc:
            if not _retriable(exc) or attempt == retries - 1:
                raise
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    raise AssertionError("unreachable")
