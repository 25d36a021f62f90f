"""Background tasks of opinion monitoring: thin wrappers that call services with primary keys.

``alerts_evaluate_task`` runs for every stored batch (the ``documents_stored`` signal enqueues it after the
batch commits) on the ``default`` queue, so an alert is raised within seconds of its document arriving. The
clock's work and everything that may take long -- reports (a PDF each, 16 to 33 s), the tick, e-mail and webhook
sends (a target that is down holds a send for its timeout) -- is on core's slow queue, which ``wenzhi serve``
gives a worker of its own: a report being written never holds up an alert batch. Within each queue, on a
backend that orders by priority (the database queue), alert batches go first and reports last.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import default_task_backend, task
from django_tasks.base import Task

from wenzhi.core.tasks import slow_task

ALERTS_PRIORITY = 50  # before every other task of the queue
CLOCK_PRIORITY = -50  # after every other task: reports and retries can wait a minute


def at_priority(t: Task, priority: int) -> Task:
    """``t`` at ``priority`` where the backend orders tasks by priority; as it is elsewhere (RQ, whose many
    workers are the answer to a long task)."""
    return t.using(priority=priority) if t.get_backend().supports_priority else t


@task()
def alerts_evaluate_task(document_ids: list[int]) -> int:
    """Match a stored batch against the active rules; returns the number of alerts raised."""
    from .services import alerts_evaluate
    from .services.schedule import tick_if_due

    raised = alerts_evaluate(document_ids=document_ids)
    tick_if_due()
    return len(raised)


@slow_task()
def deliveries_send_task(delivery_ids: list[int]) -> dict:
    """Send e-mails and webhook posts now; each failure is rescheduled with back-off (see notify.py)."""
    from . import notify

    sent = failed = 0
    retry = []
    for pk in delivery_ids:
        delivery = notify.attempt(pk)
        if delivery is None:
            continue
        when = notify.retry_after(delivery)
        if delivery.status == "delivered":
            sent += 1
        else:
            failed += 1
        if when is not None:
            retry.append((pk, when))
    _schedule_retries(retry)
    return {"sent": sent, "failed": failed}


def _schedule_retries(retry: list[tuple[int, dt.datetime]]) -> None:
    """With a backend that runs tasks later (the database queue, RQ) each retry is its own deferred task;
    otherwise ``wenzhi watch_tick`` (and every alert batch) sends what is due."""
    if not retry or not default_task_backend.supports_defer:
        return
    for pk, when in retry:
        deliveries_send_task.using(run_after=when).enqueue([pk])


@slow_task()
def report_make_task(kind: str, period_start: str, actor_id: int | None = None) -> int:
    """Make (or make again) one opinion report; returns its id."""
    from django.contrib.auth import get_user_model

    from .services.reports import report_make

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return report_make(actor=actor, kind=kind, period_start=dt.date.fromisoformat(period_start),
                       scheduled=actor is None).pk


@slow_task()
def report_due_task(kind: str, period_start: str) -> int | None:
    """Make (unless it exists) and mail the scheduled report of one period; returns its id."""
    from .services.schedule import report_due

    report = report_due(kind, dt.date.fromisoformat(period_start))
    return report.pk if report else None


@slow_task()
def watch_tick_task() -> dict:
    """Due retries now, and each due scheduled report as its own task (see services/schedule.py)."""
    from .services.schedule import tick

    return tick(queue_reports=True)
