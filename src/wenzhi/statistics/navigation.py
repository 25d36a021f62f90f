"""Statistics' entries in the main navigation, each behind the action its page needs."""

from django.utils.translation import gettext_lazy as _

from wenzhi.core import hooks

ENTRIES = (
    ("statistics_reports", _("统计填报"), "statistics:report_list", "statistics.view", 40),
    ("statistics_completeness", _("报送情况"), "statistics:completeness", "statistics.completeness", 41),
    ("statistics_indicators", _("统计指标"), "statistics:indicator_list", "statistics.catalogue", 42),
    ("statistics_forms", _("统计报表"), "statistics:form_list", "statistics.catalogue", 43),
    ("statistics_rules", _("校验规则"), "statistics:rule_list", "statistics.catalogue", 44),
    ("statistics_reminders", _("催报提醒"), "statistics:reminder_list", "statistics.view", 45),
)


def register() -> None:
    for key, label, url_name, action, order in ENTRIES:
        hooks.nav(hooks.NavEntry(key, label, url_name, action=action, order=order))
