"""The import's xlsx row reader yields exactly what openpyxl's read-only ``iter_rows(values_only=True)`` does."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from wenzhi.core.importing.xlsxrows import iter_values

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet {NS}><dimension ref="A1:D{{last}}"/><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>企业名称</t></is></c><c r="B1"><v>7</v></c>
  <c r="C1" t="inlineStr"><is><t xml:space="preserve"> 代码 </t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><r><t>天津</t></r><r><rPr><b/></rPr><t>动漫</t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c>
  <c r="B2"><v>12.5</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="inlineStr"><is><t/></is></c>
  <c r="F2" t="inlineStr"><is><t>beyond</t></is></c></row>
<row r="4"><c t="inlineStr"><is><t>no coordinates</t></is></c><c><v>3</v></c><c t="e"><v>#N/A</v></c></row>
<row r="5"><c r="B5" t="inlineStr"><is><t>前</t><r><t>后</t></r></is></c><c r="C5" s="1"><v>43000</v></c>
  <c r="D5" t="str"><v>计算结果</v></c></row>
<row r="6"><c r="A6" t="inlineStr"><is></is></c></row>
{{extra}}</sheetData></worksheet>"""


def _book(last: int, extra: str = "") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws["C5"] = dt.date(2017, 9, 22)  # gives the workbook a date style (s="1")
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = SHEET.format(last=last, extra=extra).encode()
            zf.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(("last", "extra"), [(6, ""), (9, ""), (4, ""),
                                             (8, '<row r="8"><c r="A8" t="inlineStr"><is><t>末行</t></is></c></row>')])
@pytest.mark.parametrize(("min_row", "max_col"), [(1, 4), (2, 2), (3, 1), (2, 6)])
def test_same_values_as_openpyxl(last, extra, min_row, max_col):
    data = _book(last, extra)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    expected = list(wb.active.iter_rows(min_row=min_row, max_col=max_col, values_only=True))
    got = list(iter_values(wb.active, min_row=min_row, max_col=max_col))
    wb.close()
    assert got == expected
    assert any(v == "天津动漫" for row in got for v in row) or min_row > 2 or max_col < 1
    assert all(len(row) == max_col for row in got)


@pytest.mark.parametrize("declared", [True, False])
def test_the_workbook_opens_with_the_sizes_openpyxl_gives(declared):
    """load_read_only: the declared <dimension> as openpyxl reads it, or none (openpyxl's write-only output has
    none), without openpyxl's full parse of the sheet to find that out; the rows read are the same."""
    from wenzhi.core.importing.xlsxrows import load_read_only

    if declared:
        data = _book(8, '<row r="8"><c r="A8" t="inlineStr"><is><t>末行</t></is></c></row>')
    else:
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("企业")
        for i in range(50):
            ws.append([f"企业{i}", i, None, dt.date(2020, 1, 1 + i % 28)])
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
        assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    theirs = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ours = load_read_only(io.BytesIO(data))
    a, b = theirs.worksheets[0], ours.worksheets[0]
    assert (b.min_row, b.max_row, b.min_column, b.max_column) == (a.min_row, a.max_row, a.min_column, a.max_column)
    assert (b.max_row is None) is not declared
    assert [ws.title for ws in ours.worksheets] == [ws.title for ws in theirs.worksheets]
    assert list(iter_values(b, min_row=1, max_col=4)) == list(iter_values(a, min_row=1, max_col=4))
    assert list(b.iter_rows(values_only=True, max_row=3)) == list(a.iter_rows(values_only=True, max_row=3))
    theirs.close()
    ours.close()
