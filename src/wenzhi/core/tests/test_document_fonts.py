"""The reduced CJK font for machines without libharfbuzz-subset: what it holds, when the PDF uses it, and that its
glyphs are the whole font's (same code points, same advance widths, same outline bounds within a unit or two)."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from wenzhi.core.documents import render_pdf
from wenzhi.core.documents.fontbuild import common_characters
from wenzhi.core.documents.fonts import (
    COMMON_FONT_FAMILY,
    COMMON_FONT_FILES,
    FONT_FAMILY,
    FONT_FILES,
    cjk_font_files,
    common_font_files,
)
from wenzhi.core.documents.pdf import font_face_css, font_stack, harfbuzz_subsetting
from wenzhi.core.tests.test_documents import notice

reduced_font_built = pytest.mark.skipif(
    common_font_files() is None, reason="reduced CJK font not built: run `make fonts`")


def test_common_characters_hold_gb2312_and_official_punctuation():
    chars = common_characters()
    assert 8000 < len(chars) < 9000
    for text in ("天津市和平区河东区宝坻区蓟州区滨海新区静海区", "津文旅发〔2026〕12号", "—1—：；，。、“”‘’《》（）【】",
                 "0123456789ABCxyz%&", "①②③ⅠⅡⅢ", "鑫瞿冀熠"):
        assert set(text) <= chars, set(text) - chars
    assert "喆" not in chars and "堃" not in chars  # outside GB 2312: drawn from the whole font instead


def _install_fonts(folder, *, reduced: bool) -> None:
    for name in [*FONT_FILES.values(), *(COMMON_FONT_FILES.values() if reduced else ())]:
        (folder / name).write_bytes(b"")


def test_the_reduced_font_comes_first_only_without_harfbuzz_subset(settings, tmp_path, monkeypatch):
    from weasyprint.pdf import fonts as weasyprint_fonts

    settings.WENZHI_FONT_DIR = tmp_path
    _install_fonts(tmp_path, reduced=True)
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", None)
    assert not harfbuzz_subsetting()
    assert font_stack() == [COMMON_FONT_FAMILY, FONT_FAMILY]
    css = font_face_css()
    assert css.count(COMMON_FONT_FILES["bold"]) == 1 and css.count(FONT_FILES["bold"]) == 1
    assert css.index(COMMON_FONT_FAMILY) < css.index(f'"{FONT_FAMILY}"')
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", object())
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz", SimpleNamespace(hb_version_atleast=lambda *version: True))
    assert harfbuzz_subsetting() and font_stack() == [FONT_FAMILY]  # fast path: the whole font, as before
    assert COMMON_FONT_FAMILY not in font_face_css()


def test_without_the_reduced_font_the_whole_font_is_used(settings, tmp_path, monkeypatch):
    from weasyprint.pdf import fonts as weasyprint_fonts

    settings.WENZHI_FONT_DIR = tmp_path
    _install_fonts(tmp_path, reduced=False)
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", None)
    assert common_font_files() is None and font_stack() == [FONT_FAMILY]


@reduced_font_built
def test_reduced_font_has_the_whole_fonts_glyphs():
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.ttLib import TTFont

    whole = TTFont(cjk_font_files()["bold"], lazy=True)
    reduced = TTFont(common_font_files()["bold"], lazy=True)  # type: ignore[index]
    whole_cmap, reduced_cmap = whole.getBestCmap(), reduced.getBestCmap()
    kept = {chr(code) for code in reduced_cmap}  # a few more: code points sharing a kept glyph
    assert kept >= {char for char in common_characters() if ord(char) in whole_cmap}
    assert all(whole_cmap.get(code) for code in reduced_cmap)
    whole_glyphs, reduced_glyphs = whole.getGlyphSet(), reduced.getGlyphSet()
    for char in "天津市文化和旅游局〔〕—，。《》（）0Ag鑫":
        ours, theirs = reduced_glyphs[reduced_cmap[ord(char)]], whole_glyphs[whole_cmap[ord(char)]]
        assert ours.width == theirs.width, char
        bounds = []
        for glyph, glyph_set in ((ours, reduced_glyphs), (theirs, whole_glyphs)):
            pen = BoundsPen(glyph_set)
            glyph.draw(pen)
            bounds.append(pen.bounds)
        assert all(abs(a - b) <= 2 for a, b in zip(*bounds, strict=True)), (char, bounds)


@reduced_font_built
def test_pdf_without_harfbuzz_subset_embeds_the_reduced_font_and_extracts(monkeypatch):
    from pypdf import PdfReader
    from weasyprint.pdf import fonts as weasyprint_fonts

    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", None)
    reader = PdfReader(io.BytesIO(render_pdf(notice())))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    for expected in ("天津市文化和旅游局文件", "津文旅发〔2026〕12号", "关于公布2026年度市级重点文化产业项目名单的通知",
                     "各区文化和旅游局：", "经区级推荐、专家评审和公示", "数字博物馆", "2026年12月1日", "—1—"):
        assert expected in text, expected
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"].get_object()["/Font"].get_object().values()}  # type: ignore[index]
    assert fonts and all(COMMON_FONT_FAMILY.replace(" ", "-") in name for name in fonts), fonts
