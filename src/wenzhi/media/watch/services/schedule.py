"""What runs on the clock: the scheduled opinion reports and the e-mails and webhook posts due for another try.

``tick`` is idempotent (a report exists once per kind and period; a delivery is claimed before it is sent), so it
may run from ``wenzhi watch_tick`` under cron or a systemd timer, and it also runs after alert batches (at most once
a minute, ``tick_if_due``) so that a platform with flowing documents needs no cron at all.
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


def ensure_schedules() -> None:
    """One schedule row per report kind (active by default)."""
    for kind in ReportKind.values:
        ReportSchedule.objects.get_or_create(kind=kind)


def reports_due(today: dt.date) -> list[OpinionReport]:
    """Make every active schedule's latest complete period that has no report yet; mail it to its list."""
    made = []
    ensure_schedules()
    for schedule in ReportSchedule.objects.filter(is_active=True):
        start, _end = last_complete_period(schedule.kind, today)
        if OpinionReport.objects.filter(kind=schedule.kind, period_start=start).exists():
            continue
        report = report_make(actor=None, kind=schedule.kind, period_start=start, scheduled=True)
        ReportSchedule.objects.filter(pk=schedule.pk).update(last_period_start=start)
        _mail(report, schedule.email_to)
        made.append(report)
    return made


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


def tick(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    tried = deliveries_due(now)
    reports = reports_due(timezone.localtime(now).date())
    return {"deliveries": tried, "reports": [r.pk for r in reports]}


TICK_KEY = "media_watch:tick"


def tick_if_due() -> bool:
    """Queue ``tick`` as its own task at most once per ``TICK_SECONDS`` (across processes sharing the cache):
    an alert batch never waits for a report to be written."""
    if not cache.add(TICK_KEY, 1, TICK_SECONDS):
        return False
    from ..tasks import watch_tick_task

    watch_tick_task.enqueue()
    return True
