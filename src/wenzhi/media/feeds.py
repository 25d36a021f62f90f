"""Parsing what sources send into records (``id``, ``title``, ``text``, ``url``, ``guid``, ``published_at``).

RSS 2.0, RSS 1.0 (RDF) and Atom are read with lxml without entity expansion or network access (no XXE, no
billion laughs); malformed XML is reported and what a recovering parse can still read is kept. JSON feeds are a
list, an object holding the list (``items``, ``data``, ``entries``... or the source's ``selectors.items`` path),
or JSON Lines. Web page lists are read with CSS selectors (cssselect2 over lxml). Uploads are CSV, JSON Lines,
JSON or xlsx. Every function returns ``(records, notes)``: notes are problems worth showing in the source's
health, not failures.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urljoin

from lxml import etree

from .text import decode_bytes

FIELD_ALIASES = {
    "title": ("title", "headline", "name", "标题"),
    "text": ("text", "content", "body", "summary", "description", "desc", "正文", "内容", "摘要"),
    "url": ("url", "link", "href", "链接", "网址"),
    "guid": ("guid",),
    "id": ("id", "item_id", "uuid", "编号"),
    "published_at": ("published_at", "published", "pubDate", "pub_date", "date", "time", "created_at", "updated",
                     "发布时间", "时间", "日期"),
}
MAX_RECORDS = 100_000


class FeedError(ValueError):
    """The payload cannot be read at all (the message is shown in the source's health)."""


def map_fields(obj: dict) -> dict:
    """A record with the standard field names from an object using any of :data:`FIELD_ALIASES`."""
    if not isinstance(obj, dict):
        return obj
    out = {}
    lower = {str(k).lower(): v for k, v in obj.items()}
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in obj:
                out[name] = obj[alias]
                break
            if alias.lower() in lower:
                out[name] = lower[alias.lower()]
                break
    if isinstance(out.get("url"), dict):  # {"href": ...}
        out["url"] = out["url"].get("href", "")
    return out


# --- XML feeds ----------------------------------------------------------------------------------------------

def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=recover,
                           load_dtd=False, dtd_validation=False)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(el, *names: str) -> str:
    for child in el:
        if _local(child.tag) in names:
            if _local(child.tag) == "link" and child.get("href"):
                if child.get("rel") in (None, "alternate"):
                    return child.get("href")
                continue
            return "".join(child.itertext()).strip()
    return ""


def parse_xml_feed(data: bytes, declared_encoding: str | None = None) -> tuple[list[dict], list[str]]:
    """Items of an RSS or Atom document. Bytes are decoded first (see :func:`decode_bytes`), so a wrong or
    missing encoding declaration does not garble the text."""
    text, _enc, note = decode_bytes(data, declared_encoding)
    notes = [note] if note else []
    payload = _strip_declaration(text).encode("utf-8")
    try:
        root = etree.fromstring(payload, _parser(False))
    except etree.XMLSyntaxError as exc:
        notes.append(f"XML 格式错误：{str(exc)[:200]}")
        try:
            root = etree.fromstring(payload, _parser(True))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise FeedError(notes[-1]) from None
    records = []
    for el in root.iter():
        name = _local(el.tag)
        if name not in ("item", "entry"):
            continue
        records.append({
            "title": _child_text(el, "title"),
            "text": _child_text(el, "encoded", "content", "description", "summary"),
            "url": _child_text(el, "link"),
            "guid": _child_text(el, "guid", "id"),
            "published_at": _child_text(el, "pubDate", "published", "updated", "date", "issued"),
        })
        if len(records) >= MAX_RECORDS:
            break
    if not records and root is not None and _local(root.tag) not in ("rss", "feed", "RDF"):
        raise FeedError(f"不是 RSS/Atom 文档（根元素为 {_local(root.tag)[:40]}）")
    return records, notes


def _strip_declaration(text: str) -> str:
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("<?xml"):
        end = text.find("?>")
        if end != -1:
            return text[end + 2:]
    return text


# --- JSON feeds ---------------------------------------------------------------------------------------------

