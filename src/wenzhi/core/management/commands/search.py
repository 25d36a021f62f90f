import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wenzhi.core import search


class Command(BaseCommand):
    help = "全文检索索引：wenzhi search rebuild [--type enterprise] 重建索引。Full-text search index."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="从数据重建索引（分批）")
        rebuild.add_argument("--type", dest="type_key", help="只重建一种类型，如 enterprise、park、talent、directory")
        rebuild.add_argument("--batch", type=int, default=2000, help="每批条数（默认 2000）")

    def handle(self, *args, action: str, type_key: str | None = None, batch: int = 2000, **options):
        known = [t.key for t in search.types()]
        if type_key and type_key not in known:
            raise CommandError(_("没有可检索的类型“%(type)s”；可选：%(known)s") % {"type": type_key, "known": "、".join(known)})
        if batch < 1:
            raise CommandError(_("--batch 必须是正整数"))
        started = time.perf_counter()

        def progress(key: str, count: int) -> None:
            if count % (batch * 10) == 0:
                self.stdout.write(_("  %(type)s：已索引 %(count)s 条") % {"type": key, "count": f"{count:,}"})

        counts = search.rebuild(type_key, batch=batch, progress=progress)
        seconds = time.perf_counter() - started
        total = sum(counts.values())
        for key, count in counts.items():
            self.stdout.write(_("%(type)s：%(count)s 条") % {"type": key, "count": f"{count:,}"})
        self.stdout.write(_("已重建索引：共 %(count)s 条，用时 %(seconds).1f 秒（%(rate)s 条/秒）") % {
            "count": f"{total:,}", "seconds": seconds, "rate": f"{total / seconds:,.0f}" if seconds else "-"})
