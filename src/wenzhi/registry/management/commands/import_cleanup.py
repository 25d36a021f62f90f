"""``wenzhi import_cleanup [--days N]``: delete imports never committed and older than N days, of every kind
(registry lists and project lists alike: ``core.importing.records.expire_records``).

Each goes with its upload, its checked rows and its problem report; committed imports keep their original file.
The same cleanup runs on every new upload; run this from cron (or a timer) where uploads are rare.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from wenzhi.core.importing.records import expire_records
from wenzhi.registry.importing.services import KEEP_DAYS


class Command(BaseCommand):
    help = "删除超过保留期、从未导入的导入记录及其上传文件、校验结果和问题清单。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEEP_DAYS,
                            help=f"保留天数（默认 WENZHI_IMPORT_KEEP_DAYS，{KEEP_DAYS} 天）")

    def handle(self, *args, days: int, **opts):
        n = expire_records(days=days)
        self.stdout.write(gettext("已删除 {n} 条过期的导入记录及其文件。").format(n=n))
