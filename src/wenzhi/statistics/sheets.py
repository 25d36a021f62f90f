"""The data-entry grid as an .xlsx: download it filled in, upload it back.

The sheet names its form, form version, organisation and period above the table, so an upload is checked
against the report it is sent to: another form, an old version of the form (its indicators changed), another
organisation or period, or columns moved from where the template put them are refused with the reason, and
nothing is written. The file itself is read by the platform's import engine (``core.importing``: format
sniffing, zip-bomb limits, header mapping); values go through the same cell parser and service as the grid.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from wenzhi.core.importing import Field, ImportFileError, Schema, open_table
from wenzhi.core.text import export_text

from . import services
from .models import FormIndicator, Submission

HEADER_ROW = 6
COLUMNS = ("code", "name", "unit", "value", "comment")


def _labels() -> list[str]:
    return [gettext("指标代码"), gettext("指标名称"), gettext("单位"), gettext("数值"), gettext("说明")]


def _meta_labels() -> list[str]:
    return [gettext("报表代码"), gettext("报表版本"), gettext("填报单位"), gettext("报告期")]


def _schema() -> Schema:
    labels = _labels()
    # The Chinese headers are accepted whatever the page's language, so a sheet keeps working for everyone.
    return Schema(kind="statistics_grid", label=gettext("统计报表"), fields=tuple(
        Field(name=name, label=label, synonyms=(zh,) if zh != label else (), required=name in ("code", "value"))
        for name, label, zh in zip(COLUMNS, labels, ("指标代码", "指标名称", "单位", "数值", "说明"), strict=True)))


def grid_workbook(submission: Submission, values: dict[str, Any]) -> bytes:
    """The report as an .xlsx template: metadata rows, then one row per indicator of the current version."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    form = submission.form
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = export_text(form.code)[:31]
    meta = [(form.code, form.name), (form.version, ""), (submission.organisation.name, submission.organisation_id),
            (submission.period.code, "")]
    for label, (first, second) in zip(_meta_labels(), meta, strict=True):
        ws.append([label, export_text(str(first)) if isinstance(first, str) else first,
                   export_text(str(second)) if isinstance(second, str) else second])
    ws.append([])
    ws.append(_labels())
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
    for indicator in form.indicators():
        stored = values.get(indicator.code)
        ws.append([indicator.code, export_text(indicator.display_name), export_text(indicator.display_unit),
                   stored.value if stored is not None else None,
                   export_text(stored.comment) if stored is not None else ""])
    for letter, width in zip("ABCDE", (24, 30, 10, 16, 40), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _metadata(data: bytes) -> list[Any]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        return [tuple(row)[:3] for row in ws.iter_rows(min_row=1, max_row=4, values_only=True)]
    finally:
        wb.close()


def _check_metadata(submission: Submission, rows: list[Any]) -> None:
    form = submission.form

    def cell(r: int, c: int) -> str:
        try:
            value = rows[r][c]
        except IndexError:
            return ""
        return "" if value is None else str(value).strip()

    if cell(0, 1) != form.code:
        raise ValidationError(gettext("B1 单元格的报表代码为“%(got)s”，不是“%(form)s”（%(code)s）：请上传本报表下载的模板。")
                              % {"got": cell(0, 1), "form": form.display_name, "code": form.code})
    version = cell(1, 1).removesuffix(".0")
    if version != str(form.version):
        raise ValidationError(gettext("此表格是“%(form)s”第 %(got)s 版的模板，报表当前为第 %(current)s 版（指标已调整），"
                                      "请重新下载模板后填报。") % {"form": form.display_name, "got": version or "?",
                                                          "current": form.version})
    org_id = cell(2, 2).removesuffix(".0")
    if org_id != str(submission.organisation_id):
        raise ValidationError(gettext("此表格属于“%(got)s”，不能上传到“%(org)s”的报表。")
                              % {"got": cell(2, 1) or "?", "org": submission.organisation.name})
    if cell(3, 1).upper() != submission.period.code:
        raise ValidationError(gettext("此表格的报告期为“%(got)s”，本报表为 %(period)s。")
                              % {"got": cell(3, 1), "period": submission.period.code})


def _check_columns(table) -> None:
    if table.header_row != HEADER_ROW:
        raise ValidationError(gettext("表头应在第 %(want)s 行，上传的表格在第 %(got)s 行：表格的行被移动过，请使用下载的模板。")
                              % {"want": HEADER_ROW, "got": table.header_row})
    for index, (name, label) in enumerate(zip(COLUMNS[:4], _labels()[:4], strict=True)):
        mapped = next((c for c in table.columns if c.field == name), None)
        if mapped is None or mapped.index != index:
            got = table.headers[index] if index < len(table.headers) else ""
            raise ValidationError(gettext("第 %(col)s 列应为“%(want)s”，上传的表格是“%(got)s”：列被移动或插入过，请使用下载的模板。")
                                  % {"col": "ABCD"[index], "want": label, "got": got})


def read_upload(submission: Submission, upload: IO[bytes], filename: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Read an uploaded grid for ``submission``: ({code: text or number}, {code: comment}).

    Raises ValidationError with every problem (which cell, what is wrong); nothing is written here."""
    data = upload.read()
    try:
        table = open_table(io.BytesIO(data), _schema(), filename=filename)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    try:
        if table.format != "xlsx":
            raise ValidationError(gettext("请上传从本页面下载的 .xlsx 模板。"))
        _check_columns(table)
        _check_metadata(submission, _metadata(data))
        return _rows(submission, table)
    finally:
        table.close()


def _rows(submission: Submission, table) -> tuple[dict[str, Any], dict[str, str]]:
    current = {i.code: i for i in submission.form.indicators()}
    older = set(FormIndicator.objects.filter(version__form=submission.form).values_list("indicator__code", flat=True))
    values: dict[str, Any] = {}
    comments: dict[str, str] = {}
    errors: list[str] = []
    for number, row in table.rows():
        code = str(row[0] or "").strip()
        where = gettext("第 %(row)s 行") % {"row": number}
        if code not in current:
            errors.append(gettext("%(where)s：指标代码“%(code)s”%(why)s。") % {
                "where": where, "code": code,
                "why": gettext("只在旧版本报表中，当前版本已删除") if code in older else gettext("不在本报表中")})
            continue
        if code in values:
            errors.append(gettext("%(where)s：指标“%(code)s”重复出现。") % {"where": where, "code": code})
            continue
        raw = row[3] if len(row) > 3 else None
        try:
            parsed = services.parse_cell(current[code], raw if not isinstance(raw, float) else Decimal(str(raw)))
        except ValidationError as exc:
            errors.append(gettext("D%(row)s 单元格：%(msg)s") % {"row": number, "msg": " ".join(exc.messages)})
            continue
        values[code] = parsed
        comment = str(row[4] or "").strip() if len(row) > 4 else ""
        if comment:
            comments[code] = comment[:500]
    if errors:
        raise ValidationError(errors)
    return values, comments
