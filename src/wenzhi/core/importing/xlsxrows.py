"""An xlsx sheet's values row by row: what openpyxl's read-only ``ws.iter_rows(values_only=True)`` yields, with
the per-cell cost of plain inline strings cut.

openpyxl turns every inline-string cell (``<c t="inlineStr"><is><t>…</t></is></c>``, what openpyxl itself and
many exporters write) into a ``Text`` object through its descriptor machinery just to read the text back: about
half the reading time of a text-heavy sheet. Here a cell whose ``<is>`` holds a single ``<t>`` is read directly
(the same value ``Text.content`` gives); every other cell goes through openpyxl's own ``parse_cell``, and rows
are padded, cut and numbered as ``ReadOnlyWorksheet._cells_by_row`` does (``test_importing`` compares the two).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}  # "A" → 1, …
_T_TAG = "{%s}t" % SHEET_MAIN_NS  # noqa: UP031 - the form openpyxl's tag constants use


class _ValuesParser(WorkSheetParser):
    """openpyxl's sheet parser, reading plain inline strings without building ``Text`` objects."""

    def parse_cell(self, element):
        if element.get("t") == "inlineStr" and self.data_only and not self.rich_text:
            child = element.find(INLINE_STRING)
            if child is not None and len(child) == 1 and child[0].tag == _T_TAG:
                coordinate = element.get("r")
                if coordinate:  # only the column is used: rows are placed by their own number
                    letters = coordinate.rstrip(_DIGITS)
                    column = _COLUMNS.get(letters) or _COLUMNS.setdefault(letters, column_index_from_string(letters))
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    column = self.col_counter
                return {"row": self.row_counter, "column": column, "value": child[0].text or "", "data_type": "s"}
        return super().parse_cell(element)


def iter_values(ws, *, min_row: int, max_col: int) -> Iterator[tuple[Any, ...]]:
    """``ws.iter_rows(min_row=min_row, max_col=max_col, values_only=True)`` of a read-only worksheet."""
    if not all(hasattr(ws, a) for a in ("_get_source", "_shared_strings", "parent")):  # not a read-only sheet
        yield from ws.iter_rows(min_row=min_row, max_col=max_col, values_only=True)
        return
    max_row = ws.max_row
    empty_row = (None,) * max_col
    counter = min_row
    idx = 1
    book = ws.parent
    with ws._get_source() as src:
        parser = _ValuesParser(src, ws._shared_strings, data_only=book.data_only, epoch=book.epoch,
                               date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for idx, cells in parser.parse():
            if max_row is not None and idx > max_row:
                break
            while counter < idx:  # rows missing from the file
                counter += 1
                yield empty_row
            if counter <= idx:
                values = [None] * max_col
                for cell in cells:
                    column = cell["column"]
                    if 1 <= column <= max_col:
                        values[column - 1] = cell["value"]
                counter += 1
                yield tuple(values)
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty_row


# ------------------------------------------------------------------------------- opening the workbook

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([^\"]+)\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


class _DeclaredSizeSheet(ReadOnlyWorksheet):
    """A read-only sheet whose size is the ``<dimension>`` the file declares before its data, if any.

    openpyxl's own ``_get_size`` looks for that element with an ``iterparse`` whose first "end" event of
    ``<sheetData>`` comes after the last row: a sheet without ``<dimension>`` (openpyxl's write-only output,
    many exporters) is parsed in full once just to learn that it has none, before it is read. The answer is the
    same (the declared boundaries, or none), read from the sheet's first bytes."""

    def _get_size(self):
        head = b""
        with self._get_source() as src:  # type: ignore[attr-defined]  # openpyxl's, not in its stubs
            while len(head) < (4 << 20):
                chunk = src.read(1 << 16)
                if not chunk:
                    break
                head += chunk
                if _SHEET_DATA.search(head):
                    break
        data = _SHEET_DATA.search(head)
        found = _DIMENSION.search(head, 0, data.start() if data else len(head))
        if found is not None:
            try:
                bounds = range_boundaries(found.group(1).decode("ascii", "replace"))
            except (TypeError, ValueError):
                return  # openpyxl would fail on it later too; leave the sheet unsized
            self.__dict__.update(zip(("_min_column", "_min_row", "_max_column", "_max_row"), bounds, strict=True))


class _ReadOnlyReader(ExcelReader):
    """openpyxl's reader in read-only mode, with :class:`_DeclaredSizeSheet` sheets (what the read-only branch of
    ``ExcelReader.read_worksheets`` does, without reading the relations read-only sheets never use)."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)  # type: ignore[arg-type]  # as openpyxl itself calls it
                continue
            ws = _DeclaredSizeSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            ws.sheet_state = sheet.state  # type: ignore[assignment]  # as openpyxl itself sets it
            self.wb._sheets.append(ws)  # type: ignore[attr-defined]  # openpyxl's, not in its stubs


def load_read_only(fh):
    """``openpyxl.load_workbook(fh, read_only=True, data_only=True)``, without a full pass over each sheet
    that declares no size."""
    reader = _ReadOnlyReader(fh, read_only=True, data_only=True)
    reader.read()
    return reader.wb
