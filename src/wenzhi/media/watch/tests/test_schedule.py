"""The clock's work: due reports made once per period, and, run as the alert batches' task, queued one task per
report after the alerts (the one embedded worker runs a task at a time)."""

import pytest
from django.core.cache import cache

from wenzhi.media.watch import tasks
from wenzhi.media.watch.models import OpinionReport
from wenzhi.media.watch.services import schedule

pytestmark = pytest.mark.django_db
# RQ has no task priorities: there the tasks are enqueued without one (media.watch.tasks.at_priority)
needs_priorities = pytest.mark.skipif(not tasks.report_due_task.get_backend().supports_priority,
                                      reason="the task backend in use (RQ) has no priorities")


@pytest.fixture
def queued(monkeypatch):
    """Tasks enqueued, as (task name, priority, args), instead of run; the cache's marks of reports already
    queued are cleared first (an earlier test's alert batch may have queued the same periods' reports)."""
    got = []
    cache.clear()

    def enqueue(self, *args, **kwargs):
        got.append((self.name, self.priority, args))

    monkeypatch.setattr(type(tasks.report_due_task), "enqueue", enqueue)
    yield got
    cache.clear()


@needs_priorities
def test_the_tick_task_queues_each_due_report_after_the_alerts_once(queued):
    result = schedule.tick(queue_reports=True)
    assert sorted(result["queued"]) == ["daily", "monthly", "weekly"] and not OpinionReport.objects.exists()
    assert {(name, priority) for name, priority, _args in queued} == {("report_due_task", tasks.CLOCK_PRIORITY)}
    assert schedule.tick(queue_reports=True)["queued"] == []  # still waiting in the queue: not queued again
    kind, start = queued[0][2]
    report = tasks.report_due_task.call(kind, start)
    assert OpinionReport.objects.get().pk == report
    assert tasks.report_due_task.call(kind, start) is None  # made once


@needs_priorities
def test_a_stored_batch_is_queued_before_everything_else(queued):
    from wenzhi.media.watch.receivers import documents_stored

    documents_stored(sender=None, document_ids=[3, 1])
    assert queued == [("alerts_evaluate_task", tasks.ALERTS_PRIORITY, ([3, 1],))]
    assert tasks.ALERTS_PRIORITY > 0 > tasks.CLOCK_PRIORITY


def test_the_command_makes_the_due_reports_itself():
    made = schedule.tick()["reports"]
    assert len(made) == 3 and OpinionReport.objects.count() == 3
    assert schedule.tick()["reports"] == []


def test_reports_and_sends_have_their_own_queue_beside_the_alert_batches():
    from wenzhi.core.tasks import SLOW_QUEUE

    assert tasks.alerts_evaluate_task.queue_name == "default"
    assert {t.queue_name for t in (tasks.report_make_task, tasks.report_due_task, tasks.watch_tick_task,
                                   tasks.deliveries_send_task)} == {SLOW_QUEUE}
