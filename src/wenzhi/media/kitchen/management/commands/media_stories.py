"""``wenzhi media_stories --kind key_projects [--year 2026] [--period 2026Q3] [--week 2026-11-23] [--user editor]``:
draft a machine-written story (机器生成) from the data now, as that editor; it then waits for an editor's approval
in the central kitchen. ``--list`` shows each kind and whether its data is there.

Exit status: 0 drafted (prints the story's id, title and the number of checked figures); 1 refused (no data for
those parameters, a kind that is off); 2 bad arguments or no such editor.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "生成机器稿（年度重点项目名单发布、季度统计通报摘要、每周舆情摘要、每周电影票房报告），待编辑审核。"

    def add_arguments(self, parser):
        from wenzhi.media.kitchen.choices import MachineKind

        parser.add_argument("--kind", choices=MachineKind.values, help="机器稿类型")
        parser.add_argument("--year", type=int, help="重点项目名单的年度")
        parser.add_argument("--period", help="统计摘要的报告期，如 2026Q3")
        parser.add_argument("--week", help="舆情摘要、票房报告：该周任一日期，如 2026-11-23")
        parser.add_argument("--user", help="以哪位编辑的身份生成（默认：第一位融媒体编辑）")
        parser.add_argument("--list", action="store_true", help="列出各类型及其数据是否就绪")

    def handle(self, *args, **options):
        from django.core.exceptions import PermissionDenied, ValidationError

        from wenzhi.media.kitchen import services
        from wenzhi.media.kitchen.selectors import machine_kinds

        if options["list"]:
            for k in machine_kinds():
                state = "可用" if k["available"] else f"未开启：{k['reason']}"
                self.stdout.write(f"{k['kind']:<22} {k['label']}  {state}  {k['default']}")
            return
        if not options["kind"]:
            self.stderr.write("请用 --kind 指定机器稿类型（--list 查看各类型）。")
            sys.exit(2)
        user = self._user(options["user"])
        params = {k: options[k] for k in ("year", "period", "week") if options[k]}
        try:
            story = services.machine_story_draft(actor=user, kind=options["kind"], params=params)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            self.stderr.write("未生成：" + "；".join(messages))
            sys.exit(1)
        self.stdout.write(f"已生成机器稿 #{story.pk}：{story.title}\n数据核对项 {len(story.figures)} 个；"
                          f"请在中央厨房审核（/kitchen/stories/{story.pk}/）。")

    def _user(self, username: str | None):
        from wenzhi.core.choices import Role
        from wenzhi.core.models import User

        qs = User.objects.filter(is_active=True)
        user = (qs.filter(username=username).first() if username
                else qs.filter(roles__icontains=Role.MEDIA_EDITOR).order_by("id").first())
        if user is None:
            self.stderr.write(f"没有找到编辑账号：{username or '（融媒体编辑）'}")
            sys.exit(2)
        return user
