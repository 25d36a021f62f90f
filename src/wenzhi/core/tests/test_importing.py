"""The generic import engine on toy schemas: formats, encodings, zip bombs, headers, cells, runs and reports."""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from wenzhi.core import importing
from wenzhi.core.importing import (
    CellContext,
    CellError,
    Field,
    HeaderError,
    Importer,
    ImportFileError,
    ParsedRow,
    Schema,
    date_parser,
    decimal_parser,
    int_parser,
    map_headers,
    open_table,
    parse_date_value,
    run_import,
    sniff_format,
    text_parser,
    write_report_csv,
)
from wenzhi.core.importing.checked import CheckedRowsWriter, read_checked

EXCEL_DATETIME = dt.datetime(2018, 5, 1)  # noqa: DTZ001 - Excel date cells are naive datetimes

SCHEMA = Schema("toy", "测试", (
    Field("name", "企业名称", ("单位名称", "名称"), required=True, parse=text_parser(50)),
    Field("amount", "营业收入", ("收入",), parse=decimal_parser(), unit="万元"),
    Field("people", "从业人员", ("职工人数",), parse=int_parser(), unit="人"),
    Field("founded", "成立日期", ("成立时间",), parse=date_parser()),
    Field("note", "备注"),
))


def xlsx_bytes(rows, *, merges=(), title="Sheet1") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_of(data: bytes, name="t.xlsx", **kw):
    return open_table(io.BytesIO(data), SCHEMA, filename=name, **kw)


def values(table):
    return list(table.rows())


class Recorder(Importer):
    schema = SCHEMA
    batch_size = 2

    def __init__(self):
        self.written: list[list[int]] = []

    def check(self, row: ParsedRow) -> None:
        row.action = "create"
        if row.values.get("name") == "坏":
            row.error("name", "名称不行")

    def write(self, rows):
        self.written.append([r.number for r in rows])
        return len(rows), 0


# ----------------------------------------------------------------------------------------------- formats

def test_renamed_xls_gets_its_own_message():
    with pytest.raises(ImportFileError, match=r"这是旧版 Excel 97-2003 \(\.xls\) 文件，请另存为 \.xlsx"):
        sniff_format(importing.sniff.OLE2_MAGIC + b"\x00" * 504, "名单.xlsx")


def test_encrypted_workbook_and_html_export_and_pdf_are_named():
    enc = importing.sniff.OLE2_MAGIC + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(ImportFileError, match="打开密码"):
        sniff_format(enc, "a.xlsx")
    with pytest.raises(ImportFileError, match="网页 \\(HTML\\)"):
        sniff_format(b"<html><table><tr><td>1</td></tr></table></html>", "a.xls")
    with pytest.raises(ImportFileError, match="PDF"):
        sniff_format(b"%PDF-1.7 ...", "a.xlsx")


def test_empty_file_is_refused_with_its_name():
    with pytest.raises(ImportFileError, match="空.xlsx 是空文件（0 字节）"):
        open_table(io.BytesIO(b""), SCHEMA, filename="空.xlsx")


def test_header_only_and_empty_sheet():
    table = table_of(xlsx_bytes([["企业名称", "营业收入"]]))
    with pytest.raises(ImportFileError, match="只有表头（第 1 行），没有数据行"):
        run_import(table, Recorder(), commit=False)
    with pytest.raises(ImportFileError, match="没有数据：工作表“Sheet1”是空的"):
        table_of(xlsx_bytes([]))


def test_csv_named_xlsx_is_read_as_csv_with_a_note():
    table = table_of("企业名称,收入\n文智,12\n".encode(), name="a.xlsx")
    assert table.format == "csv"
    assert "内容是文本 (CSV)" in table.notes[0]
    assert values(table) == [(2, ["文智", "12"])]


def test_zip_without_workbook_and_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportFileError, match="Word 文档"):
        table_of(buf.getvalue())


