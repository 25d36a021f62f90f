"""Seat maps as text and as spreadsheets: the row editor's layout language and the import's columns.

The editor shows one line per row: ``<区域> <排> <cells>``; each cell is one place on the drawing::

    池座 1 AAAA.AAAA      A-Z: a seat of that price zone   a-z: an accessible seat of that zone
    池座 2 AAa#.#aAA      #: a seat not for sale (blocked)  . or _: an aisle (no seat)
    楼座 1 BBBBBBBBB

Seats are numbered from 1, left to right within the row; the cell's column is ``x`` and the line is ``y``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

AISLE = "._"
BLOCKED = "#"
MAX_CELLS = 200
MAX_LINES = 400
IMPORT_COLUMNS = {
    "section": ("区域", "section"), "row": ("排", "row"), "number": ("座号", "number"),
    "x": ("横坐标", "x"), "y": ("纵坐标", "y"), "zone": ("票档", "zone"),
    "accessible": ("无障碍", "accessible"), "blocked": ("不可售", "blocked"),
}
TRUE_WORDS = {"1", "是", "y", "yes", "true", "√", "x"}


@dataclass(frozen=True)
class SeatSpec:
    """One seat as the editor or a spreadsheet describes it."""

    section: str
    row: str
    number: int
    x: int
    y: int
    zone: str | None
    accessible: bool = False
    blocked: bool = False

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.section, self.row, self.number)


def parse_layout(text: str) -> list[SeatSpec]:
    """The seats a layout text describes; a bad line is refused naming its number and the problem."""
    out: list[SeatSpec] = []
    errors = []
    lines = [ln for ln in text.replace("\r", "").split("\n")]
    if len(lines) > MAX_LINES:
        raise ValidationError({"layout": gettext("座位图：最多 %(n)d 行。") % {"n": MAX_LINES}})
    for y, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3:
            errors.append(gettext("第 %(n)d 行：应为“区域 排号 座位格”三段，用空格分开。") % {"n": y})
            continue
        section, row, cells = parts
        if len(cells) > MAX_CELLS:
            errors.append(gettext("第 %(n)d 行：一排最多 %(m)d 格。") % {"n": y, "m": MAX_CELLS})
            continue
        number = 0
        for x, cell in enumerate(cells, start=1):
            if cell in AISLE:
                continue
            if cell != BLOCKED and not ("A" <= cell.upper() <= "Z"):
                errors.append(gettext("第 %(n)d 行第 %(x)d 格：“%(c)s”不是座位符号（A-Z 票档，小写为无障碍，# 不可售，. 过道）。")
                              % {"n": y, "x": x, "c": cell})
                continue
            number += 1
            out.append(SeatSpec(section=section[:40], row=row[:10], number=number, x=x, y=y,
                                zone=None if cell == BLOCKED else cell.upper(), accessible=cell.islower(),
                                blocked=cell == BLOCKED))
    if errors:
        raise ValidationError({"layout": errors})
    if not out:
        raise ValidationError({"layout": gettext("座位图：没有任何座位。")})
    _check_unique(out, "layout")
    return out


def _check_unique(seats: list[SeatSpec], field: str) -> None:
    keys: set = set()
    spots: set = set()
    errors = []
    for s in seats:
        if s.key in keys:
            errors.append(gettext("座位 %(s)s %(r)s排%(n)d座 出现了两次。") % {"s": s.section, "r": s.row, "n": s.number})
        if (s.x, s.y) in spots:
            errors.append(gettext("位置（%(x)d, %(y)d）上有两个座位。") % {"x": s.x, "y": s.y})
        keys.add(s.key)
        spots.add((s.x, s.y))
    if errors:
        raise ValidationError({field: errors[:20]})


def render_layout(seats) -> str:
    """The editor text of a hall's current seats (the inverse of :func:`parse_layout` for maps drawn in it)."""
    lines: dict[int, dict] = {}
    for seat in seats:
        line = lines.setdefault(seat.y, {"section": seat.section.name, "row": seat.row_label, "cells": {}})
        code = BLOCKED if seat.blocked or seat.zone is None else seat.zone.code
        line["cells"][seat.x] = code.lower() if seat.accessible and code != BLOCKED else code
    out = []
    for y in range(1, max(lines, default=0) + 1):
        if y not in lines:
            out.append("")
            continue
        line = lines[y]
        width = max(line["cells"])
        cells = "".join(line["cells"].get(x, ".") for x in range(1, width + 1))
        out.append(f"{line['section']} {line['row']} {cells}")
    return "\n".join(out)


def _rows_of(upload, name: str) -> list[list]:
    if name.lower().endswith(".csv"):
        raw = upload.read()
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return [row for row in csv.reader(io.StringIO(text))]
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is the same answer to the user
        raise ValidationError({"file": gettext("文件：无法读取，请上传 .xlsx 或 .csv 文件。")}) from None
    sheet = book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True, max_row=20001)]


def parse_import(upload, name: str) -> list[SeatSpec]:
    """Seats from a spreadsheet with the columns 区域, 排, 座号, 横坐标, 纵坐标, 票档, 无障碍, 不可售 (or their
    English names); every bad row is named with its number and column, nothing is applied."""
    rows = _rows_of(upload, name)
    if not rows:
        raise ValidationError({"file": gettext("文件：是空的。")})
    header = [str(c or "").strip().lower() for c in rows[0]]
    where = {}
    for key, names in IMPORT_COLUMNS.items():
        found = [i for i, h in enumerate(header) if h in names]
        if not found and key not in ("accessible", "blocked", "zone"):
            raise ValidationError({"file": gettext("文件：缺少“%(col)s”列。") % {"col": names[0]}})
        where[key] = found[0] if found else None
    out, errors = [], []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c not in (None, "") for c in row):
            continue
        try:
            out.append(_spec_from_row(row, where))
        except ValueError as exc:
            errors.append(gettext("第 %(n)d 行：%(why)s") % {"n": n, "why": exc})
    if errors:
        raise ValidationError({"file": errors[:50]})
    if not out:
        raise ValidationError({"file": gettext("文件：没有任何座位。")})
    _check_unique(out, "file")
    return out


def _cell(row: list, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def _spec_from_row(row: list, where: dict) -> SeatSpec:
    def integer(key: str, label: str) -> int:
        value = _cell(row, where[key])
        try:
            out = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValueError(gettext("“%(col)s”应为正整数，实际是“%(v)s”。") % {"col": label, "v": value or ""}) from None
        if out < 1 or out > 10000:
            raise ValueError(gettext("“%(col)s”应在 1 到 10000 之间。") % {"col": label})
        return out

    section = str(_cell(row, where["section"]) or "").strip()
    row_label = str(_cell(row, where["row"]) or "").strip()
    if not section or not row_label:
        raise ValueError(gettext("“区域”和“排”不能为空。"))
    zone = str(_cell(row, where["zone"]) or "").strip().upper() or None
    blocked = str(_cell(row, where["blocked"]) or "").strip().lower() in TRUE_WORDS
    if zone is not None and not (len(zone) == 1 and "A" <= zone <= "Z"):
        raise ValueError(gettext("“票档”应为一个字母 A-Z，实际是“%(v)s”。") % {"v": zone})
    if zone is None and not blocked:
        raise ValueError(gettext("可售座位必须填写“票档”。"))
    return SeatSpec(section=section[:40], row=row_label[:10], number=integer("number", "座号"),
                    x=integer("x", "横坐标"), y=integer("y", "纵坐标"), zone=None if blocked else zone,
                    accessible=str(_cell(row, where["accessible"]) or "").strip().lower() in TRUE_WORDS,
                    blocked=blocked)
