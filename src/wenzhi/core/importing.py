"""Reading officials' spreadsheets: .xlsx and CSV in, rows with precise problems out. No domain knowledge.

A domain app describes its columns as a :class:`Schema` of :class:`Field` s and implements an
:class:`Importer` (lookups, duplicates, writes). This module does the rest:

- sniffs the real format from the first bytes, whatever the file is called (an .xls, an encrypted workbook,
  an HTML "Excel" export, .xlsb, .ods and Word documents each get their own message);
- refuses zip bombs from the zip directory before openpyxl decompresses anything;
- reads .xlsx with openpyxl in read-only mode (constant memory) and CSV in UTF-8, UTF-8 with BOM, UTF-16,
  GBK or GB18030 whatever the upload declared;
- finds the header row, resolves merged header cells, maps Chinese headers to fields (synonyms, units such
  as 元/万元/亿元, user overrides);
- reports formula cells with no saved result and Excel error values;
- parses each row, collects every problem as ``{row, column, value, error}`` with the row number the user
  sees in Excel (header = its own row, 1 for a header in the first row) and the column header as written
  in the file;
- runs dry runs and commits: all-or-nothing or skip-invalid, with a progress callback.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction

# ---------------------------------------------------------------------------------------------- limits

MAX_UNCOMPRESSED_BYTES = 1 << 30  # all entries of one .xlsx together, as declared in its zip directory
MAX_ENTRY_RATIO = 200  # uncompressed / compressed for any entry bigger than RATIO_CHECK_FROM
RATIO_CHECK_FROM = 16 << 20
MAX_ZIP_ENTRIES = 5_000
MAX_CSV_BYTES = 300 << 20
HEADER_SCAN_ROWS = 30
MAX_ERRORS_KEPT = 100_000  # beyond this the report says how many more there were

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!"}
BLANK_MARKERS = {"-", "--", "—", "——", "/", "无", "N/A", "n/a", "NA", "空"}
TOTAL_MARKERS = {"合计", "总计", "小计", "总合计"}


class ImportFileError(Exception):
    """The file cannot be read as a table at all; ``str()`` says why, in Chinese, for the person who sent it."""


class HeaderError(ImportFileError):
    """The table was read but its header does not give the columns the import needs."""


class CellError(ValueError):
    """One cell's value is wrong; the message is the whole explanation, in Chinese."""


# ---------------------------------------------------------------------------------------- sniffing


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def sniff_format(head: bytes, filename: str = "") -> str:
    """``"xlsx"`` or ``"csv"`` from the file's first bytes; :class:`ImportFileError` for anything else.

    The extension is only used to phrase the message: a CSV called .xlsx is still read as CSV.
    """
    name = filename or "文件"
    if not head:
        raise ImportFileError(f"{name} 是空文件（0 字节），没有可导入的内容。")
    if head.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in head or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in head:
            raise ImportFileError(f"{name} 是设置了打开密码的 Excel 文件，请在 Excel 中取消密码并另存为 .xlsx 后再导入。")
        if "WordDocument".encode("utf-16-le") in head:
            raise ImportFileError(f"{name} 是 Word 97-2003 (.doc) 文档，不是表格，请把数据放到 Excel 中另存为 .xlsx。")
        raise ImportFileError(f"{name}：这是旧版 Excel 97-2003 (.xls) 文件，请另存为 .xlsx 后再导入。")
    if head.startswith(ZIP_MAGIC):
        return "xlsx"  # the zip directory says more; see check_xlsx_archive
    if head.startswith(b"%PDF"):
        raise ImportFileError(f"{name} 是 PDF 文件，不是表格，请导入 .xlsx 或 .csv 文件。")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise ImportFileError(f"{name} 是图片，不是表格，请导入 .xlsx 或 .csv 文件。")
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        raise ImportFileError(f"{name} 是压缩包，请解压后导入其中的 .xlsx 或 .csv 文件。")
    probe = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in probe[:512]:
        raise ImportFileError(f"{name} 是网页 (HTML) 格式的表格（常见于从业务系统“导出 Excel”），不是真正的 Excel 文件；"
                              "请用 Excel 打开后另存为 .xlsx 再导入。")
    if probe.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise ImportFileError(f"{name} 是 Excel 2003 XML 表格，请用 Excel 打开后另存为 .xlsx 再导入。")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    sample = head[:4096]
    if sample.count(b"\x00") > len(sample) // 10:
        raise ImportFileError(f"{name} 是二进制文件，不是 .xlsx 或 CSV 表格。")
    return "csv"


def _human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def check_xlsx_archive(zf: zipfile.ZipFile, filename: str = "") -> None:
    """Refuse archives that are not workbooks or that would decompress to far more than they should.

    Only the zip directory is read. A directory that understates an entry's size does not help an
    attacker: zipfile stops at the declared size and the CRC check then fails.
    """
    name = filename or "文件"
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ImportFileError(f"{name} 含 {len(infos)} 个压缩条目，远多于正常的 Excel 文件，已拒绝。")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        biggest = max(infos, key=lambda i: i.file_size)
        raise ImportFileError(
            f"{name} 疑似“压缩炸弹”：压缩包仅 {_human_size(sum(i.compress_size for i in infos))}，解压后合计 "
            f"{_human_size(total)}（最大的条目 {biggest.filename} 为 {_human_size(biggest.file_size)}），"
            f"超过允许的 {_human_size(MAX_UNCOMPRESSED_BYTES)}，已拒绝读取。")
    for i in infos:
        if i.file_size > RATIO_CHECK_FROM and i.file_size > MAX_ENTRY_RATIO * max(i.compress_size, 1):
            raise ImportFileError(
                f"{name} 疑似“压缩炸弹”：条目 {i.filename} 压缩后 {_human_size(i.compress_size)}，解压后 "
                f"{_human_size(i.file_size)}（压缩比 1:{i.file_size // max(i.compress_size, 1)}），"
                f"超过允许的 1:{MAX_ENTRY_RATIO}，已拒绝读取。")
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        raise ImportFileError(f"{name} 是 Excel 二进制工作簿 (.xlsb)，请另存为 .xlsx 后再导入。")
    if "word/document.xml" in names:
        raise ImportFileError(f"{name} 是 Word 文档 (.docx)，不是表格，请把数据放到 Excel 中另存为 .xlsx。")
    if "ppt/presentation.xml" in names:
        raise ImportFileError(f"{name} 是 PowerPoint 文档，不是表格。")
    if "mimetype" in names and "content.xml" in names:
        raise ImportFileError(f"{name} 是 OpenDocument 表格 (.ods/WPS 等)，请另存为 .xlsx 后再导入。")
    raise ImportFileError(f"{name} 是 zip 压缩包而不是 Excel 工作簿（缺少 xl/workbook.xml），请导入 .xlsx 或 .csv 文件。")


