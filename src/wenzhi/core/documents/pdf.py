"""An ``OfficialDocument`` as PDF through WeasyPrint, with Source Han Sans SC embedded (subset) for the CJK text.

The page follows GB/T 9704-2012 (A4, margins 37/26/35/28 mm, page numbers "— 1 —" outside). No free serif
仿宋/小标宋 exists as a whole font file, so the PDF sets everything in the one embedded sans family; the DOCX names
the official fonts.

Speed: WeasyPrint subsets the embedded font for every PDF. With HarfBuzz (Debian ``libharfbuzz-subset0``) that is
fast on the whole 65,000-glyph OTF: ≈ 2 s for a four-page bulletin with three charts (``bench/documents.py``).
Without that library WeasyPrint falls back to fontTools, which takes minutes on the whole OTF; there the PDF sets
text in the reduced TrueType cut that ``make fonts`` builds (``fontbuild``: GB 2312 + punctuation), which fontTools
subsets in about a second, and names the whole font next in the stack for any rarer character. Where HarfBuzz
subsetting is available the output is unchanged (whole OTF only).
"""

from __future__ import annotations

from .fonts import COMMON_FONT_FAMILY, FONT_FAMILY, cjk_font_files, common_font_files
from .model import OfficialDocument
from .webpage import render_html


def harfbuzz_subsetting() -> bool:
    """True when WeasyPrint found HarfBuzz's subsetter (``libharfbuzz-subset``), the fast path on the whole font.

    The same test as WeasyPrint's ``Font.subset`` (weasyprint/pdf/fonts.py), on the same module globals."""
    from weasyprint.pdf import fonts as weasyprint_fonts

    return weasyprint_fonts.harfbuzz_subset is not None and bool(weasyprint_fonts.harfbuzz.hb_version_atleast(4, 1, 0))


def _faces(family: str, files: dict) -> str:
    return "".join(
        f'@font-face{{font-family:"{family}";src:url("{path.as_uri()}");font-weight:{weight};}}'
        for weight, path in (("400", files["regular"]), ("700", files["bold"]))
    )


def font_stack() -> list[str]:
    """The families the PDF names, first match wins: the reduced cut first when it is needed and built."""
    if not harfbuzz_subsetting() and common_font_files() is not None:
        return [COMMON_FONT_FAMILY, FONT_FAMILY]
    return [FONT_FAMILY]


def font_face_css() -> str:
    """``@font-face`` rules for the installed fonts (raises ``CJKFontMissing`` when the whole OTFs are absent)."""
    css = _faces(FONT_FAMILY, cjk_font_files())
    common = common_font_files()
    if COMMON_FONT_FAMILY in font_stack() and common is not None:
        css = _faces(COMMON_FONT_FAMILY, common) + css
    return css


PRINT_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font-size: 14pt; margin-right: 1em;
  vertical-align: top; padding-top: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-size: 14pt; margin-left: 1em;
  vertical-align: top; padding-top: 7mm; } }
html, body { margin: 0; font-family: %s, sans-serif; }
.gw-doc { width: 156mm; max-width: none; padding: 0; box-shadow: none; border: 0; }
"""


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes. Raises ``CJKFontMissing`` (with the fix) when the font is not installed."""
    from weasyprint import HTML

    css = font_face_css() + PRINT_CSS % ", ".join(f'"{family}"' for family in font_stack())
    page = render_html(doc, standalone=True, extra_css=css)
    pdf = HTML(string=page).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return pdf
