from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenzhi.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从备份文件恢复数据库（覆盖当前数据）。Restore the database from a backup."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="不询问，直接覆盖当前数据库")

    def handle(self, *args, file: str, yes: bool, **options):
        if not yes and options.get("interactive", True):
            answer = input(f"将用 {file} 覆盖当前数据库，确定吗？[y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("已取消。")
        try:
            restore(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {file} 恢复数据库。")
