"""What opinion monitoring registers with core when Django starts: permissions, navigation, demo data and the
coverage tab on registry and project pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from wenzhi.core import hooks

    from . import coverage, demo, permissions

    permissions.register()
    for key, label, url, action, order in (
        ("watch_dashboard", _("舆情态势"), "watch:dashboard", "watch.dashboard", 60),
        ("watch_alerts", _("预警处置"), "watch:alert_list", "alert.view", 61),
        ("watch_rules", _("预警规则"), "watch:rule_list", "alert_rule.view", 62),
        ("watch_figures", _("处置时效"), "watch:figures", "alert.figures", 63),
        ("watch_reports", _("舆情报告"), "watch:report_list", "opinion_report.view", 64),
        ("watch_webhooks", _("Webhook 推送"), "watch:webhook_list", "webhook.manage", 65),
    ):
        hooks.nav(hooks.NavEntry(key, label, url, action=action, order=order))
    hooks.demo_provider("media_watch", demo.generate, order=80, atomic=False)
    coverage.register()
