"""Incoming items before they are documents: checking and cleaning records from any source kind.

Every source kind (feeds, pages, uploads, the partner API, the command line) ends up as a list of dicts with
``id``, ``title``, ``text``, ``url``, ``guid`` and ``published_at``. :func:`clean_records` turns them into
:class:`Item` objects or a specific Chinese message naming the record and the field; nothing else is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .text import clean_text, hash64, normalise_url, title_key

MAX_TITLE = 500
MAX_TEXT = 200_000
MAX_URL = 2000
_FUTURE = timedelta(days=2)


@dataclass
class Item:
    """One cleaned incoming item (plain text only) with its dedup keys."""

    external_id: str
    title: str
    text: str
    url: str
    url_normalised: str
    guid: str
    published_at: datetime
    url_hash: int | None
    guid_hash: int | None
    title_hash: int | None


class RecordError(ValueError):
    """A record that cannot become a document; the message names the record and the field."""


def parse_time(value, *, now: datetime | None = None) -> datetime | None:
    """A publication time from ISO 8601, RFC 822 (RSS), a date, or Unix seconds/milliseconds; aware (UTC when
    no zone is given: feeds that omit it are mostly UTC). None when empty; ValueError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10_000_000_000 else value
        dt = datetime.fromtimestamp(seconds, tz=UTC)
    else:
        text = str(value).strip()
        parsed = _parse_text_time(text)
        if parsed is None:
            raise ValueError(text[:40])
        dt = parsed
    if timezone.is_naive(dt):
        dt = dt.replace(tzinfo=UTC)
    return dt


def _parse_text_time(text: str) -> datetime | None:
    if re.fullmatch(r"\d{9,13}", text):
        n = int(text)
        return datetime.fromtimestamp(n / 1000 if n > 10_000_000_000 else n, tz=UTC)
    candidate = text.replace("/", "-").replace("Z", "+00:00")
    candidate = re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*", r"\1-\2-\3 ", candidate).strip()
    candidate = re.sub(r"^(\d{4})-(\d)(?=-)", r"\1-0\2", candidate)
    candidate = re.sub(r"^(\d{4}-\d{2})-(\d)(?!\d)", r"\1-0\2", candidate)
    try:
        dt = parse_datetime(candidate)
    except ValueError:
        dt = None
    if dt is not None:
        return dt
    try:
        d = parse_date(candidate)
    except ValueError:
        d = None
    if d is not None:
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def clean_record(raw, index: int, *, source_name: str, now: datetime) -> Item:
    """One record → :class:`Item`, or :class:`RecordError` naming record ``index`` (1-based) and the field."""
    if not isinstance(raw, dict):
        raise RecordError(f"第 {index} 条：不是对象（应为包含 title、text 等字段的 JSON 对象）")
    title = clean_text(_string(raw.get("title"), index, "title"))[:MAX_TITLE]
    text = clean_text(_string(raw.get("text"), index, "text"))[:MAX_TEXT]
    if not title and not text:
        raise RecordError(f"第 {index} 条：标题（title）和正文（text）都为空")
    if not title:
        title = text.split("\n", 1)[0][:60]
    url = _string(raw.get("url"), index, "url").strip()[:MAX_URL]
    if url and not re.match(r"^https?://", url, re.I):
        raise RecordError(f"第 {index} 条：链接（url）必须以 http:// 或 https:// 开头：{url[:60]}")
    external_id = _string(raw.get("id"), index, "id").strip()[:200]
    guid = _string(raw.get("guid"), index, "guid").strip()[:500]
    if not guid and external_id:
        guid = f"{source_name}:{external_id}"
    try:
        published = parse_time(raw.get("published_at"), now=now)
    except ValueError as exc:
        raise RecordError(f"第 {index} 条：发布时间（published_at）无法识别：{exc}") from None
    if published is None or published > now + _FUTURE:
        published = now
    normalised = normalise_url(url)
    day = published.astimezone(UTC).strftime("%Y-%m-%d")
    return Item(external_id=external_id, title=title, text=text, url=url, url_normalised=normalised[:MAX_URL],
                guid=guid, published_at=published, url_hash=hash64(normalised), guid_hash=hash64(guid),
                title_hash=title_key(title, day))


def _string(value, index: int, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise RecordError(f"第 {index} 条：字段 {name} 应为文本")


def clean_records(raws, *, source_name: str, start: int = 1) -> tuple[list[Item], list[str]]:
    """(items, error messages) for a list of records; record numbers start at ``start``."""
    now = timezone.now()
    items, errors = [], []
    for offset, raw in enumerate(raws):
        try:
            items.append(clean_record(raw, start + offset, source_name=source_name, now=now))
        except RecordError as exc:
            errors.append(str(exc))
    return items, errors
