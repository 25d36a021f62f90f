"""An ``OfficialDocument`` as PDF through WeasyPrint, with Source Han Sans SC embedded (subset) for the CJK text.

The page follows GB/T 9704-2012 (A4, margins 37/26/35/28 mm, page numbers "— 1 —" outside). No free serif
仿宋/小标宋 exists as a whole font file, so the PDF sets everything in the one embedded sans family; the DOCX names
the official fonts.

Speed: WeasyPrint subsets the font with HarfBuzz (Debian ``libharfbuzz-subset0``, which ``.ci/run`` installs):
≈ 2 s for a four-page bulletin with three charts (``bench/documents.py``). Without that library it falls back to
fontTools, which takes minutes per PDF on this 65,000-glyph font.
"""

from __future__ import annotations

from .fonts import FONT_FAMILY, cjk_font_files
from .model import OfficialDocument
from .webpage import render_html


def font_face_css() -> str:
    """``@font-face`` rules for the installed OTF files (raises ``CJKFontMissing`` when they are absent)."""
    files = cjk_font_files()
    return "".join(
        f'@font-face{{font-family:"{FONT_FAMILY}";src:url("{path.as_uri()}");font-weight:{weight};}}'
        for weight, path in (("400", files["regular"]), ("700", files["bold"]))
    )


PRINT_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font-size: 14pt; margin-right: 1em;
  vertical-align: top; padding-top: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-size: 14pt; margin-left: 1em;
  vertical-align: top; padding-top: 7mm; } }
html, body { margin: 0; font-family: "%s", sans-serif; }
.gw-doc { width: 156mm; max-width: none; padding: 0; box-shadow: none; border: 0; }
"""


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes. Raises ``CJKFontMissing`` (with the fix) when the font is not installed."""
    from weasyprint import HTML

    css = font_face_css() + PRINT_CSS % FONT_FAMILY
    page = render_html(doc, standalone=True, extra_css=css)
    pdf = HTML(string=page).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf
