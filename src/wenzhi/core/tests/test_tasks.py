"""The embedded task queue: a task enqueued in the database runs in `wenzhi db_worker` serving its queue."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "slow"]}})
def test_database_queue_runs_task_in_worker(tmp_path):
    if connection.vendor == "postgresql":
        import shutil

        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump is not installed on this machine")
    from wenzhi.core.tasks import database_backup_task

    target = tmp_path / "queued.bak"
    result = database_backup_task.enqueue(str(target))
    assert result.status == "READY"
    assert not target.exists()
    assert result.task.queue_name == "slow"  # a backup may take minutes: not before the alert batches
    call_command("db_worker", batch=True, verbosity=0, queue_name="default")
    result.refresh()
    assert result.status == "READY" and not target.exists()
    call_command("db_worker", batch=True, verbosity=0, queue_name="slow")
    result.refresh()
    assert result.status == "SUCCESSFUL", result.status
    assert result.return_value == str(target)
    assert target.stat().st_size > 0


def test_configured_backend_runs_task(tmp_path, settings):
    """With WENZHI_TEST_REDIS_URL set this goes through Redis and an RQ job; otherwise the immediate backend."""
    if connection.vendor == "postgresql":
        import shutil

        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump is not installed on this machine")
    from wenzhi.core.tasks import database_backup_task

    target = tmp_path / "configured.bak"
    result = database_backup_task.enqueue(str(target))
    if result.status != "SUCCESSFUL":  # the immediate backend has already finished; RQ stores it in Redis
        result.refresh()
    assert result.status == "SUCCESSFUL", (settings.TASKS, result.status)
    assert target.stat().st_size > 0


def test_serve_runs_one_worker_per_queue():
    from wenzhi.core.tasks import DEFAULT_QUEUE_MAX_TASKS, worker_commands

    db = worker_commands("db", 20)
    assert [c[c.index("--queue-name") + 1] for c in db] == ["default", "slow"]
    assert [c[c.index("--max-tasks") + 1] for c in db] == [str(DEFAULT_QUEUE_MAX_TASKS), "20"]
    rq = worker_commands("rq", 20)
    assert [c[:2] for c in rq] == [["rqworker", "default"], ["rqworker", "slow"]]
