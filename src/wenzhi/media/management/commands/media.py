"""``wenzhi media``: ingest a file, fetch or schedule sources, serve the demo feeds."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("舆情监测：ingest（导入 JSON Lines 文件）、fetch（立即抓取信息源）、schedule（启动定时抓取）、"
            "feeds（在 127.0.0.1 上提供演示信息源）。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="导入 JSON Lines 文件：每行 {id, title, text, url, published_at}")
        ingest.add_argument("file")
        ingest.add_argument("--source", required=True, help="信息源名称（不存在时按“命令行文件导入”类型新建）")
        ingest.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                            help="并行分析的进程数（默认为 CPU 核数，最多 2）")
        ingest.add_argument("--batch", type=int, default=2000, help="每批条数（每批一个事务）")
        ingest.add_argument("--queue", action="store_true",
                            help="把每批交给后台任务队列（内置数据库 worker 或 RQ），等待全部完成")
        ingest.add_argument("--quiet", action="store_true", help="不打印进度")
        fetch = sub.add_parser("fetch", help="立即抓取信息源（不论退避）")
        fetch.add_argument("names", nargs="*", help="信息源名称；不给则抓取全部启用的订阅类信息源")
        sub.add_parser("schedule", help="为每个启用的订阅类信息源排定下一次抓取（后台任务）")
        feeds = sub.add_parser("feeds", help="在本机提供演示信息源（RSS 与 JSON），回放共享的标题和评论语料")
        feeds.add_argument("--host", default="127.0.0.1")
        feeds.add_argument("--port", type=int, default=int(os.environ.get("WENZHI_DEMO_FEED_PORT", "8765")))

    def handle(self, *args, action: str, **options):
        return getattr(self, f"_{action}")(**options) or ""

    def _ingest(self, *, file: str, source: str, jobs: int, batch: int, queue: bool, quiet: bool, **_):
        from wenzhi.media.choices import SourceKind
        from wenzhi.media.models import Source
        from wenzhi.media.pipeline import ingest_file, ingest_file_queued

        if not os.path.isfile(file):
            raise CommandError(f"文件不存在：{file}")
        src, created = Source.objects.get_or_create(name=source[:100], defaults={"kind": SourceKind.FILE})
        if created:
            self.stdout.write(f"新建信息源“{src.name}”（命令行文件导入）")

        def progress(total, seconds):
            if not quiet:
                self.stdout.write(f"  已入库 {total.stored:,} 条（{total.stored / seconds:,.0f} 条/秒）")

        if queue:
            stats = ingest_file_queued(file, src, batch=batch)
        else:
            stats = ingest_file(file, src, jobs=max(1, jobs), batch=batch, progress=progress)
        r = stats.result
        self.stdout.write(f"入库 {r.stored:,} 条（新 {r.new:,}，重复归组 {r.duplicates:,}），无效 {r.rejected:,} 条；"
                          f"用时 {stats.seconds:.1f} 秒，{stats.rate:,.0f} 条/秒")
        self.stdout.write(f"count={r.stored} rate={stats.rate:.1f}/s")
        for err in r.errors[:20]:
            self.stderr.write(f"  {err}")

    def _fetch(self, *, names: list[str], **_):
        from wenzhi.media.choices import SourceKind
        from wenzhi.media.fetch import fetch_source
        from wenzhi.media.models import Source

        qs = Source.objects.filter(name__in=names) if names else Source.objects.filter(
            enabled=True, kind__in=[SourceKind.RSS, SourceKind.JSON, SourceKind.HTML])
        missing = set(names) - set(qs.values_list("name", flat=True))
        if missing:
            raise CommandError(f"没有这些信息源：{'、'.join(sorted(missing))}")
        for source in qs:
            log = fetch_source(source, force=True)
            self.stdout.write(f"{source.name}：{log.get_outcome_display()}，条目 {log.items}，新 {log.new_documents}，"
                              f"重复 {log.duplicates}{('；' + log.error[:200]) if log.error else ''}")

    def _schedule(self, **_):
        from wenzhi.media.tasks import schedule_sources_task

        schedule_sources_task.enqueue()
        self.stdout.write("已排定各信息源的抓取（由后台任务 worker 执行）")

    def _feeds(self, *, host: str, port: int, **_):
        from wenzhi.media.demofeeds import serve

        self.stdout.write(f"演示信息源：http://{host}:{port}/  （Ctrl-C 停止）")
        serve(host, port)
