"""Bar, line and pie charts as PNG or SVG bytes, with CJK labels drawn in Source Han Sans SC.

For documents (``Figure``) and anything else that needs a chart as a file; the web pages draw their charts in the
browser with ECharts. Matplotlib's object API is used (no pyplot state), so charts can be drawn from several
threads. SVG text is written as glyph outlines, so the labels look the same in every viewer and in PDFs. Raises
``CJKFontMissing`` when the font is not installed (``cjk_font_available()`` tells beforehand).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure as MplFigure

from .fonts import cjk_font_files

Number = int | float | Decimal
Format = Literal["png", "svg"]
PALETTE = ["#c23531", "#2f4554", "#61a0a8", "#d48265", "#91c7ae", "#749f83", "#ca8622", "#bda29a", "#6e7074"]


@functools.cache
def _font_family() -> str:
    files = cjk_font_files()
    for path in files.values():
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(files["regular"])).get_name()


def _figure(title: str, size: tuple[float, float]) -> MplFigure:
    figure = MplFigure(figsize=size, dpi=150, layout="constrained")
    if title:
        figure.suptitle(title, fontsize=13, fontweight="bold")
    return figure


def _save(figure: MplFigure, fmt: Format) -> bytes:
    if fmt not in ("png", "svg"):
        raise ValueError(f"图表格式只能是 png 或 svg，不是 {fmt!r}")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, facecolor="white")
    return buffer.getvalue()


def _style():
    return rc_context({"font.family": _font_family(), "svg.fonttype": "path", "axes.unicode_minus": False,
                       "axes.spines.top": False, "axes.spines.right": False})


def _floats(values: Sequence[Number | None]) -> list[float]:
    return [float("nan") if value is None else float(value) for value in values]


def bar_chart(labels: Sequence[str], values: Sequence[Number], *, title: str = "", unit: str = "",
              horizontal: bool = False, fmt: Format = "png", size: tuple[float, float] = (6.4, 3.6)) -> bytes:
    """One bar per label with its value written on it; ``horizontal`` for long labels (e.g. 16 districts)."""
    if len(labels) != len(values):
        raise ValueError(f"柱状图的标签有 {len(labels)} 个，数值有 {len(values)} 个")
    with _style():
        figure = _figure(title, size)
        axes = figure.add_subplot()
        numbers = _floats(values)
        if horizontal:
            bars = axes.barh(list(labels)[::-1], numbers[::-1], color=PALETTE[0])
            axes.set_xlabel(unit)
        else:
            bars = axes.bar(list(labels), numbers, color=PALETTE[0])
            axes.set_ylabel(unit, rotation=0, loc="top", labelpad=-8)
            if len(labels) > 6:
                axes.tick_params(axis="x", labelrotation=45)
        axes.bar_label(bars, fmt="%g", fontsize=8, padding=2)
        return _save(figure, fmt)


def line_chart(periods: Sequence[str], series: dict[str, Sequence[Number | None]], *, title: str = "",
               unit: str = "", fmt: Format = "png", size: tuple[float, float] = (6.4, 3.6)) -> bytes:
    """One line per named series over ``periods`` (None leaves a gap); a legend when there are several."""
    with _style():
        figure = _figure(title, size)
        axes = figure.add_subplot()
        for index, (name, values) in enumerate(series.items()):
            if len(values) != len(periods):
                raise ValueError(f"折线“{name}”有 {len(values)} 个数值，期间有 {len(periods)} 个")
            axes.plot(list(periods), _floats(values), marker="o", markersize=3, label=name,
                      color=PALETTE[index % len(PALETTE)])
        axes.set_ylabel(unit, rotation=0, loc="top", labelpad=-8)
        axes.grid(axis="y", alpha=0.3)
        if len(periods) > 8:
            axes.tick_params(axis="x", labelrotation=45)
        if len(series) > 1:
            axes.legend(fontsize=8, frameon=False)
        return _save(figure, fmt)


def pie_chart(labels: Sequence[str], values: Sequence[Number], *, title: str = "", fmt: Format = "png",
              size: tuple[float, float] = (5.6, 3.8)) -> bytes:
    """Shares of a whole, each slice labelled with its name and percentage; values must not be negative."""
    numbers = _floats(values)
    if len(labels) != len(numbers):
        raise ValueError(f"饼图的标签有 {len(labels)} 个，数值有 {len(numbers)} 个")
    if any(value < 0 for value in numbers) or not sum(numbers):
        raise ValueError("饼图的数值不能为负，且合计须大于零")
    with _style():
        figure = _figure(title, size)
        axes = figure.add_subplot()
        axes.pie(numbers, labels=list(labels), autopct="%1.1f%%", startangle=90, counterclock=False,
                 colors=PALETTE[: len(numbers)] if len(numbers) <= len(PALETTE) else None,
                 textprops={"fontsize": 8})
        axes.axis("equal")
        return _save(figure, fmt)
