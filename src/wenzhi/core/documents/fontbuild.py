"""Build, once at install time (``make fonts``), the reduced CJK font that keeps PDF rendering fast everywhere.

WeasyPrint subsets the embedded font for every PDF. With Debian's ``libharfbuzz-subset0`` that takes about a
second; without it WeasyPrint falls back to fontTools, which needs minutes on the whole 65,000-glyph Source Han
Sans SC OTF (its CFF charstrings are re-executed for every glyph id it keeps). This module cuts each weight once to
the characters Chinese official documents use — GB 2312 (levels 1 and 2, 6,763 hanzi, plus its symbols), ASCII,
Latin-1, general and CJK punctuation, full-width forms, enclosed and Roman numerals — and converts the CFF outlines
to TrueType quadratics (max error 1 unit of 1000, invisible at print size), so the fontTools fallback only copies
glyph records: ≈ 1 s per weight instead of minutes (``bench/documents.py --without-hb-subset``).

The reduced font is a true subset of the same font (same glyph shapes for the same code points, its own cmap and
layout tables), never a web-font unicode-range slice. Characters outside the set still render: the PDF's CSS names
the whole font next in the font-family stack (only such documents pay the slow fallback).

    python -m wenzhi.core.documents.fontbuild SOURCE_DIR TARGET_DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .fonts import COMMON_FONT_FILES, FONT_FILES

UNUSED_FEATURES = {"locl", "vert", "vrt2", "vjmo", "vhal", "vkrn", "vpal", "valt", "vchw", "vatu"}


def common_characters() -> set[str]:
    """The code points kept in the reduced font (≈ 8,300): GB 2312 in full plus the Latin and punctuation ranges."""
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):  # every GB 2312 row: symbols (A1–A9) and hanzi levels 1 and 2 (B0–F7)
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    ranges = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2200), (0x2460, 0x2500),
              (0x3000, 0x3040), (0x3200, 0x3300), (0xFE30, 0xFE50), (0xFF00, 0xFFF0)]
    for start, end in ranges:
        chars.update(chr(code) for code in range(start, end))
    return chars


def _to_truetype(font) -> None:
    """Replace the CFF outlines of ``font`` (a fontTools TTFont) by TrueType quadratic ones, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion, maxp.numGlyphs = 0x00010000, len(order)
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def build_common_font(source: Path, target: Path) -> None:
    """Write to ``target`` the reduced TrueType font cut from the whole OTF ``source`` (about a minute per weight)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(hinting=False, notdef_outline=True, name_IDs=["*"], name_languages=["*"],
                             glyph_names=False, legacy_kern=True)
    # Horizontal Simplified Chinese only: without the vertical forms and the locl alternates for Japanese,
    # Korean and traditional Chinese (and BASE, which the PDF does not use) a third fewer glyphs and tables
    # remain for WeasyPrint to read on every PDF. The whole font keeps them all.
    options.layout_features = [tag for tag in options.layout_features if tag not in UNUSED_FEATURES]
    options.drop_tables += ["BASE"]
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(char) for char in common_characters()))
    subsetter.subset(font)
    _to_truetype(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    font.save(partial)
    partial.replace(target)  # never leave a half-written font where the renderer looks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the reduced CJK fonts for fast PDF rendering.")
    parser.add_argument("source", type=Path, help="folder holding SourceHanSansSC-Regular.otf and -Bold.otf")
    parser.add_argument("target", type=Path, help="folder to write the reduced fonts to (WENZHI_FONT_DIR)")
    args = parser.parse_args(argv)
    for weight, name in FONT_FILES.items():
        source, target = args.source / name, args.target / COMMON_FONT_FILES[weight]
        if not source.is_file():
            print(f"{source} missing: reduced font not built", file=sys.stderr)
            return 1
        if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        print(f"building {target} from {source} (once; about a minute)")
        build_common_font(source, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
