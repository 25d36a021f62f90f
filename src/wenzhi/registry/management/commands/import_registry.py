"""``wenzhi import_registry FILE --kind enterprise|park|talent``: import registry rows from .xlsx or CSV.

    wenzhi import_registry FILE --kind enterprise              check and write in one pass
    wenzhi import_registry FILE --kind enterprise --dry-run    check only; prints the import record's number
    wenzhi import_registry --commit N [--skip-invalid]         write import N's checked rows (no re-reading)

Exit status:
  0  every row valid (and written unless ``--dry-run``);
  1  some rows rejected (the report lists them; without ``--skip-invalid`` nothing was written);
  2  the file could not be read (stderr says why: missing, truncated, not a table, over a size limit, ...);
  3  the problem report could not be written (``--report`` path not writable); the import itself is done;
  4  bad arguments or an import record that cannot be committed (stderr says why).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from wenzhi.core.importing import HOW_LABELS, ImportFileError, parse_overrides, write_report_csv
from wenzhi.core.models import ImportRecord, User
from wenzhi.registry.importing.importers import IMPORTERS
from wenzhi.registry.importing.schemas import KINDS
from wenzhi.registry.importing.services import (
    import_commit_prepare,
    import_problems_csv,
    import_record_create,
    registry_import,
)

EXIT_ROWS_REJECTED, EXIT_UNREADABLE, EXIT_REPORT_UNWRITABLE, EXIT_USAGE = 1, 2, 3, 4


class Command(BaseCommand):
    help = "从 Excel (.xlsx) 或 CSV 导入文化企业、园区/基地或人才；先校验，全部无误（或 --skip-invalid）才写入。"

    def create_parser(self, prog_name, subcommand, **kwargs):
        import argparse

        # The exit statuses, in --help (the module docstring documents them for readers of the code).
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs.setdefault("epilog", "退出状态 exit status: 0 全部有效（已写入，--dry-run 时未写入）；1 有被拒绝的行；"
                                    "2 文件无法读取（不存在、截断、不是表格、超过大小上限等）；3 问题清单无法写入；"
                                    "4 参数有误或导入记录不能导入。")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--kind", choices=sorted(IMPORTERS), help="导入类型")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--commit", type=int, metavar="编号", help="写入已校验的导入记录（不再重新读取文件）")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行，导入其余有效行")
        parser.add_argument("--report", help="把问题清单写入 CSV 文件（列：row,column,value,error）")
        parser.add_argument("--map", action="append", default=[], metavar="列名=字段",
                            help="指定列名对应的字段，可重复；字段留空表示不导入该列，列名也可写列字母（如 E=revenue）")
        parser.add_argument("--year", type=int, help="文件没有“年度”列时，营业收入等数据所属的年度（默认上一年）")
        parser.add_argument("--encoding", default="", help="CSV 的编码（默认自动识别；声明有误时仍会自动识别）")
        parser.add_argument("--sheet", default="", help="工作表名称（默认自动选择含表头的工作表）")
        parser.add_argument("--user", default="", help="记为操作人的用户名（默认：命令行，不记用户）")

    def handle(self, *args, **opts):
        actor = self._actor(opts["user"])
        if opts["commit"] is not None:
            record = self._record_to_commit(opts["commit"], actor, opts["skip_invalid"])
            actor = actor or record.created_by
        else:
            record = self._new_record(opts, actor)
        progress = self._progress if self.stderr.isatty() else None
        try:
            result = registry_import(actor=actor, record=record, progress=progress)
        except ImportFileError as exc:
            if opts["report"]:
                self._write_report(opts["report"], [{"row": 1, "column": "", "value": "", "error": str(exc)}])
            self._fail(EXIT_UNREADABLE, gettext("无法读取 {path}：{why}").format(path=opts["file"] or record.original_name,
                                                                             why=exc))
        except PermissionDenied as exc:
            self._fail(EXIT_USAGE, str(exc))
        record.refresh_from_db()
        self._print(result, record, opts)
        if opts["report"]:
            n = self._write_report(opts["report"], None, record)
            if n:
                self.stdout.write(gettext("问题清单（{n} 条）已写入 {path}").format(n=n, path=opts["report"]))
        if result.invalid_rows:
            sys.exit(EXIT_ROWS_REJECTED)

    def _actor(self, username: str):
        if not username:
            return None
        actor = User.objects.filter(username=username).first()
        if actor is None:
            self._fail(EXIT_USAGE, gettext("没有用户名为“{name}”的用户").format(name=username))
        return actor

    def _new_record(self, opts, actor) -> ImportRecord:
        if not opts["file"] or not opts["kind"]:
            self._fail(EXIT_USAGE, gettext("请给出要导入的文件和 --kind（或用 --commit 编号 写入已校验的导入）"))
        path = Path(opts["file"])
        try:
            overrides = parse_overrides(opts["map"])
        except ValueError as exc:
            self._fail(EXIT_USAGE, str(exc))
        if not path.is_file():
            self._fail(EXIT_UNREADABLE, gettext("无法读取 {path}：{why}").format(
                path=path, why=gettext("文件不存在") if not path.exists() else gettext("不是普通文件")))
        try:
            with path.open("rb") as fh:
                return import_record_create(actor=actor, kind=opts["kind"], uploaded=fh, filename=path.name,
                                            dry_run=opts["dry_run"], skip_invalid=opts["skip_invalid"],
                                            overrides=overrides, encoding=opts["encoding"], year=opts["year"],
                                            sheet=opts["sheet"])
        except PermissionDenied as exc:
            self._fail(EXIT_USAGE, str(exc))
        except OSError as exc:
            self._fail(EXIT_UNREADABLE, gettext("无法读取 {path}：{why}").format(path=path, why=exc.strerror or exc))
        raise AssertionError("unreachable")

    def _record_to_commit(self, pk: int, actor, skip_invalid: bool) -> ImportRecord:
        record = ImportRecord.objects.filter(pk=pk, kind__in=list(KINDS)).first()
        if record is None:
            self._fail(EXIT_USAGE, gettext("没有编号为 {pk} 的导入记录").format(pk=pk))
        if actor is None:
            actor = record.created_by  # the official who ran the check commits it
        try:
            return import_commit_prepare(actor=actor, record=record, skip_invalid=skip_invalid) if actor else \
                self._prepare_as_operator(record, skip_invalid)
        except (ValueError, PermissionDenied) as exc:
            self._fail(EXIT_USAGE, str(exc))
        raise AssertionError("unreachable")

    def _prepare_as_operator(self, record: ImportRecord, skip_invalid: bool) -> ImportRecord:
        if record.status not in (ImportRecord.Status.CHECKED, ImportRecord.Status.REJECTED):
            raise ValueError(gettext("只有已校验、尚未导入的记录可以导入"))
        record.dry_run = False
        record.options = {**(record.options or {}), "skip_invalid": skip_invalid}
        record.save(update_fields=["dry_run", "options"])
        return record

    def _fail(self, code: int, message: str):
        self.stderr.write(f"import_registry: {message}")
        sys.exit(code)

    def _progress(self, done: int, total: int | None, phase: str) -> None:
        if done % 10000 == 0 or done == total:
            what = gettext("校验") if phase == "check" else gettext("写入")
            self.stderr.write(f"  {what} {done}" + (f"/{total}" if total else ""), ending="\r")

    def _write_report(self, target: str, errors, record: ImportRecord | None = None) -> int:
        try:
            with open(target, "w", encoding="utf-8", newline="") as out:
                if record is None:
                    return write_report_csv(errors, out)
                if not record.error_count:
                    return write_report_csv([], out)
                out.write(import_problems_csv(record))
                return record.error_count
        except OSError as exc:
            self._fail(EXIT_REPORT_UNWRITABLE, gettext("无法写入问题清单 {path}：{why}").format(
                path=target, why=exc.strerror or exc))
        return 0

    def _print(self, result, record, opts) -> None:
        out = self.stdout
        where = gettext("工作表“{sheet}”").format(sheet=result.sheet) if result.sheet else (result.encoding or result.format)
        out.write(gettext("{kind}导入：{name}（{where}，表头在第 {row} 行；导入记录 #{pk}）").format(
            kind=KINDS[record.kind], name=record.original_name, where=where, row=result.header_row, pk=record.pk))
        for col in result.mapping:
            target = col["field"] or "—"
            out.write(f"  {col['letter']} {col['header']} → {target}（{HOW_LABELS.get(col['how'], col['how'])}）"
                      + (f"；{col['note']}" if col["note"] else ""))
        for note in result.notes:
            out.write("  " + gettext("注意：{note}").format(note=note))
        shown = result.errors[:20]
        for e in shown:
            out.write("  " + gettext("第 {row} 行 “{column}” {value}：{error}").format(
                row=e.row, column=e.column, value=f"{e.value!s:.40}", error=e.error))
        if result.error_count > len(shown):
            out.write("  " + gettext("……另有 {n} 个问题").format(n=result.error_count - len(shown))
                      + (gettext("，见问题清单") if opts["report"] else gettext("（用 --report 输出全部）")))
        if not result.committed and record.dry_run and result.valid_rows:
            out.write(gettext("写入已校验的有效行：wenzhi import_registry --commit {pk} [--skip-invalid]").format(pk=record.pk))
        out.write(result.message)
