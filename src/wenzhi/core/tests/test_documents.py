"""The official-document writer: the DOCX opened again names the official fonts, the title and the 文号; the PDF's
text extracts back exactly; bad documents are refused with the element named."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from wenzhi.core.documents import (
    DocumentError,
    Figure,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    cjk_font_available,
    format_date,
    render_docx,
    render_html,
    render_pdf,
)


def notice(**changes) -> OfficialDocument:
    fields: dict[str, Any] = dict(
        issuer="天津市文化和旅游局文件",
        number="津文旅发〔2026〕12号",
        title="关于公布2026年度市级重点文化产业项目名单的通知",
        addressee="各区文化和旅游局",
        body=[
            Heading("入选项目"),
            Paragraph("经区级推荐、专家评审和公示，确定智慧剧场等3个项目为市级重点项目。"),
            Heading("资金安排", level=2),
            Table(["序号", "项目名称", "所在区"], [["1", "智慧剧场", "和平区"], ["2", "数字博物馆", "河西区"]],
                  caption="表1 入选项目"),
            Heading("工作要求"),
        ],
        signature="天津市文化和旅游局",
        date=datetime.date(2026, 12, 1),
        attachment_note="2026年度市级重点项目名单",
        copy_to="市发展改革委，市财政局",
    )
    fields.update(changes)
    return OfficialDocument(**fields)


def east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_names_official_fonts_title_and_number():
    word = Document(io.BytesIO(render_docx(notice())))
    paragraphs = [p for p in word.paragraphs if p.text]
    by_text = {p.text: p for p in paragraphs}
    mark = by_text["天津市文化和旅游局文件"]
    assert mark.runs[0].font.color.rgb is not None and str(mark.runs[0].font.color.rgb).startswith("E6")
    assert east_asian_font(mark.runs[0]) == "方正小标宋简体"
    title = by_text["关于公布2026年度市级重点文化产业项目名单的通知"]
    assert east_asian_font(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    number = by_text["津文旅发〔2026〕12号"]
    assert east_asian_font(number.runs[0]) == "仿宋_GB2312"
    assert number._p.pPr.find(qn("w:pBdr")) is not None  # the red separator line under the 文号
    body = by_text["经区级推荐、专家评审和公示，确定智慧剧场等3个项目为市级重点项目。"]
    assert east_asian_font(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert east_asian_font(by_text["一、入选项目"].runs[0]) == "黑体"
    assert east_asian_font(by_text["（一）资金安排"].runs[0]) == "楷体_GB2312"
    assert "二、工作要求" in by_text and "各区文化和旅游局：" in by_text
    assert by_text["2026年12月1日"].alignment == 2  # right
    assert word.tables[0].cell(2, 1).text == "数字博物馆"
    section = word.sections[0]
    assert round(section.top_margin.mm, 1) == 37 and round(section.left_margin.mm, 1) == 28
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    assert round(width / Mm(1), 1) == 156
    assert "PAGE" in section.footer._element.xml and "— " in section.footer.paragraphs[0].text
    assert word.core_properties.title == notice().title and word.core_properties.subject == "津文旅发〔2026〕12号"


def test_chinese_numeral_date():
    assert format_date(datetime.date(2026, 12, 1), "chinese") == "二〇二六年十二月一日"
    assert format_date(datetime.date(2020, 10, 21), "chinese") == "二〇二〇年十月二十一日"
    assert notice(date_numerals="chinese").date_text == "二〇二六年十二月一日"


def test_bad_documents_are_refused_naming_the_element():
    with pytest.raises(DocumentError, match="标题"):
        notice(title="  ")
    with pytest.raises(DocumentError, match="第 2 行"):
        notice(body=[Table(["a", "b"], [["1", "2"], ["3"]])])
    svg = Figure(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', caption="图")
    with pytest.raises(DocumentError, match="PNG"):
        render_docx(notice(body=[svg]))


def test_html_preview_escapes_and_numbers_headings():
    html = render_html(notice(body=[Heading("<b>一</b>"), Paragraph("a & b")]))
    assert html.startswith('<article class="gw-doc">')
    assert "一、&lt;b&gt;一&lt;/b&gt;" in html and "a &amp; b" in html and "津文旅发〔2026〕12号" in html


@pytest.mark.skipif(not cjk_font_available(), reason="CJK font not installed: run `make assets` (npm) to get it")
def test_pdf_text_extracts_back():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(notice())))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    for expected in ("天津市文化和旅游局文件", "津文旅发〔2026〕12号", "关于公布2026年度市级重点文化产业项目名单的通知",
                     "各区文化和旅游局：", "经区级推荐、专家评审和公示", "数字博物馆", "2026年12月1日", "—1—"):
        assert expected in text, expected
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"].get_object()["/Font"].get_object().values()}  # type: ignore[index]
    assert any("Source-Han-Sans-SC" in name for name in fonts)  # embedded, not a system fallback


def test_pdf_without_font_names_the_fix(settings, tmp_path):
    from wenzhi.core.documents import CJKFontMissing

    settings.WENZHI_FONT_DIR = tmp_path
    with pytest.raises(CJKFontMissing, match="make assets"):
        render_pdf(notice())


@pytest.mark.skipif(not cjk_font_available(), reason="CJK font not installed: run `make assets` (npm) to get it")
def test_charts_draw_cjk_labels_into_png_svg_and_the_pdf():
    from pypdf import PdfReader

    from wenzhi.core.documents import charts

    png = charts.bar_chart(["和平区", "河西区", "南开区"], [12, 9.5, 3], title="各区项目数", unit="个")
    assert png.startswith(b"\x89PNG")
    svg = charts.line_chart(["2018Q1", "2018Q2"], {"增加值": [1, 2], "营业收入": [3, None]}, fmt="svg")
    assert b"<svg" in svg[:500] and b"<path" in svg
    pie = charts.pie_chart(["文化制造业", "文化服务业"], [40, 60], fmt="png")
    assert pie.startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="标签有 2 个"):
        charts.bar_chart(["甲", "乙"], [1])
    doc = notice(body=[Paragraph("正文"), Figure(png, caption="图1 各区项目数"), Figure(svg, caption="图2 趋势")])
    reader = PdfReader(io.BytesIO(render_pdf(doc)))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "图1 各区项目数" in text and "图2 趋势" in text
    word = Document(io.BytesIO(render_docx(notice(body=[Figure(png, caption="图1")]))))
    assert len(word.inline_shapes) == 1
