"""Checked rows kept between a dry run and its commit, so the commit writes without reading the file again.

A row is kept as ``(number, action, target, label, keys, values)``: the field names are one tuple shared by
every row of the same shape. On disk the rows are pickled in batches; the reader only accepts the few types a
parsed cell can hold (a restricted unpickler), so the file is data, never code.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import pickle
from collections.abc import Iterator
from typing import IO

from .engine import ParsedRow

_NO_RAW: dict = {}
_ALLOWED = {("decimal", "Decimal"): decimal.Decimal, ("datetime", "date"): dt.date,
            ("datetime", "datetime"): dt.datetime, ("datetime", "time"): dt.time}


def _freeze(row: ParsedRow, shapes: dict[tuple, tuple]) -> tuple:
    keys = tuple(row.values)
    return (row.number, row.action, row.target, row.label, shapes.setdefault(keys, keys),
            tuple(row.values.values()))


def _thaw(batch: list[tuple]) -> list[ParsedRow]:
    return [ParsedRow(number=n, values=dict(zip(keys, vals, strict=True)), raw=_NO_RAW, action=action,
                      target=target, label=label) for n, action, target, label, keys, vals in batch]


class MemoryRows:
    """Checked rows held in memory (one pass: check and commit in the same run)."""

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.rows: list[tuple] = []
        self.shapes: dict[tuple, tuple] = {}

    def add(self, row: ParsedRow) -> None:
        self.rows.append(_freeze(row, self.shapes))

    def batches(self) -> Iterator[list[ParsedRow]]:
        rows, self.rows = self.rows, []
        for start in range(0, len(rows), self.batch_size):
            chunk = rows[start:start + self.batch_size]
            rows[start:start + self.batch_size] = [None] * len(chunk)  # type: ignore[list-item]  # let memory go
            yield _thaw(chunk)


class CheckedRowsWriter:
    """Appends checked rows to a binary file, a batch per pickle."""

    def __init__(self, fileobj: IO[bytes], batch_size: int = 2000):
        self.fileobj = fileobj
        self.batch_size = batch_size
        self.batch: list[tuple] = []
        self.shapes: dict[tuple, tuple] = {}
        self.count = 0

    def __call__(self, row: ParsedRow) -> None:
        self.batch.append(_freeze(row, self.shapes))
        self.count += 1
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.batch:
            pickle.dump(self.batch, self.fileobj, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def close(self) -> None:
        self.flush()


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"checked rows may not hold {module}.{name}") from None


def read_checked(fileobj: IO[bytes]) -> Iterator[list[ParsedRow]]:
    """The batches a :class:`CheckedRowsWriter` wrote, as parsed rows ready for ``Importer.write``."""
    reader = fileobj if isinstance(fileobj, io.BufferedIOBase) else io.BufferedReader(fileobj)  # type: ignore[arg-type]
    while True:
        try:
            batch = _Unpickler(reader).load()
        except EOFError:
            return
        yield _thaw(batch)
