"""Cell parsers: text, numbers with units, dates, yes/no and choices, each with a precise Chinese message."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from .base import EXCEL_ERRORS, CellError
from .schema import CellContext, normalise_header, unit_scale

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
            raise CellError(_("长度 %(length)s 个字，超过上限 %(limit)s 个字") % {"length": len(s), "limit": max_length})
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
        raise CellError(str(_("应为数字，不是“是/否”")))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    elif isinstance(value, (dt.date, dt.datetime)):
        raise CellError(str(_("应为数字，单元格却是日期（请检查单元格格式）")))
    else:
        s = unicodedata.normalize("NFKC", str(value)).strip()
        if s in EXCEL_ERRORS:
            raise CellError(_("单元格是 Excel 错误值 %(value)s，不是数字") % {"value": s})
        s = _NUM_CLEAN.sub("", s)
        s = s.replace("，", "")
        if s.startswith("(") and s.endswith(")"):
            s = "-" + s[1:-1]
        s = s.removeprefix("¥").removeprefix("￥").removeprefix("RMB")
        m = _NUM_RE.match(s)
        if not m:
            raise CellError(str(_("不是数字（含中文大写或文字说明？）") if re.search(r"[一二三四五六七八九十百千约余多]", s)
                                 else _("不是数字")))
        number_text, unit = m.group(1), m.group(2).strip()
        try:
            number = Decimal(number_text)
        except InvalidOperation as exc:
            raise CellError(str(_("不是数字"))) from exc
        if unit:
            if ctx.field.unit:
                unit_factor = unit_scale(unit, ctx.field.unit, ctx.field.units)
                if unit_factor is None:
                    raise CellError(_("单位“%(unit)s”无法换算为%(target)s") % {"unit": unit, "target": ctx.field.unit})
                scale = unit_factor  # a unit in the cell wins over the header's
            else:
                raise CellError(_("数字后面有多余的“%(unit)s”") % {"unit": unit})
    if not number.is_finite():
        raise CellError(str(_("不是有效数字")))
    number = number * scale
    if number < 0 and not allow_negative:
        raise CellError(str(_("不能为负数")))
    if maximum is not None and abs(number) > maximum:
        raise CellError(_("数值过大（超过 %(maximum)s%(unit)s），请检查单位") % {"maximum": maximum, "unit": ctx.field.unit})
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
            raise CellError(str(_("应为整数")))
        n = int(number)
        if n < minimum:
            raise CellError(_("不能小于 %(minimum)s") % {"minimum": minimum})
        if maximum is not None and n > maximum:
            raise CellError(_("不能大于 %(maximum)s") % {"maximum": maximum})
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
        raise CellError(str(_("应为日期，不是“是/否”")))
    elif isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\s*\d{5}(\.\d+)?\s*", value)):
        serial = float(value)
        if 19000101 <= serial <= 29991231 and float(serial).is_integer():
            return parse_date_value(str(int(serial)), earliest=earliest, latest=latest)
        if not 1 <= serial <= 2958465:
            raise CellError(str(_("不是日期（数值超出 Excel 日期序号范围）")))
        d = EXCEL_EPOCH + dt.timedelta(days=int(serial))
    else:
        d = _date_from_text(unicodedata.normalize("NFKC", str(value)).strip())
    if d < earliest:
        raise CellError(_("日期早于 %(date)s，请检查") % {"date": earliest.isoformat()})
    if latest is not None and d > latest:
        raise CellError(_("日期晚于 %(date)s（不能是将来的日期）") % {"date": latest.isoformat()})
    return d


def _date_from_text(s: str) -> dt.date:
    """A date written as text in one of ``_DATE_PATTERNS``; :class:`CellError` saying what is wrong otherwise."""
    if s in EXCEL_ERRORS:
        raise CellError(_("单元格是 Excel 错误值 %(value)s，不是日期") % {"value": s})
    for pat in _DATE_PATTERNS:
        m = pat.match(s)
        if m:
            y, mo, day = (int(x) for x in m.groups())
            try:
                return dt.date(y, mo, day)
            except ValueError as exc:
                if not 1 <= mo <= 12:
                    raise CellError(_("日期不存在：没有 %(month)s 月") % {"month": mo}) from exc
                raise CellError(_("日期不存在：%(year)s 年 %(month)s 月没有 %(day)s 日")
                                % {"year": y, "month": mo, "day": day}) from exc
    if re.match(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*月?$", s):
        raise CellError(str(_("只有年月，缺少日（应写成 2018-05-01 或 2018年5月1日）")))
    raise CellError(str(_("不是可识别的日期（可写成 2018-05-01、2018/5/1 或 2018年5月1日）")))


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
        raise CellError(str(_("应填“是”或“否”")))
    return parse


def choice_parser(choices: dict[str, str], *, what: str = ""):
    """Map displayed labels (and their aliases) to stored values; ``choices`` is label/alias → value."""
    # Plain str values, not the TextChoices members: parsed rows are stored as data between dry run and commit.
    index = {normalise_header(k): str(v) for k, v in choices.items()}
    values = {str(v) for v in choices.values()}

    def parse(value: Any, ctx: CellContext) -> str:
        s = clean_text(value)
        if s in values:
            return s
        hit = index.get(normalise_header(s))
        if hit is None:
            shown = "、".join(dict.fromkeys(k for k in choices if str(choices[k]) in values))
            raise CellError(_("不是可选的%(what)s（可填：%(choices)s）") % {"what": what or ctx.field.label,
                                                                    "choices": shown[:120]})
        return hit
    return parse


