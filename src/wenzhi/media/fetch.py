"""Fetching a source over HTTP within its limits, and keeping its health.

Limits per source: response size (the body is read in chunks and abandoned past ``max_bytes``), total time
(connect and read timeouts plus a deadline over the whole body), redirects (``max_redirects``; a loop ends
there). Every fetch leaves a :class:`SourceFetch` row and updates the source's health: last success or last
error, item rate, consecutive failures and the back-off (doubling from the source's interval, at most a day).
Nothing here raises into the worker: every failure becomes the source's last error.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.utils import timezone

from . import feeds
from .choices import FetchOutcome, SourceKind
from .ingest import IngestResult, ingest_records
from .models import Source, SourceFetch

logger = logging.getLogger(__name__)

USER_AGENT = "Wenzhi-OpinionMonitor/1.0 (+https://wenzhi.tj.gov.cn)"
MAX_BACKOFF = timedelta(days=1)
CHUNK = 64 * 1024


class FetchError(Exception):
    """A fetch that failed; the message (Chinese) goes to the source's health."""


@dataclass
class Response:
    content: bytes
    encoding: str | None
    content_type: str
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""


def http_get(source: Source) -> Response:
    """GET the source's URL within its limits (size, time, redirects)."""
    session = requests.Session()
    session.max_redirects = source.max_redirects
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.http_last_modified:
        headers["If-Modified-Since"] = source.http_last_modified
    deadline = time.monotonic() + source.timeout_seconds
    try:
        with session.get(source.url, headers=headers, stream=True, timeout=(min(5, source.timeout_seconds),
                                                                            source.timeout_seconds)) as r:
            if r.status_code == 304:
                return Response(b"", None, "", not_modified=True, etag=source.etag,
                                last_modified=source.http_last_modified)
            if r.status_code >= 400:
                raise FetchError(f"HTTP {r.status_code}")
            declared = int(r.headers.get("Content-Length") or 0)
            if declared > source.max_bytes:
                raise FetchError(f"响应过大：{declared:,} 字节，上限 {source.max_bytes:,} 字节")
            body = bytearray()
            for chunk in r.iter_content(CHUNK):
                body += chunk
                if len(body) > source.max_bytes:
                    raise FetchError(f"响应过大：超过上限 {source.max_bytes:,} 字节，已停止读取")
                if time.monotonic() > deadline:
                    raise FetchError(f"超时：{source.timeout_seconds} 秒内未读完响应")
            content_type = r.headers.get("Content-Type", "")
            charset = requests.utils.get_encoding_from_headers(r.headers) if "charset" in content_type else None
            return Response(bytes(body), charset, content_type, etag=r.headers.get("ETag", "")[:200],
                            last_modified=r.headers.get("Last-Modified", "")[:100])
    except requests.TooManyRedirects:
        raise FetchError(f"重定向过多（超过 {source.max_redirects} 次，可能是重定向循环）") from None
    except requests.Timeout:
        raise FetchError(f"超时：{source.timeout_seconds} 秒内无响应") from None
    except requests.ConnectionError as exc:
        raise FetchError(f"无法连接：{_short(exc)}") from None
    except requests.RequestException as exc:
        raise FetchError(f"请求失败：{_short(exc)}") from None
    finally:
        session.close()


def _short(exc: Exception) -> str:
    return str(exc)[:200]


def parse_response(source: Source, response: Response) -> tuple[list, list[str]]:
    """Records and notes of a fetched payload, by the source's kind."""
    if source.kind == SourceKind.RSS:
        return feeds.parse_xml_feed(response.content, response.encoding)
    if source.kind == SourceKind.JSON:
        return feeds.parse_json_feed(response.content, response.encoding, (source.selectors or {}).get("items", ""))
    if source.kind == SourceKind.HTML:
        return feeds.parse_html_list(response.content, source.url, source.selectors or {}, response.encoding)
    raise FetchError(f"信息源类型 {source.get_kind_display()} 不能主动抓取")


