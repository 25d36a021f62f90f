"""Background tasks of the registry: thin wrappers that call services with primary keys."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from wenzhi.core.importing import ImportFileError
from wenzhi.core.models import ImportRecord, User
from wenzhi.core.tasks import slow_task

from .importing.services import registry_import


def _run(record_id: int, commit: bool | None) -> dict:
    record = ImportRecord.objects.select_related("created_by").get(pk=record_id)
    actor = record.created_by
    actor_id = (record.options or {}).get("actor_id")
    if actor_id and actor_id != getattr(actor, "pk", None):  # the official who chose to commit
        actor = User.objects.get(pk=actor_id)
    # The report's messages are stored as text: written in the language of the official who uploaded the file.
    with translation.override((record.options or {}).get("language") or settings.LANGUAGE_CODE):
        try:
            registry_import(actor=actor, record=record, commit=commit)
        except ImportFileError:
            pass  # an unreadable file is an outcome, recorded on the import record, not a task failure
    record.refresh_from_db()
    return {"status": record.status, "created": record.created_count, "updated": record.updated_count,
            "errors": record.error_count}


@slow_task()
def enterprise_import_task(record_id: int, commit: bool | None = None) -> dict:
    """Check or commit an enterprise import (``record.dry_run`` decides unless ``commit`` is given)."""
    return _run(record_id, commit)


@slow_task()
def park_import_task(record_id: int, commit: bool | None = None) -> dict:
    """Check or commit a park and base import."""
    return _run(record_id, commit)


@slow_task()
def talent_import_task(record_id: int, commit: bool | None = None) -> dict:
    """Check or commit a talent import."""
    return _run(record_id, commit)


IMPORT_TASKS = {"enterprise": enterprise_import_task, "park": park_import_task, "talent": talent_import_task}
