"""An ``OfficialDocument`` as HTML: a fragment for the web preview, or a whole page that ``pdf.py`` prints.

The fragment is an ``<article class="gw-doc">`` styled by ``core/static/core/official-document.css`` (link it in
the page); images are inline ``data:`` URIs, so the fragment stands alone.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from .model import Figure, Heading, OfficialDocument, Paragraph, Table, numbered_headings

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "core" / "official-document.css"


def render_html(doc: OfficialDocument, *, standalone: bool = False, extra_css: str = "") -> str:
    """The document as HTML: the ``<article>`` fragment, or with ``standalone=True`` a whole page with its CSS."""
    parts = ['<article class="gw-doc">', '<header class="gw-head">']
    for css, text in (("gw-copy", doc.copy_number), ("gw-secrecy", doc.secrecy), ("gw-urgency", doc.urgency)):
        if text:
            parts.append(f'<p class="{css}">{escape(text)}</p>')
    parts += [
        f'<h1 class="gw-issuer">{escape(doc.issuer)}</h1>',
        f'<p class="gw-number">{escape(doc.number)}</p>',
        '<hr class="gw-redline">',
        "</header>",
        f'<h2 class="gw-title">{escape(doc.title)}</h2>',
    ]
    if doc.addressee_line:
        parts.append(f'<p class="gw-addressee">{escape(doc.addressee_line)}</p>')
    parts.append('<div class="gw-body">')
    parts += [_block(block, label) for block, label in numbered_headings(doc.body)]
    parts.append("</div>")
    parts += _closing(doc)
    parts.append("</article>")
    fragment = "\n".join(parts)
    if not standalone:
        return fragment
    css = STYLESHEET.read_text(encoding="utf-8") + extra_css
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(doc.title)}</title>'
        f"<style>{css}</style></head><body>{fragment}</body></html>"
    )


def _block(block, label: str) -> str:
    if isinstance(block, Heading):
        return f'<h3 class="gw-h{block.level}">{escape(label + block.text)}</h3>'
    if isinstance(block, Paragraph):
        return f'<p class="gw-p">{escape(block.text)}</p>'
    if isinstance(block, Table):
        head = "".join(f"<th>{escape(str(cell))}</th>" for cell in block.headers)
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in block.rows
        )
        caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
        return f'<table class="gw-table">{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    assert isinstance(block, Figure)
    mime = "image/svg+xml" if block.is_svg else "image/png"
    data = base64.b64encode(block.image).decode("ascii")
    caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
    return (
        f'<figure class="gw-figure"><img src="data:{mime};base64,{data}" alt="{escape(block.caption)}" '
        f'style="width:{min(block.width_mm, 156):.0f}mm">{caption}</figure>'
    )


def _closing(doc: OfficialDocument) -> list[str]:
    parts = []
    lines = [line.strip() for line in doc.attachment_note.strip().splitlines() if line.strip()]
    if lines:
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        parts.append(f'<div class="gw-attachments"><span>附件：</span><ol>{items}</ol></div>')
    parts.append(
        f'<div class="gw-sign"><p class="gw-signature">{escape(doc.signature)}</p>'
        f'<p class="gw-date">{escape(doc.date_text)}</p></div>'
    )
    printer, printed = doc.imprint
    copy = f'<p class="gw-copyto">抄送：{escape(doc.copy_to.strip().rstrip("。"))}。</p>' if doc.copy_to.strip() else ""
    parts.append(
        f'<footer class="gw-imprint">{copy}<p class="gw-printer"><span>{escape(printer)}</span>'
        f"<span>{escape(printed)}</span></p></footer>"
    )
    return parts
