from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from wenzhi.core.backup import BackupError, backup, safety_dir


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]  # argparse needs a str, not a lazy translation
        return gettext("备份数据库和上传文件到一个 .tar.gz 归档（SQLite 在线备份 / PostgreSQL pg_dump）；退出码见 README。")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=gettext_lazy("备份文件路径（默认 var/backups/wenzhi-时间.tar.gz）"))

    def handle(self, *args, file: str | None, **options):
        target = Path(file) if file else safety_dir() / f"wenzhi-{timezone.localtime().strftime('%Y%m%d-%H%M%S')}.tar.gz"
        try:
            path = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.code) from exc
        self.stdout.write(gettext("已备份到 %(path)s（%(size)s 字节，含数据库和上传文件）")
                          % {"path": path, "size": f"{path.stat().st_size:,}"})
