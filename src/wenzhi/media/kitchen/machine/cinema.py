"""每周电影票房报告: a hook, off until cinema data exists.

The consumption module (venues, cinemas, sessions, tickets) registers the week's cinema figures here with
:func:`provide` when it is installed; until then this kind shows as unavailable with the reason, and drafting it
is refused. Nothing is made up in the meantime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from .compose import Draft, Writer, register
from .figures import NoData

_provider: dict[str, Callable[[dict], Draft]] = {}


def provide(compose: Callable[[dict], Draft]) -> None:
    """Called by the module that holds cinema data (its ``AppConfig.ready``) with its composer of the week's
    report; the composer binds its numbers through ``figures.query`` like every other writer."""
    _provider["compose"] = compose


def available() -> tuple[bool, str]:
    if "compose" not in _provider:
        return False, gettext("尚未接入影院票房数据（场馆与票务模块启用后自动开启）。")
    return True, ""


def compose(params: dict) -> Draft:
    if "compose" not in _provider:
        raise NoData(available()[1])
    return _provider["compose"](params)


def parse(raw: dict) -> dict:
    try:
        week = dt.date.fromisoformat(str(raw.get("week") or ""))
    except ValueError:
        raise ValidationError({"week": gettext("统计周：请填写一周的起始日期，如 2026-11-23。")}) from None
    return {"week": (week - dt.timedelta(days=week.weekday())).isoformat()}


def default() -> dict:
    today = timezone.localdate()
    return {"week": (today - dt.timedelta(days=today.weekday() + 7)).isoformat()}


register(Writer(kind="cinema_weekly", parse=parse, default=default, compose=compose, available=available))
