"""GB/T 9704-2012 layout of an ``OfficialDocument`` as a Word file (python-docx).

The DOCX names the official fonts (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) on every run, for the Latin and the
East Asian script alike (``w:eastAsia``: without it Word sets Chinese in the theme font); the reader's Word supplies
the fonts, as in every government office. Page: A4, top margin 37 mm, left 28 mm, version core 156 × 225 mm,
22 lines of 28 characters; page numbers "— 1 —" in 4号 outside (odd right, even left).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from .model import DocumentError, Figure, Heading, OfficialDocument, Paragraph, Table, numbered_headings

# Official font names, as Word looks them up.
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

SIZE_2 = Pt(22)  # 2号: title
SIZE_3 = Pt(16)  # 3号: body
SIZE_4 = Pt(14)  # 4号: 版记, page numbers
SIZE_TABLE = Pt(12)  # 小四: table cells
RED = RGBColor(0xE6, 0x00, 0x12)  # the red of 版头 and its separator line
LINE = Pt(28.95)  # 225 mm / 22 lines
CHAR = 16  # points per character of 3号 text
CORE_WIDTH_PT = 156 / 25.4 * 72


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as DOCX bytes, laid out per GB/T 9704-2012 (see the module docstring)."""
    word = Document()
    _page_setup(word)
    _head(word, doc)
    _title_and_addressee(word, doc)
    for block, label in numbered_headings(doc.body):
        _block(word, block, label)
    _closing(word, doc)
    _imprint(word, doc)
    props = word.core_properties
    props.title, props.subject, props.author = doc.title, doc.number, doc.signature
    props.keywords = "GB/T 9704-2012"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def set_font(run, name: str, size=SIZE_3, *, bold: bool = False, color: RGBColor | None = None) -> None:
    """Give ``run`` the font ``name`` for Latin and East Asian text alike (python-docx sets only the Latin one)."""
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), name)


def _page_setup(word) -> None:
    section = word.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), "579")
    grid.set(qn("w:charSpace"), "0")
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = FANGSONG, SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    word.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: DocxParagraph, alignment) -> None:
    """"— N —" in 4号 宋体, one character in from the outer edge (odd pages right, even pages left)."""
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    set_font(paragraph.add_run("— "), SONGTI, SIZE_4)
    run = paragraph.add_run()
    set_font(run, SONGTI, SIZE_4)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    set_font(paragraph.add_run(" —"), SONGTI, SIZE_4)