# --------------------------------------------------------------------------------------- encodings


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, pos) + 1
    start = data.rfind(b"\n", 0, pos) + 1
    return line, pos - start + 1


def decode_text(data: bytes, *, declared: str | None = None, filename: str = "") -> tuple[str, str, list[str]]:
    """Decode CSV bytes: ``(text, encoding used, notes)``.

    ``declared`` is what the upload or the user said (``"utf-8"``, ``"gbk"``...); it is tried first but a file
    that does not decode under it is detected again, and the note says so.
    """
    name = filename or "文件"
    notes: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)", notes
        except UnicodeDecodeError as exc:
            line, col = _line_col(data, exc.start + 3)
            raise ImportFileError(
                f"{name} 以 UTF-8 标记 (BOM) 开头，但第 {line} 行第 {col} 个字节 (0x{data[exc.start + 3]:02X}) 不是 "
                "UTF-8，文件可能混入了另一种编码的内容。请另存为 UTF-8 后再导入。") from exc
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), "UTF-16", notes
            except UnicodeDecodeError as exc:
                raise ImportFileError(f"{name} 以 UTF-16 标记开头，但第 {exc.start} 字节处内容不是有效的 UTF-16。") from exc
    declared_norm = (declared or "").strip().lower().replace("_", "-")
    if declared_norm and declared_norm not in {"utf-8", "utf8", "auto", ""}:
        try:
            codecs.lookup(declared_norm)
            return data.decode(declared_norm), declared_norm.upper(), notes
        except (LookupError, UnicodeDecodeError):
            notes.append(f"文件声明的编码 {declared} 与内容不符，已自动识别。")
    try:
        return data.decode("utf-8"), "UTF-8", notes
    except UnicodeDecodeError as exc:
        utf8_error = exc
    prefix = data[: utf8_error.start].decode("utf-8", errors="replace")
    if _cjk_count(prefix) >= 2:
        line, col = _line_col(data, utf8_error.start)
        raise ImportFileError(
            f"{name} 编码混杂：第 {line} 行以前是 UTF-8 中文，第 {line} 行第 {col} 个字节起出现不是 UTF-8 的字节 "
            f"(0x{data[utf8_error.start]:02X})，可能由不同编码的文件拼接而成。请用同一编码（建议 UTF-8）另存后再导入。")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        gb_error = exc
    else:
        if declared_norm in {"utf-8", "utf8"}:
            notes.append("文件声明为 UTF-8，但内容实际是 GBK/GB18030 编码，已按 GBK 读取。")
        else:
            notes.append("文件按 GBK/GB18030 编码读取。")
        return text, "GBK", notes
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 1 << 20]).best()
    except Exception:  # noqa: BLE001 - detection is a last resort; its failure is reported below
        best = None
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            notes.append(f"文件按 {best.encoding} 编码读取（自动识别）。")
            return text, best.encoding, notes
    u_line, u_col = _line_col(data, utf8_error.start)
    g_line, g_col = _line_col(data, gb_error.start)
    raise ImportFileError(
        f"{name} 的编码无法识别：按 UTF-8 读取在第 {u_line} 行第 {u_col} 个字节出错，按 GBK/GB18030 读取在第 "
        f"{g_line} 行第 {g_col} 个字节出错。请在 Excel 或记事本中另存为“UTF-8”编码的 CSV 后再导入。")


# ------------------------------------------------------------------------------------------- headers

_HEADER_STRIP = re.compile(r"[\s\u3000*＊:：★☆※]+")
_UNIT_IN_HEADER = re.compile(r"[(（\[【]\s*(?:单位\s*[:：]?\s*)?([^()（）\[\]【】]{1,8})\s*[)）\]】]\s*$")


def normalise_header(text: Any) -> str:
    """Header text for matching: NFKC (full-width → half-width), no spaces, stars or colons, lower-case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return _HEADER_STRIP.sub("", s).lower()


def split_unit(header: str) -> tuple[str, str]:
    """``"营业收入（万元）"`` → ``("营业收入", "万元")``; no unit → ``(header, "")``."""
    s = unicodedata.normalize("NFKC", str(header or "")).strip()
    m = _UNIT_IN_HEADER.search(s)
    if not m:
        return s, ""
    return s[: m.start()].strip(), m.group(1).strip()


MONEY_UNITS = {"元": Decimal(1), "人民币元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10_000),
               "万": Decimal(10_000), "十万元": Decimal(100_000), "百万元": Decimal(1_000_000),
               "千万元": Decimal(10_000_000), "亿元": Decimal(100_000_000), "亿": Decimal(100_000_000),
               "万元人民币": Decimal(10_000), "元人民币": Decimal(1)}
COUNT_UNITS = {"人": Decimal(1), "个": Decimal(1), "名": Decimal(1), "家": Decimal(1), "项": Decimal(1),
               "万人": Decimal(10_000)}
PERCENT_UNITS = {"%": Decimal(1), "％": Decimal(1)}
UNIT_TABLES = {"万元": MONEY_UNITS, "元": MONEY_UNITS, "亿元": MONEY_UNITS, "人": COUNT_UNITS, "个": COUNT_UNITS,
               "%": PERCENT_UNITS}


def unit_scale(unit: str, canonical: str) -> Decimal | None:
    """Factor that turns a value in ``unit`` into ``canonical``; ``None`` when they do not convert."""
    table = UNIT_TABLES.get(canonical)
    if not unit:
        return Decimal(1)
    if table is None or unit not in table or canonical not in table:
        return None
    return table[unit] / table[canonical]


# ------------------------------------------------------------------------------------------ schema


@dataclass(frozen=True)
class Field:
    """One column an import understands.

    ``parse(value, ctx)`` turns a cell (str, int, float, datetime or bool; never blank) into the Python value
    or raises :class:`CellError`. ``unit`` (万元, 人, ...) lets a header carry another unit (元, 亿元) that is
    converted; ``synonyms`` are other headers people write for this column.
    """

    name: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    parse: Callable[[Any, CellContext], Any] | None = None
    unit: str = ""
    help: str = ""
    repeats: bool = False  # few distinct values (codes, districts, 是/否): parse each distinct value once

    def names(self) -> list[str]:
        return [self.label, *self.synonyms]


@dataclass
class CellContext:
    """What a parser may need: the field, the unit factor from the header, the column header text."""

    field: Field
    scale: Decimal = Decimal(1)
    header: str = ""


@dataclass(frozen=True)
class Schema:
    kind: str
    label: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def required(self) -> list[Field]:
        return [f for f in self.fields if f.required]


@dataclass
class ColumnMap:
    """One file column: its position, header as written, and the field it feeds (``None``: ignored)."""

    index: int
    header: str
    field: str | None = None
    how: str = ""  # exact, synonym, approximate, user, ignored, duplicate, merged
    scale: Decimal = Decimal(1)
    unit: str = ""
    note: str = ""

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    def as_dict(self) -> dict:
        return {"index": self.index, "letter": self.letter, "header": self.header, "field": self.field or "",
                "how": self.how, "unit": self.unit, "note": self.note}


HOW_LABELS = {"exact": "列名一致", "synonym": "同义列名", "approximate": "近似匹配", "user": "手工指定",
              "ignored": "不导入", "duplicate": "重复列（未使用）", "unknown": "未识别（不导入）"}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def parse_overrides(items: Iterable[str]) -> dict[str, str]:
    """``["单位名称=name", "备注="]`` → ``{"单位名称": "name", "备注": ""}`` (empty: do not import)."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise ValueError(f"映射“{item}”应写成 列名=字段，例如 单位名称=name")
        header, _, target = item.partition("=")
        out[header.strip()] = target.strip()
    return out


