"""Where the CJK font embedded in PDFs and drawn into charts lives.

The font is Source Han Sans SC (思源黑体, SIL OFL 1.1) from the npm package ``node-source-han-sans-sc``; ``make
assets`` copies the two weights used (Regular, Bold) as whole OTF files into ``settings.WENZHI_FONT_DIR`` (default
``var/fonts``, not committed). Whole files only: web-font slices render wrong glyphs in WeasyPrint.
"""

from __future__ import annotations

import os
from pathlib import Path

FONT_FAMILY = "Source Han Sans SC"
FONT_FILES = {"regular": "SourceHanSansSC-Regular.otf", "bold": "SourceHanSansSC-Bold.otf"}
# The reduced TrueType cut of the same font (GB 2312 and punctuation) that ``make fonts`` builds with
# ``fontbuild``, so PDFs render fast where WeasyPrint has no HarfBuzz subsetter (see ``pdf.py``).
COMMON_FONT_FAMILY = "Wenzhi Source Han Sans SC Common"
COMMON_FONT_FILES = {"regular": "WenzhiHanCommon-Regular.ttf", "bold": "WenzhiHanCommon-Bold.ttf"}


class CJKFontMissing(RuntimeError):
    """The CJK font for PDFs and charts is not installed where the settings say."""


def font_dir() -> Path:
    """The folder holding the font files: ``settings.WENZHI_FONT_DIR``, else ``$WENZHI_FONT_DIR``, else ``var/fonts``."""
    try:
        from django.conf import settings

        configured = getattr(settings, "WENZHI_FONT_DIR", None) if settings.configured else None
    except ImportError:  # pragma: no cover - the writer is also usable without Django
        configured = None
    if configured:
        return Path(configured)
    if os.environ.get("WENZHI_FONT_DIR"):
        return Path(os.environ["WENZHI_FONT_DIR"])
    return Path(__file__).resolve().parents[4] / "var" / "fonts"


def cjk_font_files() -> dict[str, Path]:
    """The Regular and Bold OTF paths; raises ``CJKFontMissing`` naming the fix when either is absent."""
    folder = font_dir()
    files = {weight: folder / name for weight, name in FONT_FILES.items()}
    missing = [path.name for path in files.values() if not path.is_file()]
    if missing:
        raise CJKFontMissing(
            f"PDF 和图表需要的中文字体缺失：{folder} 下没有 {'、'.join(missing)}。"
            "请运行 `make assets`（npm 安装 node-source-han-sans-sc 并复制 Regular、Bold 两个字重），"
            "或把这两个 OTF 文件放到设置 WENZHI_FONT_DIR 指向的目录。"
        )
    return files


def cjk_font_available() -> bool:
    """True when both font files are installed (tests skip PDF checks otherwise)."""
    try:
        cjk_font_files()
    except CJKFontMissing:
        return False
    return True


def common_font_files() -> dict[str, Path] | None:
    """The reduced Regular and Bold TTF paths when ``make fonts`` has built both, else None."""
    folder = font_dir()
    files = {weight: folder / name for weight, name in COMMON_FONT_FILES.items()}
    return files if all(path.is_file() for path in files.values()) else None
