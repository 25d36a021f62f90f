"""An xlsx sheet's values row by row: what openpyxl's read-only ``ws.iter_rows(values_only=True)`` yields, with
the per-cell cost of plain inline strings cut.

openpyxl turns every inline-string cell (``<c t="inlineStr"><is><t>…</t></is></c>``, what openpyxl itself and
many exporters write) into a ``Text`` object through its descriptor machinery just to read the text back: about
half the reading time of a text-heavy sheet. Here a cell whose ``<is>`` holds a single ``<t>`` is read directly
(the same value ``Text.content`` gives); every other cell goes through openpyxl's own ``parse_cell``, and rows
are padded, cut and numbered as ``ReadOnlyWorksheet._cells_by_row`` does (``test_importing`` compares the two).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openpyxl.utils.cell import column_index_from_string
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
