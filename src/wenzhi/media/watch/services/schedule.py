"""What runs on the clock: the scheduled opinion reports and the e-mails and webhook posts due for another try.

``tick`` is idempotent (a report exists once per kind and period; a delivery is claimed before it is sent), so it
may run from ``wenzhi watch_tick`` under cron or a systemd timer, and it also runs after alert batches (at most once
a minute, ``tick_if_due``) so that a platform with flowing documents needs no cron at all. Run as a task, it
queues each due report as a task of its own, last in the queue: alert batches go between them.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.utils import timezone

from .. import notify
from ..choices import DeliveryStatus, ReportKind
from ..models import Delivery, OpinionReport, ReportSchedule
from .reports import last_complete_period, report_make

logger = logging.getLogger(__name__)
TICK_SECONDS = 60
TICK_KEY = "media_watch:tick"
REPORT_QUEUED_SECONDS = 3600


def ensure_schedules() -> None:
    """One schedule row per report kind (active by default)."""
    for kind in ReportKind.values:
        ReportSchedule.objects.get_or_create(kind=kind)


def due_periods(today: dt.date) -> list[tuple[str, dt.date]]:
    """(kind, period start) of every active schedule's latest complete period that has no report yet."""
    ensure_schedules()
    due = []
    for schedule in ReportSchedule.objects.filter(is_active=True):
        start, _end = last_complete_period(schedule.kind, today)
        if not OpinionReport.objects.filter(kind=schedule.kind, period_start=start).exists():
            due.append((schedule.kind, start))
    return due


def report_due(kind: str, start: dt.date) -> OpinionReport | None:
    """Make the scheduled report of ``kind`` for the period from ``start`` (unless made meanwhile) and mail it
    to its schedule's list."""
    if OpinionReport.objects.filter(kind=kind, period_start=start).exists():
        return None
    report = report_make(actor=None, kind=kind, period_start=start, scheduled=True)
    ReportSchedule.objects.filter(kind=kind).update(last_period_start=start)
    schedule = ReportSchedule.objects.filter(kind=kind).first()
    _mail(report, schedule.email_to if schedule else [])
    return report


def reports_due(today: dt.date) -> list[OpinionReport]:
    """Make every active schedule's latest complete period that has no report yet; mail it to its list."""
    return [r for kind, start in due_periods(today) if (r := report_due(kind, start)) is not None]


def _queue_reports(today: dt.date) -> list[str]:
    """Queue each due report as its own task, last in the queue, once an hour at most (one that is still
    waiting is not queued again by the next tick); returns the kinds queued."""
    from ..tasks import CLOCK_PRIORITY, at_priority, report_due_task

    queued = []
    for kind, start in due_periods(today):
        if cache.add(f"{TICK_KEY}:report:{kind}:{start.isoformat()}", 1, REPORT_QUEUED_SECONDS):
            at_priority(report_due_task, CLOCK_PRIORITY).enqueue(kind, start.isoformat())
            queued.append(kind)
    return queued


def _mail(report: OpinionReport, addresses: list[str]) -> None:
    if not addresses:
        return
    message = EmailMessage(report.title, f"{report.title}，见附件。", settings.DEFAULT_FROM_EMAIL, addresses)
    for field in (report.docx, report.pdf):
        if field:
            with field.open("rb") as fh:
                message.attach((field.name or "report").rsplit("/", 1)[-1], fh.read())
    try:
        message.send()
    except OSError:
        logger.exception("opinion report mail failed: %s", report.pk)


def deliveries_due(now: dt.datetime) -> int:
    """Try every pending delivery whose next attempt is due; returns how many were tried."""
    ids = list(Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:200])
    return sum(1 for pk in ids if notify.attempt(pk, now) is not None)


def tick(now: dt.datetime | None = None, *, queue_reports: bool = False) -> dict:
    """Try the due deliveries, then make the due reports (or, with ``queue_reports``, queue a task for each)."""
    now = now or timezone.now()
    tried = deliveries_due(now)
    today = timezone.localtime(now).date()
    if queue_reports:
        return {"deliveries": tried, "reports": [], "queued": _queue_reports(today)}
    return {"deliveries": tried, "reports": [r.pk for r in reports_due(today)]}


def tick_if_due() -> bool:
    """Queue ``tick`` as its own task at most once per ``TICK_SECONDS`` (across processes sharing the cache):
    an alert batch never waits for a report to be written."""
    if not cache.add(TICK_KEY, 1, TICK_SECONDS):
        return False
    from ..tasks import CLOCK_PRIORITY, at_priority, watch_tick_task

    at_priority(watch_tick_task, CLOCK_PRIORITY).enqueue()
    return True
