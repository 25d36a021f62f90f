"""Background tasks of core: thin wrappers that call services; and the platform's two task queues.

Every task goes to ``default`` (ingestion, alert batches, search indexing: work that must not wait) unless it
is declared on :data:`SLOW_QUEUE` (reports, imports, backups, mail and webhook sends: work that may take
minutes or wait on another machine). ``wenzhi serve`` runs one worker per queue (:func:`worker_commands`), so
a PDF report being written never holds up the next alert batch. Both queues are declared in the settings'
``TASKS`` (and ``RQ_QUEUES``); on RQ any number of workers may serve either.
"""

from pathlib import Path

from django_tasks import task

from .backup import backup

SLOW_QUEUE = "slow"
QUEUES = ("default", SLOW_QUEUE)
# The default queue's tasks are batches of bounded size and its worker is recycled rarely: a fresh worker takes
# seconds to start (25 s on a loaded 2-core machine), and the alert batches would wait for it. The heavy tasks
# (imports, reports) whose memory recycling gives back are on the slow queue, recycled every ``max_tasks``.
DEFAULT_QUEUE_MAX_TASKS = 1000


def slow_task(*args, **kwargs):
    """``@task`` on :data:`SLOW_QUEUE`."""
    return task(*args, queue_name=SLOW_QUEUE, **kwargs)


def worker_commands(backend: str, max_tasks: int) -> list[list[str]]:
    """The ``wenzhi`` arguments of one worker per queue (``backend``: ``db`` or ``rq``); the slow queue's exits
    after ``max_tasks`` tasks, the default queue's after :data:`DEFAULT_QUEUE_MAX_TASKS` (or ``max_tasks`` if
    more), and the caller starts it again, so that the memory a heavy task took goes back."""
    limits = {"default": max(max_tasks, DEFAULT_QUEUE_MAX_TASKS), SLOW_QUEUE: max_tasks}
    if backend == "rq":
        return [["rqworker", queue, "--job-class", "django_tasks_rq.Job", "--max-jobs", str(limits[queue])]
                for queue in QUEUES]
    return [["db_worker", "--queue-name", queue, "--max-tasks", str(limits[queue])] for queue in QUEUES]


@slow_task()
def database_backup_task(target: str) -> str:
    """Back up the database to ``target`` off the request path (e.g. from an admin action or a schedule)."""
    return str(backup(Path(target)))
