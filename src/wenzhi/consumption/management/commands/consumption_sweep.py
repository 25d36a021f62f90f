"""``wenzhi consumption_sweep``: expire ticket orders whose seat hold lapsed and release their seats (run it every
minute from cron or a systemd timer), or ``--schedule`` to start the task worker's own sweep every minute."""

from django.core.management.base import BaseCommand

from ...services.holds import holds_sweep


class Command(BaseCommand):
    help = "释放超时未支付的锁座并使其订单失效。Expire lapsed seat holds and release their seats."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="由后台任务每分钟执行一次（启动任务链） / start the task worker's sweep every minute")

    def handle(self, *args, schedule: bool, **options):
        if schedule:
            from ...tasks import holds_sweep_task

            holds_sweep_task.enqueue()
            self.stdout.write("hold sweep scheduled (every minute on the task worker)")
            return
        result = holds_sweep()
        self.stdout.write(f"orders expired: {result['orders']}; seats released: {result['seats']}; "
                          f"batches: {result['batches']}")