def map_headers(headers: list[str], schema: Schema, overrides: dict[str, str] | None = None,
                ) -> tuple[list[ColumnMap], list[str]]:
    """Match file headers to fields: user overrides, then exact names, synonyms, then a unique approximate match.

    Returns the column maps (one per non-empty header) and notes. Overrides are keyed by header text or
    column letter; the value is a field name, a field label, or empty (do not import the column).
    """
    overrides = dict(overrides or {})
    by_name = {f.name: f for f in schema.fields}
    by_norm: dict[str, tuple[Field, str]] = {}
    for f in schema.fields:
        for i, n in enumerate(f.names()):
            by_norm.setdefault(normalise_header(split_unit(n)[0]), (f, "exact" if i == 0 else "synonym"))
            by_norm.setdefault(normalise_header(n), (f, "exact" if i == 0 else "synonym"))
    notes: list[str] = []
    norm_overrides = {normalise_header(k): v for k, v in overrides.items()}
    cols: list[ColumnMap] = []
    used: dict[str, ColumnMap] = {}
    for idx, header in enumerate(headers):
        if header is None or str(header).strip() == "":
            continue
        text = str(header).strip()
        base, unit = split_unit(text)
        col = ColumnMap(index=idx, header=text, unit=unit)
        key = normalise_header(text)
        target = None
        for k in (key, normalise_header(column_letter(idx))):
            if k in norm_overrides:
                target = norm_overrides[k]
                break
        if target is not None:
            if target in ("", "-"):
                col.how = "ignored"
            else:
                f = by_name.get(target) or by_norm.get(normalise_header(target), (None, ""))[0]
                if f is None:
                    raise HeaderError(f"映射“{text}={target}”中的字段“{target}”不存在；可用字段："
                                      + "、".join(f"{x.name}（{x.label}）" for x in schema.fields))
                col.field, col.how = f.name, "user"
        else:
            hit = by_norm.get(key) or by_norm.get(normalise_header(base))
            if hit:
                col.field, col.how = hit[0].name, hit[1]
        cols.append(col)
    # Approximate matches only for fields nothing matched exactly, and only when unambiguous.
    for col in cols:
        if col.field or col.how:
            continue
        key = normalise_header(split_unit(col.header)[0])
        candidates = set()
        for f in schema.fields:
            for n in f.names():
                nn = normalise_header(split_unit(n)[0])
                if len(nn) >= 3 and (nn in key or (len(key) >= 4 and key in nn)):
                    candidates.add(f.name)
        taken = {c.field for c in cols if c.field}
        candidates -= taken
        if len(candidates) == 1:
            col.field, col.how = candidates.pop(), "approximate"
    for col in cols:
        if not col.field:
            col.how = col.how or "unknown"
            continue
        f = by_name[col.field]
        if col.field in used:
            first = used[col.field]
            notes.append(f"列“{col.header}”({col.letter}) 与列“{first.header}”({first.letter}) 都对应“{f.label}”，"
                         f"使用了第一列；如需改用此列，请调整映射。")
            col.note, col.how, col.field = f"与列“{first.header}”重复", "duplicate", None
            continue
        used[col.field] = col
        if f.unit:
            scale = unit_scale(col.unit, f.unit)
            if scale is None:
                raise HeaderError(f"列“{col.header}”({col.letter}) 的单位“{col.unit}”无法换算为“{f.unit}”，"
                                  f"请改为以 {f.unit} 为单位后再导入。")
            col.scale = scale
            if col.unit and scale != 1:
                col.note = f"按 {col.unit} 读取，换算为 {f.unit}"
        elif col.unit and col.how != "user":
            pass
    missing = [f for f in schema.required if f.name not in used]
    if missing:
        parts = [f"“{f.label}”（可用列名：{'、'.join(f.names()[:6])}）" for f in missing]
        raise HeaderError("缺少必填列：" + "；".join(parts) + "。也可以在映射中指定哪一列对应这些字段。")
    return cols, notes


def _header_score(values: list[Any], schema: Schema, overrides: dict[str, str]) -> int:
    norms = set()
    for f in schema.fields:
        for n in f.names():
            norms.add(normalise_header(n))
            norms.add(normalise_header(split_unit(n)[0]))
    norms |= {normalise_header(k) for k in overrides}
    score = 0
    for v in values:
        if isinstance(v, str) and v.strip():
            k = normalise_header(v)
            if k in norms or normalise_header(split_unit(v)[0]) in norms:
                score += 1
    return score


# ------------------------------------------------------------------------------------------- tables


@dataclass
class Table:
    """A file read as one table: where the header is, how it maps, and its data rows (read lazily).

    ``rows()`` yields ``(row_number, values)`` with the row number the user sees (Excel row, or CSV record
    number with the header record counted) for every non-blank row below the header.
    """

    filename: str
    format: str
    columns: list[ColumnMap]
    header_row: int
    headers: list[str]
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    sheet: str = ""
    total_rows: int | None = None
    cell_problems: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col index) → message
    _iter_factory: Callable[[], Iterator[tuple[int, list[Any]]]] | None = None
    _close: Callable[[], None] | None = None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        assert self._iter_factory is not None
        return self._iter_factory()

    def close(self) -> None:
        if self._close:
            self._close()
            self._close = None

    def mapping(self) -> list[dict]:
        return [c.as_dict() for c in self.columns]

    def header_for(self, field_name: str) -> str:
        for c in self.columns:
            if c.field == field_name:
                return c.header
        return field_name


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_F_RE = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_V_RE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')


