"""A bulletin as an official document (GB/T 9704-2012): the core writer's OfficialDocument with the bulletin's
headings, paragraphs and charts (drawn from the charts' named queries), and its DOCX and PDF."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from wenzhi.core.documents import Figure, Heading, OfficialDocument, Paragraph, render_docx, render_pdf

from .check import render
from .figures import FigureRef

ISSUER = "天津市文化产业统计通报"
SIGNATURE = "天津市文化和旅游局"
ADDRESSEE = "各区文化和旅游局，市有关部门"
NUMBER_PREFIX = "津文旅统"
HEADING = re.compile(r"^[一二三四五六七八九十]+、(?P<text>.+)$")


def number_text(year: int, number: int | None) -> str:
    """The 发文字号 of the ``number``-th bulletin of ``year``: 津文旅统〔2018〕3号."""
    return f"{NUMBER_PREFIX}〔{year}〕{number}号" if number else ""


def chart_image(chart: dict, figures: dict[str, FigureRef]) -> bytes | None:
    """A chart of the bulletin as PNG bytes, from the data its figure's query showed (None without data)."""
    import json

    from wenzhi.core.documents import charts  # matplotlib loads only when a chart is drawn

    ref = figures.get(chart["figure"])
    if ref is None:
        return None
    rows = json.loads(ref.value)
    labels, values = [r[0] for r in rows], [Decimal(r[1]) for r in rows]
    if chart["kind"] == "line":
        from .queries import period_label

        labels = [period_label(code) for code in labels]
        return charts.line_chart(labels, {chart["title"]: values}, title=chart["title"], unit=ref.unit)
    return charts.bar_chart(labels, values, title=chart["title"], unit=ref.unit)


def official_document(*, title: str, paragraphs: list[str], figures: dict[str, FigureRef], chart_specs: list[dict],
                      number: str, date: datetime.date) -> OfficialDocument:
    """The bulletin laid out as a 公文: numbered headings (黑体), paragraphs (仿宋), the charts as figures."""
    body: list = []
    for text in paragraphs:
        shown = render(text, figures)
        heading = HEADING.match(shown)
        body.append(Heading(heading["text"]) if heading else Paragraph(shown))
    for index, chart in enumerate(chart_specs, start=1):
        image = chart_image(chart, figures)
        if image is not None:
            body.append(Figure(image, caption=f"图{index} {chart['title']}"))
    return OfficialDocument(issuer=ISSUER, number=number or "津文旅统〔　　〕　号", title=title,
                            addressee=ADDRESSEE, body=body, signature=SIGNATURE, date=date)


def bulletin_document(bulletin, *, date: datetime.date | None = None) -> OfficialDocument:
    from django.utils import timezone

    figures = {k: FigureRef.from_dict(v) for k, v in bulletin.figures.items()}
    return official_document(title=bulletin.title, paragraphs=bulletin.paragraphs, figures=figures,
                             chart_specs=bulletin.charts, number=bulletin.document_number,
                             date=date or bulletin.issued_on or timezone.localdate())


def bulletin_files(bulletin, *, date: datetime.date | None = None) -> tuple[bytes, bytes]:
    """The bulletin's DOCX and PDF bytes (PDF raises CJKFontMissing when the font is not installed)."""
    doc = bulletin_document(bulletin, date=date)
    return render_docx(doc), render_pdf(doc)
