from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wenzhi.statistics import periods
from wenzhi.statistics.models import ReportingForm
from wenzhi.statistics.services import reminders_send


class Command(BaseCommand):
    help = ("向逾期未报的单位发送统计报表催报（站内提醒和邮件）。"
            "Remind late reporters of a statistics form (in-app and e-mail).")

    def add_arguments(self, parser):
        parser.add_argument("--form", default="district_quarterly", help="报表代码（默认 district_quarterly）")
        parser.add_argument("--period", default="", help="报告期，如 2026Q3（默认：最近一个已结束的报告期）")
        parser.add_argument("--no-email", action="store_true", help="只发站内提醒，不发邮件")

    def handle(self, *args, form: str, period: str, no_email: bool, **options):
        reporting_form = ReportingForm.objects.filter(code=form).first()
        if reporting_form is None:
            raise CommandError(f"报表“{form}”不存在。")
        code = period or periods.last_complete(reporting_form.period_type, timezone.localdate())
        try:
            code = periods.parse(code).code
        except periods.PeriodCodeError as exc:
            raise CommandError(str(exc)) from None
        sent = reminders_send(actor=None, form=reporting_form, period_code=code, email=not no_email)
        self.stdout.write(f"{reporting_form.name} {code}：逾期单位 {sent['organisations']} 个，"
                          f"站内提醒 {sent['in_app']} 条，邮件 {sent['email']} 封。")
