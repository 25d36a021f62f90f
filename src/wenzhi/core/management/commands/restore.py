import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy

from wenzhi.core.backup import EXIT_NOT_CONFIRMED, BackupError, restore


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # argparse needs a str, not a lazy translation
        return gettext("从备份归档恢复数据库和上传文件（覆盖当前数据，先自动留一份安全副本）；退出码见 README。")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help=gettext_lazy("不询问，直接覆盖当前数据库"))
        parser.add_argument("--no-safety-copy", action="store_true",
                            help=gettext_lazy("恢复前不备份当前数据（默认会先备份到 var/backups/before-restore-时间.tar.gz）"))

    def handle(self, *args, file: str, yes: bool, no_safety_copy: bool, **options):
        if not yes:
            self.confirm(file)
        try:
            result = restore(Path(file), safety_copy=not no_safety_copy)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.code) from exc
        if result.safety_copy:
            self.stdout.write(gettext("恢复前的数据已另存为 %(path)s") % {"path": result.safety_copy})
        done = gettext("已从 %(file)s 恢复数据库和上传文件。") if result.media_restored else gettext("已从 %(file)s 恢复数据库。")
        self.stdout.write(done % {"file": file})
        if result.migrations_behind:
            self.stdout.write(gettext("备份的数据库结构比本程序旧（缺 %(count)s 个迁移）：请运行 wenzhi migrate。")
                              % {"count": len(result.migrations_behind)})

    def confirm(self, file: str) -> None:
        stdin = getattr(self, "stdin", None) or sys.stdin
        if not stdin.isatty():
            raise CommandError(gettext("恢复会覆盖当前数据库，需要确认；当前没有可交互的终端：确认无误后请加 --yes 再运行。"),
                               returncode=EXIT_NOT_CONFIRMED)
        try:
            answer = input(gettext("将用 %(file)s 覆盖当前数据库和上传文件（会先自动备份当前数据），确定吗？[y/N] ") % {"file": file})
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            raise CommandError(gettext("已取消，数据库未作改动。"), returncode=EXIT_NOT_CONFIRMED)
