"""``wenzhi bulletin --period 2018Q3 --out DIR``: the quarterly bulletin of a period as one .docx and one .pdf.

The issued bulletin of the period when there is one (its archived files), else a draft written from the data
now, every figure re-computed before the files are written.

Exit status: 0 written; 1 the period has no data or a figure did not re-compute; 2 bad arguments;
3 the files cannot be written or the CJK font for the PDF is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "生成某报告期的季度统计通报（一个 .docx 和一个 .pdf）。"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="报告期，如 2018Q3")
        parser.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args, period: str, out: str, **options):
        from wenzhi.core.documents import CJKFontMissing
        from wenzhi.statistics.bulletin.compose import NoData
        from wenzhi.statistics.bulletin.output import write_files
        from wenzhi.statistics.growth import PeriodCode

        try:
            code = PeriodCode.parse(period.strip().upper()).code
        except ValueError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        try:
            written = write_files(code, Path(out))
        except NoData:
            self.stderr.write(f"报告期 {code} 没有已填报的数据，无法生成通报。")
            sys.exit(1)
        except ValueError as exc:
            self.stderr.write(f"数字核对未通过，未写出文件：{exc}")
            sys.exit(1)
        except (CJKFontMissing, OSError) as exc:
            self.stderr.write(str(exc))
            sys.exit(3)
        kind = "已印发通报（存档）" if written.issued else "根据当前数据生成的草稿，数字已逐一核对"
        self.stdout.write(f"{written.docx}\n{written.pdf}\n{kind}，共 {written.figures} 个数字。")
