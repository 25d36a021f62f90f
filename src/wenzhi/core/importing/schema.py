"""Columns an import understands and how a file's headers map to them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from .base import HeaderError

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
# Read-only: a domain app with other units gives its field a ``units`` table instead of changing this one.
UNIT_TABLES: Mapping[str, Mapping[str, Decimal]] = MappingProxyType({"万元": MONEY_UNITS, "元": MONEY_UNITS, "亿元": MONEY_UNITS, "人": COUNT_UNITS, "个": COUNT_UNITS,
               "%": PERCENT_UNITS})


def unit_scale(unit: str, canonical: str, units: Mapping[str, Decimal] | None = None) -> Decimal | None:
    """Factor that turns a value in ``unit`` into ``canonical``; ``None`` when they do not convert.

    ``units`` is the field's own table (unit → factor) for units the engine does not know (areas, ...).
    """
    table = units if units is not None else UNIT_TABLES.get(canonical)
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
    units: Mapping[str, Decimal] | None = dc_field(default=None, hash=False)  # unit → factor, for units outside the engine's UNIT_TABLES
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


HOW_LABELS = {"exact": gettext_lazy("列名一致"), "synonym": gettext_lazy("同义列名"),
              "approximate": gettext_lazy("近似匹配"), "user": gettext_lazy("手工指定"),
              "ignored": gettext_lazy("不导入"), "duplicate": gettext_lazy("重复列（未使用）"),
              "unknown": gettext_lazy("未识别（不导入）")}


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
            raise ValueError(gettext("映射“%(item)s”应写成 列名=字段，例如 单位名称=name") % {"item": item})
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
                chosen = by_name.get(target) or by_norm.get(normalise_header(target), (None, ""))[0]
                if chosen is None:
                    raise HeaderError(gettext("映射“%(header)s=%(target)s”中的字段“%(target)s”不存在；可用字段：%(fields)s")
                                      % {"header": text, "target": target, "fields": gettext("、").join(
                                          f"{x.name}（{gettext(str(x.label))}）" for x in schema.fields)})
                col.field, col.how = chosen.name, "user"
        else:
            hit = by_norm.get(key) or by_norm.get(normalise_header(base))
            if hit:
                col.field, col.how = hit[0].name, hit[1]
        cols.append(col)
    _approximate(cols, schema)
    _check_units_and_duplicates(cols, by_name, used, notes)
    missing = [f for f in schema.required if f.name not in used]
    if missing:
        parts = [gettext("“%(field)s”（可用列名：%(names)s）") % {"field": gettext(str(f.label)),
                                                              "names": gettext("、").join(f.names()[:6])}
                 for f in missing]
        raise HeaderError(gettext("缺少必填列：%(columns)s。也可以在映射中指定哪一列对应这些字段。")
                          % {"columns": gettext("；").join(parts)})
    return cols, notes


def _approximate(cols: list[ColumnMap], schema: Schema) -> None:
    """Approximate matches only for fields nothing matched exactly, and only when unambiguous."""
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


def _check_units_and_duplicates(cols: list[ColumnMap], by_name: dict[str, Field], used: dict[str, ColumnMap],
                                notes: list[str]) -> None:
    """The first column of a field wins (later ones are noted as duplicates); header units must convert."""
    for col in cols:
        if not col.field:
            col.how = col.how or "unknown"
            continue
        f = by_name[col.field]
        if col.field in used:
            first = used[col.field]
            notes.append(gettext("列“%(header)s”(%(letter)s) 与列“%(first)s”(%(first_letter)s) 都对应“%(field)s”，"
                                 "使用了第一列；如需改用此列，请调整映射。") % {
                "header": col.header, "letter": col.letter, "first": first.header, "first_letter": first.letter,
                "field": gettext(str(f.label))})
            col.note = gettext("与列“%(header)s”重复") % {"header": first.header}
            col.how, col.field = "duplicate", None
            continue
        used[col.field] = col
        if f.unit:
            scale = unit_scale(col.unit, f.unit, f.units)
            if scale is None:
                raise HeaderError(gettext("列“%(header)s”(%(letter)s) 的单位“%(unit)s”无法换算为“%(target)s”，"
                                          "请改为以 %(target)s 为单位后再导入。") % {
                    "header": col.header, "letter": col.letter, "unit": col.unit, "target": f.unit})
            col.scale = scale
            if col.unit and scale != 1:
                col.note = gettext("按 %(unit)s 读取，换算为 %(target)s") % {"unit": col.unit, "target": f.unit}


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


