"""Every write of opinion monitoring: alerts and their handling, rules and webhooks, reports."""

from .alerts import alert_step, alerts_evaluate, notifications_read
from .config import rule_save, webhook_save

__all__ = ["alert_step", "alerts_evaluate", "notifications_read", "rule_save", "webhook_save"]
