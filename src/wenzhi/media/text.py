"""Text hygiene for ingestion: bytes → text (encodings, GBK without a header), HTML → plain text, URL
normalisation and the 64-bit hashes the dedup keys are made of.

Nothing here renders HTML: markup is parsed and reduced to text (scripts, styles and comments dropped), and the
templates escape what is left like any other text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9_.:-]+)[\"']", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.I)
_TAG_HINT = re.compile(r"<[a-zA-Z!/][^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_NEWLINES = re.compile(r"\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
# Tracking parameters dropped from URLs before comparing them.
_TRACKING = re.compile(r"^(utm_[a-z]+|spm|from|share_?token|fbclid|gclid|wfr|isappinstalled|scene|clicktime"
                       r"|enterid|sharer_[a-z]+|srcid|ref)$", re.I)


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str, str]:
    """``(text, encoding used, note)`` for raw bytes of a feed or page.

    Order: a BOM; the declared charset (HTTP header, else the XML declaration or an HTML meta tag) if the bytes
    decode with it; UTF-8; GB18030 (a superset of GBK and GB2312, which Chinese sites send without saying so).
    ``note`` says when the declaration was wrong or missing, for the source's health. Never raises: as a last
    resort undecodable bytes become U+FFFD.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8", ""
    for bom, bom_encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[2:].decode(bom_encoding, "replace"), bom_encoding, ""
    head = data[:2048]
    named = declared or _first_group(_XML_DECL, head) or _first_group(_META_CHARSET, head)
    enc: str | None = _known(named) if named else None
    if enc in ("gbk", "gb2312"):
        enc = "gb18030"
    if enc:
        try:
            return data.decode(enc), enc, ""
        except UnicodeDecodeError:
            pass
    for candidate in ("utf-8", "gb18030"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if named and enc:
            note = f"声明的编码 {named} 与内容不符，按 {candidate} 解码"
        elif named:
            note = f"未知编码 {named}，按 {candidate} 解码"
        else:
            note = "" if candidate == "utf-8" else f"未声明编码，识别为 {candidate}"
        return text, candidate, note
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding, f"编码无法确定，按 {best.encoding} 解码"
    return data.decode("utf-8", "replace"), "utf-8", "编码无法识别，无法解码的字节已替换"


def _first_group(pattern: re.Pattern[bytes], data: bytes) -> str | None:
    m = pattern.search(data)
    return m.group(1).decode("ascii", "ignore") if m else None


def clean_text(value) -> str:
    """Plain text of a field that may hold HTML: tags, scripts, styles and comments removed, entities
    decoded, control characters dropped, blank runs collapsed (paragraph breaks kept)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if "<" in text and _TAG_HINT.search(text):
        text = html_to_text(text)
    elif "&" in text:
        import html

        text = html.unescape(text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def html_to_text(markup: str) -> str:
    """Text content of an HTML fragment or page, without scripts, styles, comments or attributes."""
    from lxml import html as lxml_html
    from lxml.etree import ParserError

    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (ParserError, ValueError):
        return re.sub(r"<[^>]*>", " ", markup)
    for bad in root.xpath("//script|//style|//noscript|//template|//iframe|//object|//embed"):
        bad.drop_tree()
    for br in root.xpath("//br|//p|//div|//li|//h1|//h2|//h3|//h4|//tr"):
        br.tail = "\n" + (br.tail or "")
    return root.text_content()


def normalise_url(url: str) -> str:
    """A URL reduced to what identifies the page: lower-case scheme and host, no default port, no fragment,
    no tracking parameters, remaining parameters sorted, no trailing slash, http and https alike."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    port_number = _port(parts)
    port = f":{port_number}" if port_number and port_number not in (80, 443) else ""
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    scheme = "http" if parts.scheme in ("http", "https") else parts.scheme.lower()
    return urlunsplit((scheme, host + port, path, query, ""))


def _port(parts) -> int | None:
    try:
        return parts.port
    except ValueError:  # a port out of range: compare without it
        return None


def hash64(value: str) -> int | None:
    """A signed 64-bit hash of ``value`` (fits a BigIntegerField); None for an empty value."""
    if not value:
        return None
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


_TITLE_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
# Repost marks before a title or text (【转载】, [快讯], 转：...): folded by the title rule, left out of the SimHash.
REPOST_MARKS = r"(?:【[^】]{1,8}】|\[[^\]]{1,8}\]|(?:转|转载|转发|原创)[:：])+"
_TITLE_PREFIX = re.compile("^" + REPOST_MARKS)
_TITLE_SUFFIX = re.compile(r"(\((组图|图|视频|图文|附视频)\)|（(组图|图|视频|图文)）|\[(组图|视频|图)\])$")


def title_key(title: str, day: str) -> int | None:
    """Hash of a title folded for comparison (width, case, punctuation, 【快讯】-style prefixes and (组图)-style
    suffixes ignored) on one publication day (``YYYY-MM-DD``)."""
    t = unicodedata.normalize("NFKC", title or "").strip()
    t = _TITLE_SUFFIX.sub("", _TITLE_PREFIX.sub("", t))
    t = _TITLE_DROP.sub("", t).lower()
    if len(t) < 4:
        return None
    return hash64(f"{day}|{t}")
