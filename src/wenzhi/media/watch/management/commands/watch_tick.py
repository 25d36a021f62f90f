"""``wenzhi watch_tick``: make the scheduled opinion reports that are due and retry due webhook posts and e-mails
(run it every few minutes from cron or a systemd timer; alert batches also run it)."""

from django.core.management.base import BaseCommand

from ...services.schedule import tick


class Command(BaseCommand):
    help = "生成到期的舆情日报/周报/月报并重试到期的 Webhook 与邮件通知。"

    def handle(self, *args, **options):
        result = tick()
        self.stdout.write(f"deliveries tried: {result['deliveries']}; reports made: {len(result['reports'])}")
