"""The official-document writer: one ``OfficialDocument`` → DOCX, PDF or HTML in the GB/T 9704-2012 公文 layout.

Statistics bulletins, project selection notices and any other formal paper the platform issues are built as data
and rendered here; no domain knowledge lives in this package::

    from wenzhi.core.documents import (OfficialDocument, Heading, Paragraph, Table, Figure,
                                       render_docx, render_pdf, render_html, charts)

    doc = OfficialDocument(
        issuer="天津市文化和旅游局文件", number="津文旅发〔2026〕12号",
        title="关于公布2026年度市级重点文化产业项目名单的通知", addressee="各区文化和旅游局",
        body=[Heading("入选项目"), Paragraph("经评审和公示，……"),
              Table(["序号", "项目", "区"], [["1", "智慧剧场", "和平区"]], caption="表1 入选项目"),
              Figure(charts.bar_chart(["和平区", "河西区"], [12, 9], title="各区项目数"), caption="图1 各区项目数")],
        signature="天津市文化和旅游局", date=datetime.date(2026, 12, 1),
        attachment_note="2026年度市级重点项目名单", copy_to="市发展改革委，市财政局")
    docx_bytes = render_docx(doc)   # Word file naming 方正小标宋简体 / 仿宋_GB2312 / 黑体 / 楷体_GB2312
    pdf_bytes = render_pdf(doc)     # Source Han Sans SC embedded; raises CJKFontMissing (with the fix) if absent
    fragment = render_html(doc)     # <article class="gw-doc"> for a web preview; link core/official-document.css

Errors: ``DocumentError`` (a ValueError) for a document that cannot be written as given — the message is Chinese and
names the element; ``CJKFontMissing`` when the PDF/chart font is not installed (``cjk_font_available()`` tells
beforehand, e.g. to skip a test). ``charts`` draws bar, line and pie charts with CJK labels as PNG or SVG bytes.
"""

from .docx import render_docx
from .fonts import CJKFontMissing, cjk_font_available, cjk_font_files
from .model import (
    Block,
    DocumentError,
    Figure,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    chinese_number,
    format_date,
)
from .pdf import render_pdf
from .webpage import render_html

__all__ = [
    "Block",
    "CJKFontMissing",
    "DocumentError",
    "Figure",
    "Heading",
    "OfficialDocument",
    "Paragraph",
    "Table",
    "chinese_number",
    "cjk_font_available",
    "cjk_font_files",
    "format_date",
    "render_docx",
    "render_html",
    "render_pdf",
]
