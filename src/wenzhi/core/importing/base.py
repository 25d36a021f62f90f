"""Limits, errors and cell markers shared by every part of the import engine."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------- limits

# Every limit below bounds the time and memory one file can take in the task worker; each refusal names it.
MAX_UNCOMPRESSED_BYTES = 512 << 20  # all entries of one .xlsx together, as declared in its zip directory
MAX_SHARED_STRINGS_BYTES = 128 << 20  # xl/sharedStrings.xml, which openpyxl holds in memory whole
MAX_SHARED_STRINGS = 2_000_000  # entries of that table (counted before openpyxl loads it)
MAX_CELLS = 6_000_000  # cells of the sheet read (counted in its XML before any row is parsed)
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


