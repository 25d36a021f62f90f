"""Background tasks of core: thin wrappers that call services."""

from pathlib import Path

from django_tasks import task

from .backup import backup


@task()
def database_backup_task(target: str) -> str:
    """Back up the database to ``target`` off the request path (e.g. from an admin action or a schedule)."""
    return str(backup(Path(target)))
