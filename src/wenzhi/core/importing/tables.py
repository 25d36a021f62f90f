"""A file read as one table: header found, merged cells resolved, rows streamed."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext

from . import base as limits
from .base import HEADER_SCAN_ROWS, MAX_CSV_BYTES, HeaderError, ImportFileError
from .schema import ColumnMap, Schema, _header_score, column_letter, map_headers
from .sniff import _human_size, check_xlsx_archive, decode_text, sniff_format
from .xlsxrows import iter_values, load_read_only

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


def scan_sheet_xml(zf: zipfile.ZipFile, path: str, filename: str = "",
                   ) -> tuple[list[tuple[int, int, int, int]], dict[tuple[int, int], str], int]:
    """One streaming pass over a sheet's XML: merged ranges ``(r1, c1, r2, c2)`` and formula cells without a
    saved result (``(row, col) → formula``), which openpyxl's read-only mode cannot give, and the number of
    rows (``ws.max_row`` would parse the whole sheet again when it has no <dimension>). Refuses a sheet of more
    than ``MAX_CELLS`` cells before any row is parsed."""
    merges: list[tuple[int, int, int, int]] = []
    formulas: dict[tuple[int, int], str] = {}
    tail = b""
    cells = rows = 0
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
            cells += data.count(b"<c ") + data.count(b"<c>")
            rows += data.count(b"<row ") + data.count(b"<row>")
            if cells > limits.MAX_CELLS:
                raise ImportFileError(gettext(
                    "{name} 的工作表有超过 {limit:,} 个单元格（上限 {limit:,}），已拒绝读取。请删除多余的行列，"
                    "或拆分为几个文件后分批导入。").format(name=filename or gettext("文件"), limit=limits.MAX_CELLS))
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
    return merges, formulas, rows


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
                raise ImportFileError(gettext("%(name)s 超过 %(limit)s，请拆分后分批导入。")
                                      % {"name": filename, "limit": _human_size(MAX_CSV_BYTES)})
            table = _open_csv(data, schema, filename, overrides, declared_encoding)
            if ext in (".xlsx", ".xlsm", ".xls"):
                table.notes.insert(0, gettext("%(name)s 的扩展名是 %(ext)s，但内容是文本 (CSV)，已按 CSV 读取。")
                                   % {"name": filename, "ext": ext})
            if owned:
                fh.close()
            return table
        table = _open_xlsx(fh, schema, filename, overrides, sheet, close_source=fh.close if owned else None)
        if ext == ".csv":
            table.notes.insert(0, gettext("%(name)s 的扩展名是 .csv，但内容是 Excel 工作簿，已按 .xlsx 读取。")
                               % {"name": filename})
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
                shown = gettext("第 %(row)s 行是：%(texts)s。") % {"row": number, "texts": gettext("、").join(texts[:8])}
                break
        expected = gettext("、").join(str(f.label) for f in schema.fields[:8])
        raise HeaderError(gettext("%(name)s%(where)s 的前 %(rows)s 行中没有找到表头（应含 %(expected)s 等列名）。")
                          % {"name": filename, "where": where, "rows": HEADER_SCAN_ROWS, "expected": expected}
                          + (shown or gettext("这些行都是空的。"))
                          + gettext("请确认选择了正确的文件和导入类型，或在映射中指定列名。"))
    number, values = first_rows[best[1]]
    return number, values, best[1]


def _open_csv(data: bytes, schema: Schema, filename: str, overrides: dict[str, str],
              declared: str | None) -> Table:
    text, encoding, notes = decode_text(data, declared=declared, filename=filename)
    if not text.strip():
        raise ImportFileError(gettext("%(name)s 只有空白内容，没有可导入的数据。") % {"name": filename})
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|，")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    if delimiter == "，":
        raise ImportFileError(gettext("%(name)s 用全角逗号“，”分隔各列，请改为半角逗号“,”或另存为 .xlsx 后再导入。")
                              % {"name": filename})
    if delimiter != ",":
        notes.append({"\t": gettext("文件以制表符分隔，已按制表符读取。"), ";": gettext("文件以分号分隔，已按分号读取。"),
                      "|": gettext("文件以竖线分隔，已按竖线读取。")}[delimiter])

    def records() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for number, rec in enumerate(reader, start=1):
                yield number, rec
        except csv.Error as exc:  # a field over csv.field_size_limit(), a stray NUL, ...
            raise ImportFileError(gettext(
                "{name} 第 {line} 行附近无法按 CSV 读取（{why}）：常见原因是某个字段过长（上限 {limit:,} 个字符）"
                "或引号不成对。请检查该行后再导入。").format(name=filename, line=reader.line_num, why=exc,
                                                   limit=csv.field_size_limit())) from exc

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
    zf, wb = _load_workbook(fh, filename)

    def close() -> None:
        wb.close()
        zf.close()
        if close_source:
            close_source()

    try:
        ws, first, sheets = _choose_sheet(wb, sheet, schema, overrides, filename)
        where = gettext(" 的工作表“%(sheet)s”") % {"sheet": ws.title} if len(wb.worksheets) > 1 else ""
        merges, formulas, sheet_rows = scan_sheet_xml(zf, ws._worksheet_path, filename)
        header_number, header_values, header_pos = _pick_header(first, schema, overrides, filename, where)
        notes: list[str] = []
        if len(sheets) > 1:
            notes.append(gettext("工作簿有 %(count)s 个工作表，导入的是“%(sheet)s”。") % {"count": len(sheets),
                                                                               "sheet": ws.title})
        headers, merge_notes, header_number = _resolve_merged_header(first, header_number, header_values, merges,
                                                                     schema)
        notes += merge_notes
        columns, map_notes = map_headers(headers, schema, overrides)
        notes += map_notes
        cell_problems = _data_cell_problems(formulas, merges, header_number)
        total = max(sheet_rows - header_number, 0) if sheet_rows else None
        width = len(headers)

        def rows() -> Iterator[tuple[int, list[Any]]]:
            cells = iter_values(ws, min_row=header_number + 1, max_col=max(width, 1))
            try:
                for number, values in enumerate(cells, start=header_number + 1):
                    yield number, list(values[:width]) if len(values) > width else list(values)
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # cut off after its directory was read
                raise ImportFileError(gettext("{name} 的内容不完整或已损坏（{why}），可能没有完整上传；"
                                              "请重新导出后再导入。").format(name=filename, why=exc)) from exc

        return Table(filename=filename, format="xlsx", columns=columns, header_row=header_number, headers=headers,
                     notes=notes, sheet=ws.title, total_rows=total, cell_problems=cell_problems,
                     _iter_factory=rows, _close=close)
    except BaseException:
        close()
        raise


def _load_workbook(fh: IO[bytes], filename: str):
    """The file as a zip archive (checked against zip bombs) and as a read-only openpyxl workbook."""
    try:
        zf = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(gettext("%(name)s 以 zip 标记开头但已损坏（%(why)s），可能没有完整上传或被截断，"
                                      "请重新导出后再导入。") % {"name": filename, "why": exc}) from exc
    check_xlsx_archive(zf, filename)
    try:
        wb = load_read_only(fh)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(gettext("%(name)s 已损坏（%(why)s），请在 Excel 中打开后重新另存为 .xlsx。")
                              % {"name": filename, "why": exc}) from exc
    except Exception as exc:  # openpyxl raises many kinds for malformed workbooks
        raise ImportFileError(gettext("%(name)s 不是有效的 .xlsx 工作簿：%(why)s。请在 Excel 中打开后重新另存为 .xlsx。")
                              % {"name": filename, "why": exc}) from exc
    return zf, wb


def _data_cell_problems(formulas: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]],
                        header_number: int) -> dict[tuple[int, int], str]:
    """``(row, col) → message`` for data cells below the header that cannot be read as they are: formulas
    without a saved result, and the empty cells of ranges merged across data rows (which would otherwise repeat
    one value into the cells below it)."""
    cell_problems: dict[tuple[int, int], str] = {}
    if formulas:
        formula_message = gettext("单元格 %(cell)s 是公式“=%(formula)s”，文件中没有保存计算结果；"
                                  "请在 Excel 中打开并保存后再导入，或把公式改为数值")
        for (r, c), formula in formulas.items():
            if r > header_number:
                cell_problems[(r, c)] = formula_message % {"cell": f"{column_letter(c)}{r}", "formula": formula}
    data_merges = [(r1, c1, r2, c2) for (r1, c1, r2, c2) in merges if r2 > header_number and r1 > header_number]
    if data_merges:
        merge_message = gettext("单元格属于合并单元格 %(range)s，值只写在第一行；请取消合并并在每一行填写")
        for (r1, c1, r2, c2) in data_merges:
            message = merge_message % {"range": f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"}
            for r in range(r1 + 1, r2 + 1):
                for c in range(c1, c2 + 1):
                    cell_problems.setdefault((r, c), message)
    return cell_problems


def _choose_sheet(wb, sheet: str | None, schema: Schema, overrides: dict[str, str], filename: str):
    """The sheet to import (the one asked for, else the visible one whose first rows look most like a header),
    its first rows, and the sheets considered."""
    sheets = [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"] or wb.worksheets
    if sheet:
        chosen = [ws for ws in wb.worksheets if ws.title == sheet]
        if not chosen:
            raise ImportFileError(gettext("%(name)s 中没有名为“%(sheet)s”的工作表；已有：%(sheets)s") % {
                "name": filename, "sheet": sheet, "sheets": gettext("、").join(ws.title for ws in wb.worksheets)})
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
            problems.append(gettext("工作表“%(sheet)s”是空的") % {"sheet": ws.title})
            continue
        score = max((_header_score(v, schema, overrides) for _, v in first), default=0)
        if best is None or score > best[0]:
            best = (score, ws, first)
    if best is None:
        raise ImportFileError(gettext("%(name)s 中没有数据：%(why)s。") % {
            "name": filename, "why": gettext("；").join(problems) or gettext("没有工作表")})
    _, ws, first = best
    return ws, first, sheets


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
    bottom = header_number
    for (r1, _c1, r2, _c2) in merges:
        if r1 == header_number and header_number < r2 <= header_number + 3:
            bottom = max(bottom, r2)
    if bottom > header_number:
        headers = _filled_header_row(values_by_row, merges, bottom)
        upper = ["" if _is_blank(v) else str(v).strip() for v in header_values]
        for c, text in enumerate(upper):
            while len(headers) <= c:
                headers.append("")
            if not headers[c] and text:
                headers[c] = text
        notes.append(gettext("表头占第 %(top)s–%(bottom)s 行（含合并单元格），已合并为一行列名。")
                     % {"top": header_number, "bottom": bottom})
        header_number = bottom
    else:
        headers = _filled_header_row(values_by_row, merges, header_number)
        for (r1, c1, r2, _c2) in merges:
            if r1 < header_number <= r2 and c1 < len(headers) and headers[c1]:
                notes.append(gettext("表头“%(header)s”是合并单元格 %(range)s，已用作第 %(column)s 列的列名。") % {
                    "header": headers[c1], "range": f"{column_letter(c1)}{r1}:{column_letter(c1)}{r2}",
                    "column": column_letter(c1)})
    notes += _wide_header_notes(values_by_row, merges, headers, header_number)
    return headers, notes, header_number


def _merged_top_text(values_by_row: dict[int, list[Any]], r1: int, c1: int) -> str:
    """The text written in the top-left cell of a merged range."""
    top = values_by_row.get(r1, [])
    return "" if c1 >= len(top) or _is_blank(top[c1]) else str(top[c1]).strip()


def _filled_header_row(values_by_row: dict[int, list[Any]], merges: list[tuple[int, int, int, int]],
                       row: int) -> list[str]:
    """Row ``row``'s texts, a cell covered by a one-column range merged from above taking that range's text."""
    vals = ["" if _is_blank(v) else str(v).strip() for v in values_by_row.get(row, [])]
    for (r1, c1, r2, c2) in merges:
        if r1 <= row <= r2 and r1 != row:
            text = _merged_top_text(values_by_row, r1, c1)
            if c1 == c2 and text:
                while len(vals) <= c1:
                    vals.append("")
                vals[c1] = vals[c1] or text
    return vals


def _wide_header_notes(values_by_row: dict[int, list[Any]], merges: list[tuple[int, int, int, int]],
                       headers: list[str], header_number: int) -> list[str]:
    """Notes for header cells merged across several columns: the columns after the first get no name."""
    notes: list[str] = []
    for (r1, c1, r2, c2) in merges:
        if c2 > c1 and r1 <= header_number <= r2:
            empty = [column_letter(c) for c in range(c1 + 1, c2 + 1) if c >= len(headers) or not headers[c]]
            if empty:
                notes.append(gettext(
                    "表头“%(header)s”是跨 %(width)s 列的合并单元格 %(range)s，只能对应第 %(column)s 列；第 %(empty)s 列"
                    "没有列名，不会导入。如需导入，请取消合并并为每一列写明列名，或在映射中按列字母指定（如 E=字段名）。") % {
                        "header": _merged_top_text(values_by_row, r1, c1), "width": c2 - c1 + 1,
                        "range": f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}", "column": column_letter(c1),
                        "empty": gettext("、").join(empty)})
    return notes
