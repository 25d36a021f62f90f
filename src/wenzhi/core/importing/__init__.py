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
- runs dry runs and commits: all-or-nothing or skip-invalid, with a progress callback; a dry run keeps its
  checked rows (:mod:`.checked`) so the commit writes them without reading the file again;
- writes in bulk with history rows (:mod:`.bulk`, the shape of simple_history's ``bulk_create_with_history``).

The parts: ``base`` (limits, errors), ``sniff`` (formats, zip checks, encodings), ``schema`` (fields, header
mapping), ``tables`` (reading), ``parsers`` (cells), ``engine`` (runs, reports), ``checked``, ``bulk``.
"""

from __future__ import annotations

from .base import (  # noqa: F401 - the engine's public names, importable from the package
    BLANK_MARKERS,
    EXCEL_ERRORS,
    HEADER_SCAN_ROWS,
    MAX_CSV_BYTES,
    MAX_ERRORS_KEPT,
    MAX_UNCOMPRESSED_BYTES,
    TOTAL_MARKERS,
    CellError,
    HeaderError,
    ImportFileError,
)
from .engine import (  # noqa: F401 - the engine's public names, importable from the package
    Importer,
    ImportResult,
    ParsedRow,
    RowError,
    parse_rows,
    run_import,
    write_report_csv,
)
from .parsers import (  # noqa: F401 - the engine's public names, importable from the package
    bool_parser,
    choice_parser,
    clean_text,
    date_parser,
    decimal_parser,
    int_parser,
    parse_date_value,
    parse_decimal_value,
    text_parser,
)
from .schema import (  # noqa: F401 - the engine's public names, importable from the package
    COUNT_UNITS,
    HOW_LABELS,
    MONEY_UNITS,
    PERCENT_UNITS,
    UNIT_TABLES,
    CellContext,
    ColumnMap,
    Field,
    Schema,
    column_letter,
    map_headers,
    normalise_header,
    parse_overrides,
    split_unit,
    unit_scale,
)
from .sniff import (  # noqa: F401 - the engine's public names, importable from the package
    check_xlsx_archive,
    decode_text,
    sniff_format,
)
from .tables import (  # noqa: F401 - the engine's public names, importable from the package
    Table,
    open_table,
    scan_sheet_xml,
)
