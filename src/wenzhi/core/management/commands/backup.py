from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wenzhi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库到文件（SQLite 在线备份 / PostgreSQL pg_dump）。Back up the database."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="备份文件路径（默认 var/backups/wenzhi-时间.bak）")

    def handle(self, *args, file: str | None, **options):
        from django.conf import settings

        target = Path(file) if file else settings.VAR_DIR / "backups" / (
            f"wenzhi-{timezone.localtime().strftime('%Y%m%d-%H%M%S')}.bak")
        try:
            path = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已备份到 {path}（{path.stat().st_size:,} 字节）")