def _paragraph(word, text: str = "", font: str = FANGSONG, *, size=SIZE_3, align=None, indent_chars: float = 0,
               bold: bool = False, color: RGBColor | None = None) -> DocxParagraph:
    paragraph = word.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent_chars:
        paragraph.paragraph_format.first_line_indent = Pt(CHAR * indent_chars)
    if text:
        set_font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _border(paragraph: DocxParagraph, side: str, *, size_eighths: int, color: str, space: int = 0) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _head(word, doc: OfficialDocument) -> None:
    """版头: 份号, 密级, 紧急程度 top left (黑体), the red 发文机关标志, 发文字号 and the red separator line."""
    used = 0
    for text in (doc.copy_number, doc.secrecy, doc.urgency):
        if text:
            _paragraph(word, text, HEITI)
            used += 1
    # The mark's top edge sits 35 mm below the top of the version core (下行文).
    mark = _paragraph(word, doc.issuer, XIAOBIAOSONG, size=Pt(_mark_size(doc.issuer)),
                      align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    mark.paragraph_format.space_before = Pt(max(0.0, 35 / 25.4 * 72 - used * LINE.pt - 8))
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    _paragraph(word)
    _paragraph(word)
    number = _paragraph(word, doc.number, FANGSONG, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", size_eighths=8, color=str(RED), space=11)  # 4 mm below the 文号, core wide


def _mark_size(issuer: str) -> float:
    """The mark's point size: 36 pt (about 22 mm wide per character … narrower for long names) within the core."""
    return min(36.0, round(CORE_WIDTH_PT * 0.95 / max(1, len(issuer)), 1))


def _title_and_addressee(word, doc: OfficialDocument) -> None:
    _paragraph(word)
    title = _paragraph(word, doc.title, XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(35)
    _paragraph(word)
    if doc.addressee_line:
        _paragraph(word, doc.addressee_line, FANGSONG)


def _block(word, block, label: str) -> None:
    if isinstance(block, Heading):
        font = HEITI if block.level == 1 else KAITI
        _paragraph(word, label + block.text, font, indent_chars=2)
    elif isinstance(block, Paragraph):
        _paragraph(word, block.text, FANGSONG, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    elif isinstance(block, Table):
        _table(word, block)
    elif isinstance(block, Figure):
        _figure(word, block)


def _table(word, block: Table) -> None:
    if block.caption:
        _paragraph(word, block.caption, HEITI, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = word.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, values in enumerate([block.headers, *block.rows]):
        for cell, value in zip(table.rows[row_index].cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            set_font(paragraph.add_run(str(value)), HEITI if row_index == 0 else FANGSONG, SIZE_TABLE)


def _figure(word, block: Figure) -> None:
    if block.is_svg:
        raise DocumentError("DOCX 只能放 PNG 图片：图表请用 charts 的 fmt='png'（SVG 只用于网页和 PDF）")
    paragraph = _paragraph(word, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.add_run().add_picture(io.BytesIO(block.image), width=Mm(min(block.width_mm, 156)))
    if block.caption:
        _paragraph(word, block.caption, FANGSONG, align=WD_ALIGN_PARAGRAPH.CENTER)


def text_width(text: str) -> float:
    """Width in characters of 3号: a CJK character is one, a Latin letter or digit half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def _closing(word, doc: OfficialDocument) -> None:
    """附件说明, then the 发文机关署名 centred over the 成文日期, which stands four characters in from the right."""
    if doc.attachment_note.strip():
        _paragraph(word)
        lines = [line.strip() for line in doc.attachment_note.strip().splitlines() if line.strip()]
        for index, line in enumerate(lines):
            paragraph = _paragraph(word, ("附件：" if index == 0 else "") + line, FANGSONG)
            paragraph.paragraph_format.left_indent = Pt(CHAR * (2 if index == 0 else 5))
    _paragraph(word)
    _paragraph(word)
    date_width, sign_width = text_width(doc.date_text), text_width(doc.signature)
    sign = _paragraph(word, doc.signature, FANGSONG, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date = _paragraph(word, doc.date_text, FANGSONG, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(CHAR * (4 + max(0.0, (date_width - sign_width) / 2)))
    date.paragraph_format.right_indent = Pt(CHAR * (4 + max(0.0, (sign_width - date_width) / 2)))


def _imprint(word, doc: OfficialDocument) -> None:
    """版记: 抄送机关 and 印发机关和印发日期 in 4号仿宋 between separator lines (first and last thicker)."""
    _paragraph(word)
    _paragraph(word)
    printer, printed = doc.imprint
    rows = []
    if doc.copy_to.strip():
        rows.append(_paragraph(word, "抄送：" + doc.copy_to.strip().rstrip("。") + "。", FANGSONG, size=SIZE_4))
    last = _paragraph(word, printer, FANGSONG, size=SIZE_4)
    last.paragraph_format.tab_stops.add_tab_stop(Pt(CORE_WIDTH_PT - 14), WD_TAB_ALIGNMENT.RIGHT)
    set_font(last.add_run("\t" + printed), FANGSONG, SIZE_4)
    rows.append(last)
    for paragraph in rows:
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Pt(14)
    _border(rows[0], "top", size_eighths=8, color="000000", space=4)
    if len(rows) > 1:
        _border(rows[0], "bottom", size_eighths=6, color="000000", space=4)
    _border(rows[-1], "bottom", size_eighths=8, color="000000", space=4)
