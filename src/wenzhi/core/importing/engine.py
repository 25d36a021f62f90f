"""Rows parsed and checked, dry runs and commits, and the problem report."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext

from .base import EXCEL_ERRORS, MAX_ERRORS_KEPT, TOTAL_MARKERS, CellError, ImportFileError
from .parsers import clean_text
from .schema import CellContext, Field, Schema
from .tables import Table, _is_blank

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
        parts = [gettext("共 {total} 行数据，{valid} 行无误，{invalid} 行有问题").format(
            total=self.total_rows, valid=self.valid_rows, invalid=self.invalid_rows)]
        if self.committed:
            parts.append(gettext("已新增 {created} 条、更新 {updated} 条").format(created=self.created,
                                                                         updated=self.updated))
        elif self.dry_run:
            parts.append(gettext("可新增 {created} 条、更新 {updated} 条").format(created=self.to_create,
                                                                         updated=self.to_update))
        else:
            parts.append(gettext("没有写入任何数据"))
        return gettext("；").join(parts) + gettext("。")


ProgressCallback = Callable[[int, int | None, str], None]

PLAN_SAMPLE = 500


def parse_rows(table: Table, importer: Importer) -> Iterator[ParsedRow]:
    """Every non-blank data row of ``table`` parsed by its fields and checked by ``importer``."""
    fields = {f.name: f for f in importer.schema.fields}
    mapped: list[tuple[int, Field, CellContext, str, dict | None]] = [
        (c.index, fields[c.field], CellContext(fields[c.field], c.scale, c.header), c.header,
         {} if fields[c.field].repeats else None) for c in table.columns if c.field]
    required = [(f.name, gettext("“%(field)s”是必填项，不能为空") % {"field": gettext(str(f.label))})
                for f in importer.schema.fields if f.required]
    problems = table.cell_problems
    # Translated once per run, not once per cell: a file with many bad cells repeats these thousands of times.
    excel_error = gettext("单元格是 Excel 错误值 %(value)s（公式计算出错），请改正公式或填写数值")
    for number, values in table.rows():
        for v in values:
            if v is not None and (type(v) is not str or v.strip()):
                break
        else:
            continue
        width = len(values)
        first = next((clean_text(v) for v in values if not _is_blank(v)), "")
        if first.replace(" ", "") in TOTAL_MARKERS:
            table.notes.append(gettext("第 %(row)s 行是“%(text)s”行，不是数据，已跳过。") % {"row": number, "text": first})
            continue
        raw: dict[str, Any] = {}
        parsed: dict[str, Any] = {}
        row = ParsedRow(number=number, values=parsed, raw=raw, table=table)
        for index, f, ctx, header, memo in mapped:
            value = values[index] if index < width else None
            raw[f.name] = value
            if value is None or (type(value) is str and not value.strip()):
                if problems:
                    _blank_cell_problem(row, problems, index, header, f.name)
                continue
            if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
                stripped = value.strip()
                row.errors.append(RowError(number, header, stripped, excel_error % {"value": stripped}))
                parsed[f.name] = _INVALID
                continue
            if f.parse is None:
                parsed[f.name] = clean_text(value)
                continue
            if memo is not None:
                key = (type(value), value)
                hit = memo.get(key, _MISSING)
                if hit is _MISSING:
                    hit = _parse_remembered(f, value, ctx, memo, key)
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
        _finish_row(row, parsed, required, table)
        importer.check(row)
        yield row


def _blank_cell_problem(row: ParsedRow, problems: dict[tuple[int, int], str], index: int, header: str,
                        name: str) -> None:
    """A blank cell the table knows more about (a formula without a saved result, a merged range) is an error."""
    problem = problems.get((row.number, index))
    if problem:
        row.errors.append(RowError(row.number, header, "", problem))
        row.values[name] = _INVALID


def _parse_remembered(f: Field, value: Any, ctx: CellContext, memo: dict, key: tuple) -> Any:
    """Parse a value of a repeating field the first time it is seen: the result, or the :class:`CellError`."""
    try:
        hit = f.parse(value, ctx)  # type: ignore[misc]  # the caller checked f.parse
    except CellError as exc:
        hit = exc
    if len(memo) < 10_000:
        memo[key] = hit
    return hit


def _finish_row(row: ParsedRow, parsed: dict[str, Any], required: list[tuple[str, str]], table: Table) -> None:
    """Required fields left empty become errors (``required``: field name and its message); the values of cells
    in error are dropped."""
    for name, message in required:
        if name not in parsed:
            row.errors.append(RowError(row.number, table.header_for(name), "", message))
            parsed[name] = _INVALID
    if row.errors:
        for k in [k for k, v in parsed.items() if v is _INVALID]:
            del parsed[k]
    row.values = parsed


class _Invalid:
    def __repr__(self) -> str:
        return "<invalid>"


_INVALID = _Invalid()
_MISSING = object()
_NO_RAW: dict = {}

def check_table(table: Table, importer: Importer, result: ImportResult, *,
                keep: Callable[[ParsedRow], None] | None = None, progress: ProgressCallback | None = None) -> None:
    """Parse and check every row of ``table`` into ``result`` (counts, problems, plan); ``keep(row)`` receives
    each valid row (to store it for the commit). The table is closed afterwards."""
    importer.prepare(table)
    total = table.total_rows
    done = 0
    for row in parse_rows(table, importer):
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
            if keep is not None:
                keep(row)
        if progress and done % 500 == 0:
            progress(done, total, "check")
    result.total_rows = done
    result.notes = list(table.notes)
    table.close()  # the workbook (and its shared strings) is not needed for the write
    if progress:
        progress(done, done, "check")
    if done == 0:
        raise ImportFileError(gettext("{name} 只有表头（第 {row} 行），没有数据行。").format(
            name=table.filename, row=table.header_row))


def commit_refusal(result: ImportResult, *, skip_invalid: bool) -> str:
    """Why a commit after this check writes nothing (empty string: it may write)."""
    if result.invalid_rows and not skip_invalid:
        return (gettext("有 {n} 行有问题，按“全部无误才导入”的要求，没有写入任何数据。").format(n=result.invalid_rows)
                + result.summary())
    if not result.valid_rows:
        return gettext("没有可导入的有效行，没有写入任何数据。") + result.summary()
    return ""


def write_checked(importer: Importer, batches: Iterable[list[ParsedRow]], result: ImportResult, *, count: int,
                  progress: ProgressCallback | None = None, durable: bool = False) -> ImportResult:
    """Write checked rows (in the importer's batches) in one transaction: all of them or, on any error, none."""
    written = 0
    if progress:
        progress(0, count, "write")  # outside the transaction, so a progress display can still see it
    with transaction.atomic(durable=durable):
        for batch in batches:
            created, updated = importer.write(batch)
            result.created += created
            result.updated += updated
            written += len(batch)
            if progress:
                progress(written, count, "write")
    result.committed = True
    result.dry_run = False
    result.message = result.summary()
    return result


def run_import(table: Table, importer: Importer, *, commit: bool, skip_invalid: bool = False,
               progress: ProgressCallback | None = None, keep: Callable[[ParsedRow], None] | None = None,
               durable: bool = False) -> ImportResult:
    """Parse and check every row, then (``commit``) write the valid ones in one transaction.

    - Without ``skip_invalid`` one invalid row means nothing is written; with it the valid rows are written.
    - Rows are parsed once; valid rows are kept compactly (:mod:`.checked`) until the write, which runs in
      batches inside a single ``transaction.atomic()``: a failure anywhere leaves the database unchanged.
    - ``keep(row)`` also receives every valid row (a dry run stores them so its commit need not read again).
    - ``progress(done, total, phase)`` is called every few hundred rows (phase ``check`` then ``write``).
    """
    from .checked import MemoryRows

    result = ImportResult(filename=table.filename, format=table.format, encoding=table.encoding, sheet=table.sheet,
                          header_row=table.header_row, mapping=table.mapping(), dry_run=not commit,
                          skip_invalid=skip_invalid)
    store = MemoryRows(importer.batch_size) if commit else None

    def keep_row(row: ParsedRow) -> None:
        if keep is not None:
            keep(row)
        if store is not None and (skip_invalid or not result.invalid_rows):
            store.add(row)

    check_table(table, importer, result, keep=keep_row if (keep or store) else None, progress=progress)
    if not commit:
        result.message = result.summary()
        return result
    refusal = commit_refusal(result, skip_invalid=skip_invalid)
    if refusal:
        result.message = refusal
        return result
    assert store is not None
    return write_checked(importer, store.batches(), result, count=result.valid_rows, progress=progress,
                         durable=durable)

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
