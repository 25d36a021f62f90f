"""How long the official-document writer takes for a bulletin-sized document; prints its figures.

    .venv/bin/python bench/documents.py [--repeat 3] [--without-hb-subset]

``--without-hb-subset`` renders as on a machine without Debian's ``libharfbuzz-subset0``: WeasyPrint's handle to
that library is set to None before the first PDF, so it subsets with fontTools, and the writer then sets text in the
reduced font ``make fonts`` builds (``core/documents/fontbuild.py``); its figures are printed as ``pdf (fontTools)``.
Add ``--whole-font`` to that to see the fallback on the whole OTF (minutes; what users without the library had).

A four-page 公文 (16-district table, 12 paragraphs, three charts: bar, line, pie) is rendered to DOCX, HTML and
PDF; the charts are drawn first, as PNG. Each figure is the median of ``--repeat`` runs after one warm-up (the
first PDF also loads the 17 MB font). Needs the CJK font (`make assets`); without it only DOCX and HTML run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.test")

DISTRICTS = ["和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区", "津南区", "北辰区",
             "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区"]


def timed(func, repeat: int) -> tuple[float, object]:
    func()
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--without-hb-subset", action="store_true", help="hide libharfbuzz-subset from WeasyPrint")
    parser.add_argument("--whole-font", action="store_true", help="with --without-hb-subset: skip the reduced font")
    args = parser.parse_args()
    import django

    django.setup()
    pdf_label = "pdf"
    if args.without_hb_subset:
        from weasyprint.pdf import fonts as weasyprint_fonts

        from wenzhi.core.documents import fonts as wenzhi_fonts

        weasyprint_fonts.harfbuzz_subset = None  # WeasyPrint then subsets with fontTools, as without the library
        pdf_label = "pdf (fontTools)"
        if args.whole_font:
            wenzhi_fonts.COMMON_FONT_FILES = {"regular": "absent.ttf", "bold": "absent.ttf"}
            pdf_label = "pdf (fontTools, whole)"
    from wenzhi.core.documents import (
        Figure,
        Heading,
        OfficialDocument,
        Paragraph,
        Table,
        cjk_font_available,
        render_docx,
        render_html,
        render_pdf,
    )

    values = [100 + 37 * i % 211 for i in range(16)]
    has_font = cjk_font_available()
    figures, total = [], 0.0
    if has_font:
        from wenzhi.core.documents import charts

        def draw():
            return [charts.bar_chart(DISTRICTS, values, title="各区文化产业增加值", unit="亿元", horizontal=True),
                    charts.line_chart([f"2018Q{q}" for q in range(1, 5)], {"增加值": [1, 2, 3, 4]}, title="走势"),
                    charts.pie_chart(["文化制造业", "文化批发零售业", "文化服务业"], [30, 20, 50], title="结构")]

        seconds, images = timed(draw, args.repeat)
        print(f"charts (3, PNG)        {seconds * 1000:8.0f} ms")
        total += seconds
        figures = [Figure(image, caption=f"图{i + 1}") for i, image in enumerate(images)]
    body = [Heading("总体情况"), *[Paragraph("全市文化产业增加值同比增长，" * 12) for _ in range(6)],
            Heading("分区情况"), Table(["区", "增加值（亿元）", "同比（%）"],
                                    [[d, str(v), f"{v % 17 - 5:.1f}"] for d, v in zip(DISTRICTS, values, strict=True)],
                                    caption="表1 各区增加值"),
            *figures, Heading("下一步工作"), *[Paragraph("加强统计监测和分析。" * 10) for _ in range(6)]]
    doc = OfficialDocument(issuer="天津市文化产业统计通报", number="津文统〔2018〕3号", title="2018年第三季度文化产业统计通报",
                           addressee="各区文化和旅游局", body=body, signature="天津市文化和旅游局",
                           date=dt.date(2018, 11, 15))
    for name, func in (("docx", render_docx), ("html", render_html), *(((pdf_label, render_pdf),) if has_font else ())):
        seconds, output = timed(lambda func=func: func(doc), args.repeat)
        size = len(output.encode() if isinstance(output, str) else output)
        print(f"{name:<22} {seconds * 1000:8.0f} ms   {size / 1024:8.0f} KB")
        total += seconds
    print(f"{'charts + docx + html + pdf':<26} {total * 1000:4.0f} ms (the documents' share of a bulletin)")
    if not has_font:
        print("pdf and charts skipped: CJK font not installed (make assets)")


if __name__ == "__main__":
    main()
