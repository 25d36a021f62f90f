"""The project-list import task: a thin wrapper that reads the record and calls the service."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from wenzhi.core.importing import ImportFileError
from wenzhi.core.models import ImportRecord, User
from wenzhi.core.tasks import slow_task


@slow_task()
def project_import_task(record_id: int, commit: bool | None = None) -> dict:
    """Check or commit a project-list import (``record.dry_run`` decides unless ``commit`` is given), as the
    official who uploaded it or, for a commit, who chose to commit."""
    from .services.imports import project_import_run

    record = ImportRecord.objects.select_related("created_by").get(pk=record_id)
    actor = record.created_by
    actor_id = (record.options or {}).get("actor_id")
    if actor_id and actor_id != getattr(actor, "pk", None):
        actor = User.objects.get(pk=actor_id)
    # The record's messages are stored as text: in the language of the official who uploaded the file.
    with translation.override((record.options or {}).get("language") or settings.LANGUAGE_CODE):
        try:
            project_import_run(actor=actor, record=record, commit=commit)
        except ImportFileError:
            pass  # an unreadable file is an outcome, recorded on the import record, not a task failure
    record.refresh_from_db()
    return {"status": record.status, "created": record.created_count, "updated": record.updated_count,
            "errors": record.error_count}
