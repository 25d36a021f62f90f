"""Errors a service raises that are neither bad input nor a refusal.

:class:`StaleEdit`: the row changed since the caller read it (two officials editing one row). Pages answer 409
with the form and the message; the API answers 409 ``{"code": "conflict", ...}``. Nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext


class StaleEdit(Exception):
    """The row was changed by someone else after the caller read it; the caller must reload and redo the edit."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def version_of(obj) -> str:
    """The version token of a row (its ``updated_at`` in ISO form): the page's hidden field and the API's field."""
    return obj.updated_at.isoformat() if getattr(obj, "updated_at", None) else ""


def check_version(obj, expected: str | dt.datetime | None, *, what: str) -> None:
    """Raise :class:`StaleEdit` when ``expected`` (the version the caller read) is not ``obj``'s current one.

    ``expected`` None or empty means the caller did not send a version: no check (older clients keep working).
    """
    if expected in (None, ""):
        return
    if isinstance(expected, str):
        try:
            expected = dt.datetime.fromisoformat(expected)
        except ValueError:
            raise StaleEdit(gettext("版本标记“%(value)s”无法识别，请重新打开%(what)s后再保存。")
                            % {"value": expected, "what": what}) from None
    if timezone.is_naive(expected):
        expected = timezone.make_aware(expected)
    if obj.updated_at != expected:
        when = timezone.localtime(obj.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        raise StaleEdit(gettext("%(what)s在您打开后已被他人修改（%(when)s），本次修改未保存。请重新打开，核对最新内容后再修改。")
                        % {"what": what, "when": when})
