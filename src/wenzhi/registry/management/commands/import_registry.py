"""``wenzhi import_registry FILE --kind enterprise|park|talent``: import registry rows from .xlsx or CSV.

Exit status: 0 every row valid (and written unless ``--dry-run``), 1 some rows rejected (the report lists
them; without ``--skip-invalid`` nothing was written), 2 the file could not be read (stderr says why).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from wenzhi.core.importing import HOW_LABELS, ImportFileError, parse_overrides, write_report_csv
from wenzhi.core.models import User
from wenzhi.registry.importers import IMPORTERS, KINDS, import_record_create, registry_import


class Command(BaseCommand):
    help = "从 Excel (.xlsx) 或 CSV 导入文化企业、园区/基地或人才；先校验，全部无误（或 --skip-invalid）才写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--kind", required=True, choices=sorted(IMPORTERS), help="导入类型")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余有效行")
        parser.add_argument("--report", help="把问题清单写入 CSV 文件（列：row,column,value,error）")
        parser.add_argument("--map", action="append", default=[], metavar="列名=字段",
                            help="指定列名对应的字段，可重复；字段留空表示不导入该列，列名也可写列字母（如 E=revenue）")
        parser.add_argument("--year", type=int, help="文件没有“年度”列时，营业收入等数据所属的年度（默认上一年）")
        parser.add_argument("--encoding", default="", help="CSV 的编码（默认自动识别；声明有误时仍会自动识别）")
        parser.add_argument("--sheet", default="", help="工作表名称（默认自动选择含表头的工作表）")
        parser.add_argument("--user", default="", help="记为操作人的用户名（默认：命令行，不记用户）")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        try:
            overrides = parse_overrides(opts["map"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        actor = None
        if opts["user"]:
            actor = User.objects.filter(username=opts["user"]).first()
            if actor is None:
                raise CommandError(f"没有用户名为“{opts['user']}”的用户")
        if not path.is_file():
            self._unreadable(path, "文件不存在" if not path.exists() else "不是普通文件")
        try:
            with path.open("rb") as fh:
                record = import_record_create(actor=actor, kind=opts["kind"], uploaded=fh, filename=path.name,
                                              dry_run=opts["dry_run"], skip_invalid=opts["skip_invalid"],
                                              overrides=overrides, encoding=opts["encoding"], year=opts["year"],
                                              sheet=opts["sheet"])
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            self._unreadable(path, exc.strerror or str(exc))
        progress = self._progress if self.stderr.isatty() else None
        try:
            result = registry_import(actor=actor, record=record, progress=progress)
        except ImportFileError as exc:
            if opts["report"]:
                self._write_report(opts["report"], [{"row": 1, "column": "", "value": "", "error": str(exc)}])
            self._unreadable(path, str(exc))
        self._print(result, record, opts)
        if opts["report"]:
            n = self._write_report(opts["report"], result.errors)
            if n:
                self.stdout.write(f"问题清单（{n} 条）已写入 {opts['report']}")
        if result.invalid_rows:
            sys.exit(1)

    def _unreadable(self, path: Path, why: str):
        self.stderr.write(f"import_registry: 无法读取 {path}：{why}")
        sys.exit(2)

    def _progress(self, done: int, total: int | None, phase: str) -> None:
        if done % 10000 == 0 or done == total:
            what = "校验" if phase == "check" else "写入"
            self.stderr.write(f"  {what} {done}" + (f"/{total}" if total else "") + " 行", ending="\r")

    def _write_report(self, target: str, errors) -> int:
        with open(target, "w", encoding="utf-8", newline="") as out:
            return write_report_csv(errors, out)

    def _print(self, result, record, opts) -> None:
        out = self.stdout
        where = f"工作表“{result.sheet}”" if result.sheet else (result.encoding or result.format)
        out.write(f"{KINDS[record.kind]}导入：{record.original_name}（{where}，表头在第 {result.header_row} 行；导入记录 #{record.pk}）")
        for col in result.mapping:
            target = col["field"] or "—"
            out.write(f"  {col['letter']} {col['header']} → {target}（{HOW_LABELS.get(col['how'], col['how'])}）"
                      + (f"；{col['note']}" if col["note"] else ""))
        for note in result.notes:
            out.write(f"  注意：{note}")
        shown = result.errors[:20]
        for e in shown:
            out.write(f"  第 {e.row} 行 “{e.column}” {e.value!s:.40}：{e.error}")
        if result.error_count > len(shown):
            out.write(f"  ……另有 {result.error_count - len(shown)} 个问题" + ("，见问题清单" if opts["report"] else "（用 --report 输出全部）"))
        out.write(result.message)