def fetch_source(source: Source, *, force: bool = False) -> SourceFetch:
    """Fetch, parse and ingest one source now, recording the outcome in its health; never raises."""
    now = timezone.now()
    if not force and source.in_backoff:
        return SourceFetch.objects.create(source=source, outcome=FetchOutcome.SKIPPED,
                                          error=f"退避中，{source.backoff_until:%Y-%m-%d %H:%M} 后重试")
    started = time.monotonic()
    log = SourceFetch(source=source, started_at=now, outcome=FetchOutcome.OK)
    notes: list[str] = []
    try:
        response = http_get(source)
        log.bytes = len(response.content)
        records: list = []
        if not response.not_modified:
            records, notes = parse_response(source, response)
            records = records[:source.max_items]
        result = ingest_records(source, records, keep_ids=False)
        source.etag, source.http_last_modified = response.etag, response.last_modified
        _count(log, result)
        notes.extend(result.errors[:5])
    except (FetchError, feeds.FeedError) as exc:
        log.outcome, log.error = FetchOutcome.ERROR, str(exc)
    except Exception as exc:  # a bug or an unexpected payload: recorded, never crashes the worker
        logger.exception("fetching source %s failed", source.pk)
        log.outcome, log.error = FetchOutcome.ERROR, f"内部错误：{type(exc).__name__}: {_short(exc)}"
    log.duration_ms = int((time.monotonic() - started) * 1000)
    if log.outcome == FetchOutcome.OK and notes:
        log.error = "；".join(notes)[:2000]
    log.save()
    record_health(source, log)
    return log


def _count(log: SourceFetch, result: IngestResult) -> None:
    log.items, log.new_documents = result.received, result.new
    log.duplicates, log.rejected = result.duplicates, result.rejected


def record_health(source: Source, log: SourceFetch) -> None:
    """Update the source's health fields from one fetch (or pushed batch)."""
    now = timezone.now()
    source.last_fetch_at = now
    if log.outcome == FetchOutcome.OK:
        hours = source.interval_minutes / 60 or 1
        source.last_success_at = now
        source.consecutive_failures = 0
        source.backoff_until = None
        source.last_item_count = log.items
        source.item_rate = round(0.7 * source.item_rate + 0.3 * (log.new_documents / hours), 2) \
            if source.item_rate else round(log.new_documents / hours, 2)
        if log.error:  # recovered problems (bad records, encoding) stay visible
            source.last_error, source.last_error_at = log.error, now
        source.next_fetch_at = now + timedelta(minutes=source.interval_minutes)
    else:
        source.consecutive_failures += 1
        source.last_error, source.last_error_at = log.error[:2000], now
        delay = min(timedelta(minutes=source.interval_minutes) * (2 ** min(source.consecutive_failures - 1, 10)),
                    MAX_BACKOFF)
        source.backoff_until = now + delay
        source.next_fetch_at = source.backoff_until
    Source.objects.filter(pk=source.pk).update(
        last_fetch_at=source.last_fetch_at, last_success_at=source.last_success_at,
        last_error_at=source.last_error_at, last_error=source.last_error,
        consecutive_failures=source.consecutive_failures, backoff_until=source.backoff_until,
        next_fetch_at=source.next_fetch_at, last_item_count=source.last_item_count, item_rate=source.item_rate,
        etag=source.etag, http_last_modified=source.http_last_modified)


def ingest_pushed(source: Source, records: list, *, kind_label: str = "") -> tuple[SourceFetch, IngestResult]:
    """Records pushed by a partner system or uploaded by an editor: ingested and logged like a fetch."""
    started = time.monotonic()
    log = SourceFetch(source=source, outcome=FetchOutcome.OK)
    result = ingest_records(source, records)
    _count(log, result)
    log.error = "；".join(result.errors[:20])[:2000]
    log.duration_ms = int((time.monotonic() - started) * 1000)
    log.save()
    record_health(source, log)
    return log, result
