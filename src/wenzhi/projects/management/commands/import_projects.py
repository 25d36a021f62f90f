"""``wenzhi import_projects FILE [--commit] [--skip-invalid] [--user NAME]``: check or import a project list."""

from django.core.management.base import BaseCommand, CommandError

from wenzhi.core.importing import ImportFileError
from wenzhi.core.models import User

from ...importing import project_import


class Command(BaseCommand):
    help = "校验或导入项目清单（.xlsx/.csv）。Check or import a project list."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="写入（默认只校验）")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过有问题的行")
        parser.add_argument("--user", default="", help="以该用户的权限和范围导入（默认：平台本身）")

    def handle(self, *args, file: str, commit: bool, skip_invalid: bool, user: str, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有用户 {user}")
        try:
            result = project_import(actor=actor, source=file, commit=commit, skip_invalid=skip_invalid)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.message)
        for e in result.errors[:50]:
            self.stdout.write(f"  第 {e.row} 行 {e.column}：{e.error}（{e.value}）")
        if result.error_count:
            raise SystemExit(1)