def _bomb(entry_size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            block = b"\0" * (1 << 20)
            for _ in range(entry_size >> 20):
                fh.write(block)
    return buf.getvalue()


def test_zip_bomb_is_refused_from_the_directory_before_openpyxl_opens_it(monkeypatch):
    def explode(*a, **k):
        raise AssertionError("openpyxl must not be called on a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", explode)
    data = _bomb(40 << 20)
    assert len(data) < 200_000
    with pytest.raises(ImportFileError) as exc:
        table_of(data, name="炸弹.xlsx")
    message = str(exc.value)
    assert "压缩炸弹" in message and "xl/worksheets/sheet1.xml" in message and "40.0 MB" in message


def test_zip_bomb_total_size_limit(monkeypatch):
    monkeypatch.setattr(importing.base, "MAX_UNCOMPRESSED_BYTES", 3 << 20)
    monkeypatch.setattr(importing.base, "RATIO_CHECK_FROM", 1 << 40)
    with pytest.raises(ImportFileError, match="解压后合计 4.0 MB"):
        table_of(_bomb(4 << 20))


def test_truncated_xlsx_says_it_is_damaged():
    data = xlsx_bytes([["企业名称"], ["文智"]])
    with pytest.raises(ImportFileError, match="已损坏|不是有效的"):
        table_of(data[: len(data) // 2])


# --------------------------------------------------------------------------------------------- encodings

def test_gbk_file_declared_as_utf8_is_still_read_right():
    data = "企业名称,营业收入（万元）\n天津文智传媒有限公司,1234.5\n和平文化,12\n".encode("gbk")
    table = table_of(data, name="名单.csv", declared_encoding="utf-8")
    assert table.encoding == "GBK"
    assert any("声明为 UTF-8，但内容实际是 GBK" in n for n in table.notes)
    assert values(table)[0] == (2, ["天津文智传媒有限公司", "1234.5"])
    assert [c.field for c in table.columns] == ["name", "amount"]


def test_utf8_bom_and_utf16_tab_separated():
    assert table_of("\ufeff企业名称,收入\n甲,1\n".encode(), name="a.csv").encoding == "UTF-8 (BOM)"
    t = table_of("企业名称\t收入\n甲\t1\n".encode("utf-16"), name="a.txt")
    assert t.encoding == "UTF-16" and values(t) == [(2, ["甲", "1"])]


def test_mixed_encodings_are_reported_with_the_line():
    data = "企业名称,收入\n天津文智,1\n".encode() + "和平文化,2\n".encode("gbk")
    with pytest.raises(ImportFileError, match="编码混杂：第 3 行以前是 UTF-8 中文"):
        table_of(data, name="混合.csv")


# ------------------------------------------------------------------------------------------------ headers

def test_header_row_found_below_a_title_and_rows_numbered_as_in_excel():
    data = xlsx_bytes([["2019 年文化企业名单"], [], ["序号", "企业名称", "营业收入"], [1, "甲", 5], [], [2, "乙", 6]])
    table = table_of(data)
    assert table.header_row == 3
    assert [n for n, _ in values(table) if any(v is not None for v in _)] == [4, 6]
    result = run_import(table_of(data), Recorder(), commit=False)
    assert result.total_rows == 2


def test_synonyms_units_overrides_and_missing_required():
    cols, notes = map_headers(["单位名称", "收入（元）", "职工人数", "说明"], SCHEMA)
    by = {c.header: c for c in cols}
    assert by["单位名称"].field == "name" and by["单位名称"].how == "synonym"
    assert by["收入（元）"].field == "amount" and by["收入（元）"].scale == Decimal("0.0001")
    assert by["说明"].field is None and by["说明"].how == "unknown"
    cols, _ = map_headers(["公司", "收入"], SCHEMA, {"公司": "name", "B": ""})
    assert [(c.field, c.how) for c in cols] == [("name", "user"), (None, "ignored")]
    with pytest.raises(HeaderError, match="缺少必填列：“企业名称”（可用列名：企业名称、单位名称、名称）"):
        map_headers(["收入", "备注"], SCHEMA)
    with pytest.raises(HeaderError, match="单位“美元”无法换算为“万元”"):
        map_headers(["企业名称", "营业收入（美元）"], SCHEMA)


def test_duplicate_columns_use_the_first_and_say_so():
    cols, notes = map_headers(["企业名称", "单位名称"], SCHEMA)
    assert cols[1].field is None and cols[1].how == "duplicate"
    assert "都对应“企业名称”" in notes[0]


def test_two_row_header_with_merged_cells_is_resolved():
    data = xlsx_bytes([["企业名称", "经营数据", None], [None, "营业收入（万元）", "从业人员"], ["文智", 10, 3]],
                      merges=["A1:A2", "B1:C1"])
    table = table_of(data)
    assert table.header_row == 2
    assert [c.field for c in table.columns] == ["name", "amount", "people"]
    assert any("表头“企业名称”是合并单元格 A1:A2，已用作第 A 列的列名" in n for n in table.notes)
    assert values(table) == [(3, ["文智", 10, 3])]


def test_two_row_header_picked_at_its_top_row_extends_down():
    data = xlsx_bytes([["企业名称", "从业人员", "经营数据", None], [None, None, "营业收入", "成立日期"],
                       ["文智", 3, 10, "2018-05-01"]], merges=["A1:A2", "B1:B2", "C1:D1"])
    table = table_of(data)
    assert table.header_row == 2
    assert [c.field for c in table.columns] == ["name", "people", "amount", "founded"]
    assert any("表头占第 1–2 行" in n for n in table.notes)
    assert run_import(table, Recorder(), commit=False).valid_rows == 1


def test_header_merged_across_columns_is_reported():
    data = xlsx_bytes([["企业名称", "营业收入", None], ["文智", 10, 20]], merges=["B1:C1"])
    table = table_of(data)
    note = next(n for n in table.notes if "合并单元格 B1:C1" in n)
    assert "第 C 列没有列名，不会导入" in note


def test_data_cells_merged_down_are_row_errors():
    data = xlsx_bytes([["企业名称", "备注"], ["甲", "同上"], ["乙", None]], merges=["B2:B3"])
    result = run_import(table_of(data), Recorder(), commit=False)
    assert result.errors[0].row == 3 and "合并单元格 B2:B3" in result.errors[0].error


# ------------------------------------------------------------------------------------------------ cells

def test_formula_without_saved_result_is_reported_and_cached_result_is_used():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业名称", "营业收入"])
    ws.append(["甲", "=1+2"])
    ws.append(["乙", "=SUM(B2:B2)"])
    buf = io.BytesIO()
    wb.save(buf)
    # Give the first formula the result Excel would have saved; the second keeps none.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"(<c r=\"B2\"[^>]*>\s*<f>1\+2</f>)\s*(<v\s*/>|<v></v>)?", rb"\1<v>3</v>", content)
            dst.writestr(info, content)
    result = run_import(table_of(out.getvalue()), Recorder(), commit=False)
    assert result.valid_rows == 1
    (err,) = result.errors
    assert err.row == 3 and err.column == "营业收入"
    assert "单元格 B3 是公式“=SUM(B2:B2)”，文件中没有保存计算结果" in err.error


def test_excel_error_values_are_row_errors():
    result = run_import(table_of("企业名称,收入\n甲,#DIV/0!\n".encode()), Recorder(), commit=False)
    assert "Excel 错误值 #DIV/0!" in result.errors[0].error


@pytest.mark.parametrize("raw,unit,expected", [
    ("1,234.5", "", Decimal("1234.50")), ("１２３４", "", Decimal("1234.00")), (1234.5, "", Decimal("1234.50")),
    ("12万元", "", Decimal("12.00")), ("1.2亿元", "", Decimal("12000.00")), ("500元", "", Decimal("0.05")),
    ("12,000", "元", Decimal("1.20")), ("¥1,000", "", Decimal("1000.00")),
])
def test_numbers(raw, unit, expected):
    f = SCHEMA.field("amount")
    scale = importing.unit_scale(unit, "万元")
    assert f.parse(raw, CellContext(f, scale)) == expected


@pytest.mark.parametrize("raw,message", [("约100", "不是数字"), ("-5", "不能为负数"), ("12美元", "无法换算")])
def test_bad_numbers(raw, message):
    f = SCHEMA.field("amount")
    with pytest.raises(CellError, match=message):
        f.parse(raw, CellContext(f))


def test_integers():
    f = SCHEMA.field("people")
    assert f.parse("12人", CellContext(f)) == 12
    with pytest.raises(CellError, match="应为整数"):
        f.parse("12.5", CellContext(f))


@pytest.mark.parametrize("raw", ["2018-05-01", "2018/5/1", "2018.5.1", "2018年5月1日", "20180501", 43221, "43221",
                                 EXCEL_DATETIME])
def test_dates(raw):
    assert parse_date_value(raw) == dt.date(2018, 5, 1)


@pytest.mark.parametrize("raw,message", [
    ("2019-02-30", "日期不存在：2019 年 2 月没有 30 日"), ("2019年13月1日", "没有 13 月"),
    ("2019年5月", "只有年月，缺少日"), ("去年", "不是可识别的日期"),
])
def test_bad_dates(raw, message):
    with pytest.raises(CellError, match=message):
        parse_date_value(raw)


def test_future_date_refused():
    f = Field("d", "日期", parse=date_parser())
    with pytest.raises(CellError, match="不能是将来的日期"):
        f.parse("2999-01-01", CellContext(f))


# ------------------------------------------------------------------------------------------------- runs

CSV = "企业名称,收入,从业人员\n甲,1,2\n乙,x,3\n丙,3,4\n,4,5\n丁,5,6\n".encode()


def test_all_or_nothing_writes_nothing_when_a_row_is_invalid():
    imp = Recorder()
    result = run_import(table_of(CSV, name="a.csv"), imp, commit=True)
    assert imp.written == [] and not result.committed
    assert result.invalid_rows == 2 and result.valid_rows == 3
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "收入", "x"), (5, "企业名称", "")]
    assert result.errors[1].error == "“企业名称”是必填项，不能为空"
    assert "没有写入任何数据" in result.message


def test_skip_invalid_writes_the_valid_rows_in_batches_with_progress(db):
    imp = Recorder()
    calls = []
    result = run_import(table_of(CSV, name="a.csv"), imp, commit=True, skip_invalid=True,
                        progress=lambda d, t, p: calls.append((d, p)))
    assert imp.written == [[2, 4], [6]]
    assert result.committed and result.created == 3
    assert ("write", 3) in {(p, d) for d, p in calls}


def test_dry_run_reports_plan_and_writes_nothing():
    imp = Recorder()
    result = run_import(table_of(CSV, name="a.csv"), imp, commit=False)
    assert imp.written == [] and result.dry_run and result.to_create == 3
    assert [p["row"] for p in result.plan] == [2, 4, 6]


def test_failure_inside_the_write_rolls_back(db):
    from wenzhi.core.models import Organisation

    class Failing(Recorder):
        def write(self, rows):
            Organisation.objects.create(level="institution", name=f"临时{rows[0].number}")
            if len(self.written) == 1:
                raise RuntimeError("disk full")
            self.written.append([r.number for r in rows])
            return len(rows), 0

    before = Organisation.objects.count()
    with pytest.raises(RuntimeError):
        run_import(table_of(CSV, name="a.csv"), Failing(), commit=True, skip_invalid=True)
    assert Organisation.objects.count() == before


def test_total_rows_are_skipped_with_a_note():
    result = run_import(table_of("企业名称,收入\n甲,1\n合计,1\n".encode(), name="a.csv"), Recorder(), commit=False)
    assert result.total_rows == 1 and any("“合计”行" in n for n in result.notes)


def test_report_csv_columns_and_formula_injection():
    result = run_import(table_of("企业名称,收入\n坏,=cmd|' /C calc'!A0\n".encode(), name="a.csv"), Recorder(),
                        commit=False)
    out = io.StringIO()
    write_report_csv(result.errors, out)
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0] == "row,column,value,error"
    assert any(line.startswith("2,收入,'=cmd") for line in lines)
    assert any(line.startswith("2,企业名称,坏,名称不行") for line in lines)


def test_checked_rows_come_back_as_checked():
    data = xlsx_bytes([["企业名称", "成立日期", "营业收入"], ["甲", EXCEL_DATETIME, 1.5], ["乙", None, 2]])
    buf = io.BytesIO()
    writer = CheckedRowsWriter(buf, batch_size=1)
    first = run_import(table_of(data), Recorder(), commit=False, keep=writer)
    writer.close()
    buf.seek(0)
    rows = [r for batch in read_checked(buf) for r in batch]
    assert first.valid_rows == 2 == writer.count
    assert [(r.number, r.values) for r in rows] == [
        (2, {"name": "甲", "founded": dt.date(2018, 5, 1), "amount": Decimal("1.50")}),
        (3, {"name": "乙", "amount": Decimal("2.00")})]


def test_checked_rows_file_is_data_not_code():
    buf = io.BytesIO(pickle.dumps([(2, "create", None, "", ("name",), (os.system,))]))
    with pytest.raises(pickle.UnpicklingError):
        list(read_checked(buf))