def _col_index(letters: bytes | str) -> int:
    if isinstance(letters, bytes):
        letters = letters.decode()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def scan_sheet_xml(zf: zipfile.ZipFile, path: str) -> tuple[list[tuple[int, int, int, int]], dict[tuple[int, int], str]]:
    """One streaming pass over a sheet's XML: merged ranges ``(r1, c1, r2, c2)`` and formula cells without a
    saved result (``(row, col) → formula``), which openpyxl's read-only mode cannot give."""
    merges: list[tuple[int, int, int, int]] = []
    formulas: dict[tuple[int, int], str] = {}
    tail = b""
    with zf.open(path) as fh:
        while True:
            chunk = fh.read(1 << 20)
            data = tail + chunk
            if chunk:
                cut = data.rfind(b"</row>")
                if cut < 0:
                    cut = data.rfind(b">")
                cut = cut + 1 if cut >= 0 else 0
                data, tail = data[:cut], data[cut:]
                if len(tail) > (8 << 20):  # a single enormous row: stop looking for formulas in it
                    tail = tail[-4096:]
            if b"<f" in data or b":f" in data:
                for m in _CELL_RE.finditer(data):
                    body = m.group(2) or b""
                    fm = _F_RE.search(body)
                    if fm is None:
                        continue
                    vm = _V_RE.search(body)
                    if vm is not None and vm.group(1).strip():
                        continue
                    ref = _REF_RE.search(m.group(1))
                    if ref is None:
                        continue
                    text = (fm.group(1) or b"").decode("utf-8", "replace")
                    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
                    formulas[(int(ref.group(2)), _col_index(ref.group(1)))] = text
            if b"mergeCell" in data:
                for m in _MERGE_RE.finditer(data):
                    c1, r1 = _col_index(m.group(1)), int(m.group(2))
                    c2 = _col_index(m.group(3)) if m.group(3) else c1
                    r2 = int(m.group(4)) if m.group(4) else r1
                    merges.append((r1, c1, r2, c2))
            if not chunk:
                break
    return merges, formulas


def open_table(source: str | Path | IO[bytes], schema: Schema, *, filename: str = "",
               overrides: dict[str, str] | None = None, declared_encoding: str | None = None,
               sheet: str | None = None) -> Table:
    """Open an .xlsx or CSV file (path or binary file object) as a :class:`Table` mapped to ``schema``."""
    overrides = overrides or {}
    if isinstance(source, (str, Path)):
        filename = filename or Path(source).name
        fh: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed by Table.close or on error
        owned = True
    else:
        fh, owned = source, False
    try:
        fh.seek(0)
        head = fh.read(8192)
        fh.seek(0)
        fmt = sniff_format(head, filename)
        ext = Path(filename).suffix.lower()
        if fmt == "csv":
            data = fh.read(MAX_CSV_BYTES + 1)
            if len(data) > MAX_CSV_BYTES:
                raise ImportFileError(f"{filename} 超过 {_human_size(MAX_CSV_BYTES)}，请拆分后分批导入。")
            table = _open_csv(data, schema, filename, overrides, declared_encoding)
            if ext in (".xlsx", ".xlsm", ".xls"):
                table.notes.insert(0, f"{filename} 的扩展名是 {ext}，但内容是文本 (CSV)，已按 CSV 读取。")
            if owned:
                fh.close()
            return table
        table = _open_xlsx(fh, schema, filename, overrides, sheet, close_source=fh.close if owned else None)
        if ext == ".csv":
            table.notes.insert(0, f"{filename} 的扩展名是 .csv，但内容是 Excel 工作簿，已按 .xlsx 读取。")
        return table
    except BaseException:
        if owned:
            fh.close()
        raise


def _pick_header(first_rows: list[tuple[int, list[Any]]], schema: Schema, overrides: dict[str, str],
                 filename: str, where: str) -> tuple[int, list[Any], int]:
    best = (0, -1)
    for pos, (_, values) in enumerate(first_rows):
        score = _header_score(values, schema, overrides)
        if score > best[0]:
            best = (score, pos)
    if best[0] == 0:
        shown = ""
        for number, values in first_rows:
            texts = [str(v).strip() for v in values if not _is_blank(v)]
            if texts:
                shown = f"第 {number} 行是：" + "、".join(texts[:8])
                break
        expected = "、".join(f.label for f in schema.fields[:8])
        raise HeaderError(f"{filename}{where} 的前 {HEADER_SCAN_ROWS} 行中没有找到表头（应含 {expected} 等列名）。"
                          + (shown + "。" if shown else "这些行都是空的。")
                          + "请确认选择了正确的文件和导入类型，或在映射中指定列名。")
    number, values = first_rows[best[1]]
    return number, values, best[1]


def _open_csv(data: bytes, schema: Schema, filename: str, overrides: dict[str, str],
              declared: str | None) -> Table:
    text, encoding, notes = decode_text(data, declared=declared, filename=filename)
    if not text.strip():
        raise ImportFileError(f"{filename} 只有空白内容，没有可导入的数据。")
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    if delimiter == "，":
        raise ImportFileError(f"{filename} 用全角逗号“，”分隔各列，请改为半角逗号“,”或另存为 .xlsx 后再导入。")
    if delimiter != ",":
        notes.append({"\t": "文件以制表符分隔，已按制表符读取。", ";": "文件以分号分隔，已按分号读取。",
                      "|": "文件以竖线分隔，已按竖线读取。"}[delimiter])

    def records() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, rec in enumerate(reader, start=1):
            yield number, rec

    first = []
    it = records()
    for number, rec in it:
        first.append((number, list(rec)))
        if len(first) >= HEADER_SCAN_ROWS:
            break
    header_number, header_values, _ = _pick_header(first, schema, overrides, filename, "")
    headers = [str(v).strip() for v in header_values]
    columns, map_notes = map_headers(headers, schema, overrides)
    total = text.count("\n") + (0 if text.endswith("\n") else 1) - header_number

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, rec in records():
            if number <= header_number:
                continue
            yield number, rec

    return Table(filename=filename, format="csv", columns=columns, header_row=header_number, headers=headers,
                 notes=notes + map_notes, encoding=encoding, total_rows=max(total, 0), _iter_factory=rows)


