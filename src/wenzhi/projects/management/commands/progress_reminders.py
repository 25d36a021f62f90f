"""``wenzhi progress_reminders``: send progress-report reminders and overdue notices now (for a daily cron)."""

from django.core.management.base import BaseCommand

from wenzhi.projects.services.progress import reminders_send


class Command(BaseCommand):
    help = "发送季度进度报告到期提醒和逾期通知（每个项目每季度只发一次）"

    def handle(self, *args, **options):
        sent = reminders_send(actor=None)
        self.stdout.write(f"reminders={sent['reminders']} overdue={sent['overdue']}")
