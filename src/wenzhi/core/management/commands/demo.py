import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wenzhi.core import hooks
from wenzhi.core.demo import demo_accounts, print_accounts


class Command(BaseCommand):
    help = "生成带“演示”标注的演示数据（登记库等）和每个角色一个演示账号。Generate labelled demo data."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="数据规模（1.0 = 天津实际规模，约 25,000 家企业）")
        parser.add_argument("--only", action="append", default=[], help="只运行指定的演示数据生成器")

    def handle(self, *args, scale: float, only: list[str], **options):
        if not settings.WENZHI_DEMO_ACCOUNTS:
            raise CommandError("当前配置（生产环境）不允许生成演示数据和演示账号。")
        for name, func, atomic in hooks.demo_steps():
            if only and name not in only:
                continue
            self.stdout.write(f"生成演示数据：{name} …")
            with transaction.atomic() if atomic else contextlib.nullcontext():
                result = func(scale=scale, stdout=self.stdout)
            self.stdout.write(f"  {result}")
        demo_accounts()
        print_accounts(self.stdout)