def _open_xlsx(fh: IO[bytes], schema: Schema, filename: str, overrides: dict[str, str], sheet: str | None,
               close_source: Callable[[], None] | None) -> Table:
    import openpyxl

    try:
        zf = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(f"{filename} 以 zip 标记开头但已损坏（{exc}），可能没有完整上传或被截断，请重新导出后再导入。") from exc
    check_xlsx_archive(zf, filename)
    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(f"{filename} 已损坏（{exc}），请在 Excel 中打开后重新另存为 .xlsx。") from exc
    except Exception as exc:  # openpyxl raises many kinds for malformed workbooks
        raise ImportFileError(f"{filename} 不是有效的 .xlsx 工作簿：{exc}。请在 Excel 中打开后重新另存为 .xlsx。") from exc

    def close() -> None:
        wb.close()
        zf.close()
        if close_source:
            close_source()

    try:
        sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"] or wb.worksheets
        if sheet:
            chosen = [ws for ws in wb.worksheets if ws.title == sheet]
            if not chosen:
                raise ImportFileError(f"{filename} 中没有名为“{sheet}”的工作表；已有：" + "、".join(ws.title for ws in wb.worksheets))
            sheets = chosen
        best = None
        problems = []
        for ws in sheets:
            if not hasattr(ws, "_worksheet_path"):  # chart sheets
                continue
            first = []
            for number, values in enumerate(ws.iter_rows(values_only=True, max_row=HEADER_SCAN_ROWS), start=1):
                first.append((number, list(values)))
            if not any(not _is_blank(v) for _, vals in first for v in vals):
                problems.append(f"工作表“{ws.title}”是空的")
                continue
            score = max((_header_score(v, schema, overrides) for _, v in first), default=0)
            if best is None or score > best[0]:
                best = (score, ws, first)
        if best is None:
            raise ImportFileError(f"{filename} 中没有数据：" + ("；".join(problems) or "没有工作表") + "。")
        _, ws, first = best
        where = f" 的工作表“{ws.title}”" if len(wb.worksheets) > 1 else ""
        merges, formulas = scan_sheet_xml(zf, ws._worksheet_path)
        header_number, header_values, header_pos = _pick_header(first, schema, overrides, filename, where)
        notes: list[str] = []
        if len(sheets) > 1:
            notes.append(f"工作簿有 {len(sheets)} 个工作表，导入的是“{ws.title}”。")
        headers, merge_notes, header_number = _resolve_merged_header(first, header_number, header_values, merges,
                                                                     schema)
        notes += merge_notes
        columns, map_notes = map_headers(headers, schema, overrides)
        notes += map_notes
        # Data rows that are merged across rows would repeat one value into empty cells below it.
        data_merges = [(r1, c1, r2, c2) for (r1, c1, r2, c2) in merges if r2 > header_number and r1 > header_number]
        cell_problems: dict[tuple[int, int], str] = {}
        for (r, c), formula in formulas.items():
            if r > header_number:
                cell_problems[(r, c)] = (f"单元格 {column_letter(c)}{r} 是公式“={formula}”，文件中没有保存计算结果；"
                                         "请在 Excel 中打开并保存后再导入，或把公式改为数值")
        for (r1, c1, r2, c2) in data_merges:
            for r in range(r1 + 1, r2 + 1):
                for c in range(c1, c2 + 1):
                    cell_problems.setdefault((r, c), f"单元格属于合并单元格 {column_letter(c1)}{r1}:{column_letter(c2)}{r2}，"
                                                     "值只写在第一行；请取消合并并在每一行填写")
        total = (ws.max_row - header_number) if ws.max_row else None
        width = len(headers)

        def rows() -> Iterator[tuple[int, list[Any]]]:
            for number, values in enumerate(ws.iter_rows(values_only=True, min_row=header_number + 1),
                                            start=header_number + 1):
                yield number, list(values[:width]) if len(values) > width else list(values)

        return Table(filename=filename, format="xlsx", columns=columns, header_row=header_number, headers=headers,
                     notes=notes, sheet=ws.title, total_rows=total, cell_problems=cell_problems,
                     _iter_factory=rows, _close=close)
    except BaseException:
        close()
        raise


def _resolve_merged_header(first: list[tuple[int, list[Any]]], header_number: int, header_values: list[Any],
                           merges: list[tuple[int, int, int, int]], schema: Schema,
                           ) -> tuple[list[str], list[str], int]:
    """Header texts with merged cells resolved, notes saying what was done, and the last header row.

    - a two-row header (``企业名称`` merged over rows 1–2, ``经营数据`` over D1:E1 with 营业收入 / 从业人员 in
      row 2) becomes one row of names: the lower text where there is one, else the merged text above;
    - a group title merged across columns above the header is kept out of the names;
    - a header cell merged across several columns is ambiguous: only its first column gets the name and the
      note says which columns were left without one.
    """
    values_by_row = {n: list(v) for n, v in first}
    notes: list[str] = []

    def filled(row: int) -> list[str]:
        vals = ["" if _is_blank(v) else str(v).strip() for v in values_by_row.get(row, [])]
        for (r1, c1, r2, c2) in merges:
            if r1 <= row <= r2 and r1 != row:
                top = values_by_row.get(r1, [])
                text = "" if c1 >= len(top) or _is_blank(top[c1]) else str(top[c1]).strip()
                if c1 == c2 and text:
                    while len(vals) <= c1:
                        vals.append("")
                    vals[c1] = vals[c1] or text
        return vals

    bottom = header_number
    for (r1, _c1, r2, _c2) in merges:
        if r1 == header_number and header_number < r2 <= header_number + 3:
            bottom = max(bottom, r2)
    if bottom > header_number:
        headers = filled(bottom)
        upper = ["" if _is_blank(v) else str(v).strip() for v in header_values]
        for c, text in enumerate(upper):
            while len(headers) <= c:
                headers.append("")
            if not headers[c] and text:
                headers[c] = text
        notes.append(f"表头占第 {header_number}–{bottom} 行（含合并单元格），已合并为一行列名。")
        header_number = bottom
    else:
        headers = filled(header_number)
        for (r1, c1, r2, _c2) in merges:
            if r1 < header_number <= r2 and c1 < len(headers) and headers[c1]:
                notes.append(f"表头“{headers[c1]}”是合并单元格 {column_letter(c1)}{r1}:{column_letter(c1)}{r2}，"
                             f"已用作第 {column_letter(c1)} 列的列名。")
    for (r1, c1, r2, c2) in merges:
        if c2 > c1 and r1 <= header_number <= r2:
            top = values_by_row.get(r1, [])
            text = "" if c1 >= len(top) or _is_blank(top[c1]) else str(top[c1]).strip()
            ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
            empty = [column_letter(c) for c in range(c1 + 1, c2 + 1) if c >= len(headers) or not headers[c]]
            if empty:
                notes.append(f"表头“{text}”是跨 {c2 - c1 + 1} 列的合并单元格 {ref}，只能对应第 {column_letter(c1)} 列；"
                             f"第 {'、'.join(empty)} 列没有列名，不会导入。如需导入，请取消合并并为每一列写明列名，"
                             "或在映射中按列字母指定（如 E=字段名）。")
    return headers, notes, header_number


# ----------------------------------------------------------------------------------------- row cache


