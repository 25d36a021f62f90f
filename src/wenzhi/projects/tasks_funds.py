"""Background tasks of progress and checks: thin wrappers that call services."""

from __future__ import annotations

from wenzhi.core.tasks import slow_task

from .services.progress import fingerprints_backfill, reminders_send


@slow_task()
def progress_reminders_task() -> dict:
    """Send the due-soon reminders and overdue notices (each once per project and quarter); run it daily."""
    return reminders_send(actor=None)


@slow_task()
def application_fingerprints_task() -> dict:
    """Fingerprint the submitted applications that have none yet, for the near-duplicate check."""
    return {"fingerprinted": fingerprints_backfill()}
