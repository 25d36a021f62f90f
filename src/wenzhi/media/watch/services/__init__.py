"""Every write of opinion monitoring: alerts and their handling, rules and webhooks, reports."""

from .alerts import alert_step, alerts_evaluate, notifications_read
from .config import rule_save, webhook_save
from .reports import report_make

__all__ = ["alert_step", "alerts_evaluate", "notifications_read", "report_make", "rule_save", "webhook_save"]
