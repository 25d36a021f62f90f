"""``wenzhi import_projects FILE [--commit] [--skip-invalid] [--user NAME] [--background]``: check or import a
project list through an import record, as the pages do: the record keeps the outcome and the problems.

Without ``--background`` the command does the worker's part itself (printing progress); with it the record is
queued for the task worker and its number printed (the page ``/projects/import/<number>/`` follows it).
``wenzhi import_projects --commit-record N`` queues (or, without ``--background``, runs) the commit of a checked
record. Exit status: 0 every row valid; 1 rows rejected (nothing written without ``--skip-invalid``); 2 the file
could not be read; 4 bad arguments.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenzhi.core.importing import ImportFileError
from wenzhi.core.models import ImportRecord, User

from ...services import imports as svc


class Command(BaseCommand):
    help = "校验或导入项目清单（.xlsx/.csv），结果记入导入记录。Check or import a project list."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--commit", action="store_true", help="校验并写入（默认只校验）")
        parser.add_argument("--commit-record", type=int, metavar="编号", help="写入已校验的导入记录")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行")
        parser.add_argument("--user", default="", help="以该用户的权限和范围导入（默认：平台本身）")
        parser.add_argument("--background", action="store_true", help="交给后台任务处理，打印导入记录编号")

    def handle(self, *args, file, commit, commit_record, skip_invalid, user, background, **options):
        actor = self._actor(user)
        if commit_record is not None:
            record = ImportRecord.objects.filter(pk=commit_record, kind=svc.KIND).first()
            if record is None:
                raise CommandError(f"没有项目清单导入记录 {commit_record}")
            try:
                record = svc.project_import_commit_prepare(actor=actor or record.created_by, record=record,
                                                           skip_invalid=skip_invalid)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            actor = actor or record.created_by
        else:
            if not file or not Path(file).is_file():
                raise CommandError(f"找不到文件 {file or '（未指定）'}")
            with open(file, "rb") as fh:
                record = svc.project_import_create(actor=actor, uploaded=fh, filename=Path(file).name,
                                                   skip_invalid=skip_invalid, commit=commit)
        if background:
            svc.project_import_start(record=record)
            self.stdout.write(f"已排队：导入记录 {record.pk}（/projects/import/{record.pk}/）")
            return
        self._run(actor, record)

    def _actor(self, username: str):
        if not username:
            return None
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"没有用户 {username}")
        return actor

    def _run(self, actor, record: ImportRecord) -> None:
        def progress(done, total, phase):
            if self.stderr.isatty():
                self.stderr.write(f"\r{phase} {done}/{total or '?'}", ending="")

        try:
            result = svc.project_import_run(actor=actor, record=record, progress=progress)
        except ImportFileError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        self.stdout.write(f"导入记录 {record.pk}：{result.message}")
        for e in result.errors[:50]:
            self.stdout.write(f"  第 {e.row} 行 {e.column}：{e.error}（{e.value}）")
        if result.error_count:
            sys.exit(1)