class RowCacheWriter:
    """Writes the raw rows of a table as they are read (gzip JSON lines), so a commit after a dry run replays
    them instead of parsing the workbook again. ``fileobj`` is any binary file opened for writing."""

    def __init__(self, table: Table, fileobj: IO[bytes]):
        self._gz = gzip.GzipFile(fileobj=fileobj, mode="wb", compresslevel=1)
        self._out = io.TextIOWrapper(self._gz, encoding="utf-8")
        meta = {"v": 1, "filename": table.filename, "format": table.format, "header_row": table.header_row,
                "headers": table.headers, "notes": table.notes, "encoding": table.encoding, "sheet": table.sheet,
                "total_rows": table.total_rows,
                "cell_problems": [[r, c, m] for (r, c), m in table.cell_problems.items()]}
        self._out.write(json.dumps(meta, ensure_ascii=False) + "\n")

    def __call__(self, number: int, values: list[Any]) -> None:
        self._out.write(json.dumps([number, [_jsonable(v) for v in values]], ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._out.flush()
        self._out.detach()
        self._gz.close()


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$d": v.isoformat()}
    if isinstance(v, dt.time):
        return {"$t": v.isoformat()}
    if isinstance(v, dt.timedelta):
        return {"$td": v.total_seconds()}
    if isinstance(v, Decimal):
        return str(v)
    return v


def _unjson(v: Any) -> Any:
    if isinstance(v, dict):
        if "$dt" in v:
            return dt.datetime.fromisoformat(v["$dt"])
        if "$d" in v:
            return dt.date.fromisoformat(v["$d"])
        if "$t" in v:
            return dt.time.fromisoformat(v["$t"])
        if "$td" in v:
            return dt.timedelta(seconds=v["$td"])
    return v


def open_row_cache(opener: Callable[[], IO[bytes]], schema: Schema, overrides: dict[str, str] | None = None,
                   ) -> Table:
    """A :class:`Table` replayed from a :class:`RowCacheWriter` file; ``opener()`` returns it opened for reading.
    The mapping is computed again from ``overrides``."""
    with opener() as raw, gzip.GzipFile(fileobj=raw, mode="rb") as gz:
        meta = json.loads(gz.readline())
    if meta.get("v") != 1:
        raise ImportFileError("缓存格式不符")
    columns, map_notes = map_headers(meta["headers"], schema, overrides)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with opener() as raw, gzip.GzipFile(fileobj=raw, mode="rb") as gz:
            gz.readline()
            for line in gz:
                number, values = json.loads(line)
                yield number, [_unjson(v) for v in values]

    notes = [n for n in meta["notes"] if n not in map_notes] + map_notes
    return Table(filename=meta["filename"], format=meta["format"], columns=columns, header_row=meta["header_row"],
                 headers=meta["headers"], notes=notes, encoding=meta["encoding"], sheet=meta["sheet"],
                 total_rows=meta["total_rows"], cell_problems={(r, c): m for r, c, m in meta["cell_problems"]},
                 _iter_factory=rows)


# ---------------------------------------------------------------------------------------- value parsers


def clean_text(value: Any) -> str:
    """A cell as trimmed text; numbers that Excel stores as floats but are whole print without ``.0``."""
    if type(value) is str:
        s = value.strip()
        return s.replace("\u3000", " ").strip() if "\u3000" in s else s
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    return str(value).replace("\u3000", " ").strip()


def text_parser(max_length: int | None = None, *, strip_inner_newlines: bool = True) -> Callable[[Any, CellContext], str]:
    def parse(value: Any, ctx: CellContext) -> str:
        s = clean_text(value)
        if strip_inner_newlines and ("\n" in s or "\r" in s):
            s = re.sub(r"\s*[\r\n]+\s*", " ", s)
        if max_length and len(s) > max_length:
            raise CellError(f"长度 {len(s)} 个字，超过上限 {max_length} 个字")
        return s
    return parse


_NUM_CLEAN = re.compile(r"[,\s_'’]")
_NUM_RE = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$")


def parse_decimal_value(value: Any, ctx: CellContext, *, places: int = 2, allow_negative: bool = False,
                        maximum: Decimal | None = None) -> Decimal:
    """A number from a cell: Excel numbers, ``1,234.5``, full-width digits, ``12.3万元`` / ``1.2亿元`` (converted
    to the field's unit), ``5%``; scaled by the unit in the header."""
    scale = ctx.scale
    if isinstance(value, bool):
        raise CellError("应为数字，不是“是/否”")
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    elif isinstance(value, (dt.date, dt.datetime)):
        raise CellError("应为数字，单元格却是日期（请检查单元格格式）")
    else:
        s = unicodedata.normalize("NFKC", str(value)).strip()
        if s in EXCEL_ERRORS:
            raise CellError(f"单元格是 Excel 错误值 {s}，不是数字")
        s = _NUM_CLEAN.sub("", s)
        s = s.replace("，", "")
        if s.startswith("(") and s.endswith(")"):
            s = "-" + s[1:-1]
        s = s.removeprefix("¥").removeprefix("￥").removeprefix("RMB")
        m = _NUM_RE.match(s)
        if not m:
            raise CellError("不是数字" + ("（含中文大写或文字说明？）" if re.search(r"[一二三四五六七八九十百千约余多]", s) else ""))
        number_text, unit = m.group(1), m.group(2).strip()
        try:
            number = Decimal(number_text)
        except InvalidOperation as exc:
            raise CellError("不是数字") from exc
        if unit:
            if ctx.field.unit:
                unit_factor = unit_scale(unit, ctx.field.unit)
                if unit_factor is None:
                    raise CellError(f"单位“{unit}”无法换算为{ctx.field.unit}")
                scale = unit_factor  # a unit in the cell wins over the header's
            else:
                raise CellError(f"数字后面有多余的“{unit}”")
    if not number.is_finite():
        raise CellError("不是有效数字")
    number = number * scale
    if number < 0 and not allow_negative:
        raise CellError("不能为负数")
    if maximum is not None and abs(number) > maximum:
        raise CellError(f"数值过大（超过 {maximum}{ctx.field.unit}），请检查单位")
    quant = Decimal(1).scaleb(-places)
    return number.quantize(quant)


def decimal_parser(*, places: int = 2, allow_negative: bool = False, maximum: Decimal | None = None):
    def parse(value: Any, ctx: CellContext) -> Decimal:
        return parse_decimal_value(value, ctx, places=places, allow_negative=allow_negative, maximum=maximum)
    return parse


def int_parser(*, minimum: int = 0, maximum: int | None = None):
    def parse(value: Any, ctx: CellContext) -> int:
        number = parse_decimal_value(value, ctx, places=6, allow_negative=minimum < 0)
        if number != number.to_integral_value():
            raise CellError("应为整数")
        n = int(number)
        if n < minimum:
            raise CellError(f"不能小于 {minimum}")
        if maximum is not None and n > maximum:
            raise CellError(f"不能大于 {maximum}")
        return n
    return parse


EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def parse_date_value(value: Any, *, earliest: dt.date = dt.date(1900, 1, 1), latest: dt.date | None = None) -> dt.date:
    """A date from ``2018-05-01``, ``2018/5/1``, ``2018.5.1``, ``2018年5月1日``, ``20180501``, an Excel date cell or
    an Excel serial number (43221)."""
    if isinstance(value, dt.datetime):
        d = value.date()
    elif isinstance(value, dt.date):
        d = value
    elif isinstance(value, bool):
        raise CellError("应为日期，不是“是/否”")
    elif isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\s*\d{5}(\.\d+)?\s*", value)):
        serial = float(value)
        if 19000101 <= serial <= 29991231 and float(serial).is_integer():
            return parse_date_value(str(int(serial)), earliest=earliest, latest=latest)
        if not 1 <= serial <= 2958465:
            raise CellError("不是日期（数值超出 Excel 日期序号范围）")
        d = EXCEL_EPOCH + dt.timedelta(days=int(serial))
    else:
        s = unicodedata.normalize("NFKC", str(value)).strip()
        if s in EXCEL_ERRORS:
            raise CellError(f"单元格是 Excel 错误值 {s}，不是日期")
        for pat in _DATE_PATTERNS:
            m = pat.match(s)
            if m:
                y, mo, day = (int(x) for x in m.groups())
                try:
                    d = dt.date(y, mo, day)
                except ValueError as exc:
                    if not 1 <= mo <= 12:
                        raise CellError(f"日期不存在：没有 {mo} 月") from exc
                    raise CellError(f"日期不存在：{y} 年 {mo} 月没有 {day} 日") from exc
                break
        else:
            if re.match(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*月?$", s):
                raise CellError("只有年月，缺少日（应写成 2018-05-01 或 2018年5月1日）")
            raise CellError("不是可识别的日期（可写成 2018-05-01、2018/5/1 或 2018年5月1日）")
    if d < earliest:
        raise CellError(f"日期早于 {earliest.isoformat()}，请检查")
    if latest is not None and d > latest:
        raise CellError(f"日期晚于 {latest.isoformat()}（不能是将来的日期）")
    return d


def date_parser(*, earliest: dt.date = dt.date(1900, 1, 1), not_future: bool = True):
    def parse(value: Any, ctx: CellContext) -> dt.date:
        from django.utils import timezone

        return parse_date_value(value, earliest=earliest, latest=timezone.localdate() if not_future else None)
    return parse


TRUE_WORDS = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "对"}
FALSE_WORDS = {"否", "无", "n", "no", "false", "0", "×", "✗", "不是"}


def bool_parser():
    def parse(value: Any, ctx: CellContext) -> bool:
        if isinstance(value, bool):
            return value
        s = unicodedata.normalize("NFKC", clean_text(value)).lower()
        if s in TRUE_WORDS:
            return True
        if s in FALSE_WORDS:
            return False
        raise CellError("应填“是”或“否”")
    return parse


def choice_parser(choices: dict[str, str], *, what: str = ""):
    """Map displayed labels (and their aliases) to stored values; ``choices`` is label/alias → value."""
    index = {normalise_header(k): v for k, v in choices.items()}
    values = set(choices.values())

    def parse(value: Any, ctx: CellContext) -> str:
        s = clean_text(value)
        if s in values:
            return s
        hit = index.get(normalise_header(s))
        if hit is None:
            shown = "、".join(dict.fromkeys(k for k in choices if choices[k] in values))
            raise CellError(f"不是可选的{what or ctx.field.label}（可填：{shown[:120]}）")
        return hit
    return parse


# --------------------------------------------------------------------------------------- the run


@dataclass
class RowError:
    row: int
    column: str
    value: str
    error: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "error": self.error}


@dataclass(slots=True)
class ParsedRow:
    """One data row after parsing: values by field, problems, and what the importer decided to do with it."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    action: str = ""  # create / update
    target: Any = None  # the existing row an update changes (its pk or a lightweight record)
    label: str = ""
    table: Table | None = None

    def error(self, field_name: str | None, message: str, *, column: str | None = None, value: Any = None) -> None:
        """Record a problem with ``field_name``'s cell (header text and raw value are filled in)."""
        if column is None:
            column = self.table.header_for(field_name) if (self.table and field_name) else (field_name or "")
        if value is None and field_name:
            value = self.raw.get(field_name)
        self.errors.append(RowError(self.number, column, clean_text(value), message))

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """What a domain app implements for one kind of import.

    ``prepare`` loads every lookup the rows need in a few queries; ``check`` adds row errors and sets
    ``row.action`` / ``row.target``; ``write`` saves a batch of valid rows and returns ``(created, updated)``.
    ``write`` is only ever called inside the engine's transaction.
    """

    schema: Schema
    batch_size = 2000

    def prepare(self, table: Table) -> None:
        """Load lookups before the first row."""

    def check(self, row: ParsedRow) -> None:
        """Cross-field and registry checks for one parsed row."""

    def write(self, rows: list[ParsedRow]) -> tuple[int, int]:
        raise TypeError(f"{type(self).__name__} must implement write()")

    def describe(self, row: ParsedRow) -> dict:
        """A short line for the plan shown to the official: what this row would create or change."""
        return {"row": row.number, "action": row.action, "label": row.label}


@dataclass
class ImportResult:
    """What a dry run or commit found and did; serialisable into an ImportRecord."""

    filename: str = ""
    format: str = ""
    encoding: str = ""
    sheet: str = ""
    header_row: int = 1
    mapping: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_rows: int = 0
    valid_rows: int = 0
    invalid_rows: int = 0
    to_create: int = 0
    to_update: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_omitted: int = 0
    plan: list[dict] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = True
    skip_invalid: bool = False
    message: str = ""

    def add_errors(self, errors: list[RowError]) -> None:
        room = MAX_ERRORS_KEPT - len(self.errors)
        if room >= len(errors):
            self.errors.extend(errors)
        else:
            self.errors.extend(errors[:max(room, 0)])
            self.errors_omitted += len(errors) - max(room, 0)

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_omitted

    def summary(self) -> str:
        parts = [f"共 {self.total_rows} 行数据，{self.valid_rows} 行无误，{self.invalid_rows} 行有问题"]
        if self.committed:
            parts.append(f"已新增 {self.created} 条、更新 {self.updated} 条")
        elif self.dry_run:
            parts.append(f"可新增 {self.to_create} 条、更新 {self.to_update} 条")
        else:
            parts.append("没有写入任何数据")
        return "；".join(parts) + "。"


class _Rollback(Exception):
    pass


ProgressCallback = Callable[[int, int | None, str], None]

PLAN_SAMPLE = 500


def parse_rows(table: Table, importer: Importer) -> Iterator[ParsedRow]:
    """Every non-blank data row of ``table`` parsed by its fields and checked by ``importer``."""
    fields = {f.name: f for f in importer.schema.fields}
    mapped = [(c.index, fields[c.field], CellContext(fields[c.field], c.scale, c.header), c.header,
               {} if fields[c.field].repeats else None) for c in table.columns if c.field]
    required = [f for f in importer.schema.fields if f.required]
    problems = table.cell_problems
    for number, values in table.rows():
        for v in values:
            if v is not None and (type(v) is not str or v.strip()):
                break
        else:
            continue
        width = len(values)
        first = next((clean_text(v) for v in values if not _is_blank(v)), "")
        if first.replace(" ", "") in TOTAL_MARKERS:
            table.notes.append(f"第 {number} 行是“{first}”行，不是数据，已跳过。")
            continue
        raw: dict[str, Any] = {}
        parsed: dict[str, Any] = {}
        row = ParsedRow(number=number, values=parsed, raw=raw, table=table)
        for index, f, ctx, header, memo in mapped:
            value = values[index] if index < width else None
            raw[f.name] = value
            if value is None or (type(value) is str and not value.strip()):
                problem = problems.get((number, index)) if problems else None
                if problem:
                    row.errors.append(RowError(number, header, "", problem))
                    parsed[f.name] = _INVALID
                continue
            if isinstance(value, str):
                stripped = value.strip()
                if stripped in EXCEL_ERRORS:
                    row.errors.append(RowError(number, header, stripped,
                                               f"单元格是 Excel 错误值 {stripped}（公式计算出错），请改正公式或填写数值"))
                    parsed[f.name] = _INVALID
                    continue
            if f.parse is None:
                parsed[f.name] = clean_text(value)
                continue
            if memo is not None:
                key = (type(value), value)
                hit = memo.get(key, _MISSING)
                if hit is _MISSING:
                    try:
                        hit = f.parse(value, ctx)
                    except CellError as exc:
                        hit = exc
                    if len(memo) < 10_000:
                        memo[key] = hit
                if isinstance(hit, CellError):
                    row.errors.append(RowError(number, header, clean_text(value), str(hit)))
                    parsed[f.name] = _INVALID
                else:
                    parsed[f.name] = hit
                continue
            try:
                parsed[f.name] = f.parse(value, ctx)
            except CellError as exc:
                row.errors.append(RowError(number, header, clean_text(value), str(exc)))
                parsed[f.name] = _INVALID
        for f in required:
            if f.name not in parsed:
                row.errors.append(RowError(number, table.header_for(f.name), "", f"“{f.label}”是必填项，不能为空"))
                parsed[f.name] = _INVALID
        for k in [k for k, v in parsed.items() if v is _INVALID]:
            del parsed[k]
        row.values = parsed
        importer.check(row)
        yield row


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID = _Invalid()
_MISSING = object()
_NO_RAW: dict = {}


def run_import(table: Table, importer: Importer, *, commit: bool, skip_invalid: bool = False,
               progress: ProgressCallback | None = None,
               sink: Callable[[int, list[Any]], None] | None = None, durable: bool = False) -> ImportResult:
    """Parse and check every row, then (``commit``) write the valid ones in one transaction.

    - Without ``skip_invalid`` one invalid row means nothing is written; with it the valid rows are written.
    - Rows are parsed once; valid rows are kept (as parsed values) until the write, which runs in batches
      inside a single ``transaction.atomic()``: a failure anywhere leaves the database unchanged.
    - ``progress(done, total, phase)`` is called every few hundred rows (phase ``check`` then ``write``).
    - ``sink(row number, raw values)`` is called for every row read (to write a row cache as it goes).
    """
    result = ImportResult(filename=table.filename, format=table.format, encoding=table.encoding, sheet=table.sheet,
                          header_row=table.header_row, mapping=table.mapping(), dry_run=not commit,
                          skip_invalid=skip_invalid)
    importer.prepare(table)
    total = table.total_rows
    valid: list[ParsedRow] = []
    shapes: dict[tuple, tuple] = {}
    done = 0
    rows_iter = parse_rows(table, importer) if sink is None else _tee_rows(table, importer, sink)
    for row in rows_iter:
        done += 1
        if row.errors:
            result.invalid_rows += 1
            result.add_errors(row.errors)
        else:
            result.valid_rows += 1
            if row.action == "update":
                result.to_update += 1
            else:
                result.to_create += 1
            if len(result.plan) < PLAN_SAMPLE:
                result.plan.append(importer.describe(row))
            if commit and (skip_invalid or not result.invalid_rows):
                # Kept until the write: the values alone, their keys shared between rows of the same shape.
                keys = tuple(row.values)
                row.values = (shapes.setdefault(keys, keys), tuple(row.values.values()))  # type: ignore[assignment]
                row.raw = _NO_RAW
                row.table = None
                valid.append(row)
        if progress and done % 500 == 0:
            progress(done, total, "check")
    result.total_rows = done
    result.notes = list(table.notes)
    table.close()  # the workbook (and its shared strings) is not needed for the write
    if progress:
        progress(done, done, "check")
    if done == 0:
        raise ImportFileError(f"{table.filename} 只有表头（第 {table.header_row} 行），没有数据行。")
    if not commit:
        result.message = result.summary()
        return result
    if result.invalid_rows and not skip_invalid:
        result.message = (f"有 {result.invalid_rows} 行有问题，按“全部无误才导入”的要求，没有写入任何数据。"
                          + result.summary())
        return result
    if not valid:
        result.message = "没有可导入的有效行，没有写入任何数据。" + result.summary()
        return result
    written = 0
    if progress:
        progress(0, len(valid), "write")  # outside the transaction, so a progress display can still see it
    with transaction.atomic(durable=durable):
        for start in range(0, len(valid), importer.batch_size):
            batch = valid[start:start + importer.batch_size]
            for row in batch:
                keys, vals = row.values  # type: ignore[misc]
                row.values = dict(zip(keys, vals, strict=True))
            created, updated = importer.write(batch)
            valid[start:start + len(batch)] = [None] * len(batch)  # written: let the memory go
            result.created += created
            result.updated += updated
            written += len(batch)
            if progress:
                progress(written, len(valid), "write")
    result.committed = True
    result.dry_run = False
    result.message = result.summary()
    return result


def _tee_rows(table: Table, importer: Importer, sink: Callable[[int, list[Any]], None]) -> Iterator[ParsedRow]:
    original = table._iter_factory

    def teeing() -> Iterator[tuple[int, list[Any]]]:
        assert original is not None
        for number, values in original():
            sink(number, values)
            yield number, values

    table._iter_factory = teeing
    try:
        yield from parse_rows(table, importer)
    finally:
        table._iter_factory = original


# ------------------------------------------------------------------------------------------- reports

REPORT_COLUMNS = ["row", "column", "value", "error"]


def write_report_csv(errors: Iterable[RowError | dict], out: IO[str], *, bom: bool = True) -> int:
    """The problem report as CSV (``row,column,value,error``), UTF-8 with a BOM so Excel shows Chinese."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(REPORT_COLUMNS)
    n = 0
    for e in errors:
        d = e.as_dict() if isinstance(e, RowError) else e
        writer.writerow([d["row"], d["column"], _csv_safe(d["value"]), d["error"]])
        n += 1
    return n


def _csv_safe(value: Any) -> str:
    """Values the user typed go back out; a leading = + - @ would be run as a formula by Excel."""
    s = "" if value is None else str(value)
    if s[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"-?\d+(\.\d+)?", s):
        return "'" + s
    return s