def parse_json_feed(data: bytes, declared_encoding: str | None = None, items_path: str = ""
                    ) -> tuple[list[dict], list[str]]:
    """Records of a JSON document (a list, or an object holding one) or of JSON Lines."""
    text, _enc, note = decode_bytes(data, declared_encoding)
    notes = [note] if note else []
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        return _json_lines(text, notes)
    items = _items_of(doc, items_path)
    if items is None and isinstance(doc, dict) and not items_path and map_fields(doc).get("title"):
        items = [doc]  # a single record (a one-line JSON Lines file)
    if items is None:
        raise FeedError("JSON 中找不到条目列表（可在信息源的选择器中设置 items 路径）")
    return [map_fields(x) if isinstance(x, dict) else x for x in items[:MAX_RECORDS]], notes


def _items_of(doc, path: str):
    if path:
        for part in path.split("."):
            if not isinstance(doc, dict) or part not in doc:
                return None
            doc = doc[part]
        return doc if isinstance(doc, list) else None
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in ("items", "data", "entries", "articles", "list", "results", "docs"):
            value = doc.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict):
                inner = _items_of(value, "")
                if inner is not None:
                    return inner
    return None


def _json_lines(text: str, notes: list[str]) -> tuple[list[dict], list[str]]:
    records: list = []
    bad = 0
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            bad += 1
            if bad <= 5:
                notes.append(f"第 {n} 行不是有效的 JSON：{exc.msg}")
            records.append(None)  # keeps record numbers aligned; reported as a bad record
            continue
        records.append(map_fields(obj) if isinstance(obj, dict) else obj)
        if len(records) >= MAX_RECORDS:
            break
    if not any(r is not None for r in records):
        raise FeedError("内容既不是 JSON 也不是 JSON Lines")
    return records, notes


# --- web page lists -----------------------------------------------------------------------------------------

def parse_html_list(data: bytes, base_url: str, selectors: dict, declared_encoding: str | None = None
                    ) -> tuple[list[dict], list[str]]:
    """Records of a list page: ``selectors`` = {"item", "title", "link", "text", "date"} (CSS)."""
    import cssselect2
    from lxml import html as lxml_html

    text, _enc, note = decode_bytes(data, declared_encoding)
    notes = [note] if note else []
    item_sel = (selectors or {}).get("item")
    if not item_sel:
        raise FeedError("网页列表信息源需要设置条目选择器（item）")
    root = lxml_html.document_fromstring(text or "<html></html>")
    for bad in root.xpath("//script|//style|//noscript|//template|//iframe"):
        bad.drop_tree()
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    try:
        items = list(wrapper.query_all(item_sel))
    except Exception as exc:  # cssselect2 raises its own parse errors for a bad selector
        raise FeedError(f"选择器 item 无效：{exc}") from None
    records = []
    for el in items[:MAX_RECORDS]:
        rec = {}
        for field, key in (("title", "title"), ("text", "text"), ("published_at", "date")):
            sel = selectors.get(key)
            found = el.query(sel) if sel else None
            rec[field] = " ".join(found.etree_element.itertext()).strip() if found is not None else ""
        link_sel = selectors.get("link") or "a"
        link = el.query(link_sel)
        href = link.etree_element.get("href") if link is not None else None
        rec["url"] = urljoin(base_url, href) if href else ""
        if not rec["title"] and link is not None:
            rec["title"] = " ".join(link.etree_element.itertext()).strip()
        records.append(rec)
    return records, notes


# --- uploads ------------------------------------------------------------------------------------------------

def parse_upload(name: str, data: bytes) -> tuple[list[dict], list[str]]:
    """Records of an uploaded file by its extension: .csv, .jsonl/.json, .xlsx."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _xlsx(data), []
    if lower.endswith((".jsonl", ".json", ".ndjson")):
        return parse_json_feed(data)
    if lower.endswith(".csv"):
        text, _enc, note = decode_bytes(data)
        rows = csv.DictReader(io.StringIO(text))
        return [map_fields(r) for r in rows][:MAX_RECORDS], [note] if note else []
    raise FeedError("只支持 CSV、JSON Lines、JSON 和 xlsx 文件")


def _xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for non-workbooks
        raise FeedError(f"不是有效的 xlsx 文件：{type(exc).__name__}") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        return []
    names = [str(h).strip() if h is not None else "" for h in header]
    out = []
    for row in rows:
        if row is None or all(v is None for v in row):
            continue
        out.append(map_fields({n: v for n, v in zip(names, row, strict=False) if n}))
        if len(out) >= MAX_RECORDS:
            break
    wb.close()
    return out
