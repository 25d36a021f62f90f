"""What every app's background import does with its :class:`~wenzhi.core.models.ImportRecord`: open the
stored upload for the engine, keep the record's progress up to date while the worker reads, and expire the
imports never committed (with their upload, checked rows and problem report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone
from django.utils.translation import gettext

Progress = Callable[[int, int | None, str], None]


def record_source(record):
    """The upload as the engine reads it: a path on local disk (openpyxl then reads it lazily), else an open
    file from the remote storage."""
    if isinstance(record.file.storage, FileSystemStorage):
        return record.file.path
    return record.file.open("rb")


def record_progress(record, also: Progress | None = None, *, every: int = 2000) -> Progress:
    """A progress callback that saves the rows checked on ``record`` every ``every`` rows (and at the end),
    says when writing starts, and passes each call on to ``also``."""
    from wenzhi.core.models import ImportRecord

    last = {"n": -1}

    def progress(done: int, total: int | None, phase: str) -> None:
        if also:
            also(done, total, phase)
        if phase == "write" and done == 0:
            ImportRecord.objects.filter(pk=record.pk).update(
                message=gettext("校验完成，正在写入 {n} 行").format(n=total))
            return
        if phase != "check" or (done - last["n"] < every and done != total):
            return
        last["n"] = done
        ImportRecord.objects.filter(pk=record.pk).update(processed_rows=done, total_rows=max(total or 0, done))
    return progress


def keep_days() -> int:
    """How many days an import never committed is kept (``WENZHI_IMPORT_KEEP_DAYS``, 7 by default)."""
    return int(getattr(settings, "WENZHI_IMPORT_KEEP_DAYS", 7))


def expire_records(kinds: Iterable[str] | None = None, *, now: dt.datetime | None = None,
                   days: int | None = None) -> int:
    """Delete the imports of ``kinds`` (every kind when None) never committed and older than ``days`` (default
    :func:`keep_days`), with their upload, checked rows and problem report; committed imports keep their
    original file and report, and an import still running is left alone. Returns how many were deleted."""
    from wenzhi.core.models import ImportRecord

    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days() if days is None else days)
    stale = ImportRecord.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[ImportRecord.Status.COMMITTED, ImportRecord.Status.RUNNING])
    if kinds is not None:
        stale = stale.filter(kind__in=list(kinds))
    deleted = 0
    for record in stale.iterator():
        delete_record_files(record)
        record.delete()
        deleted += 1
    return deleted


def delete_record_files(record) -> None:
    """Delete an import's stored upload and the files its options name (checked rows, problem report)."""
    for key in ("checked", "problems"):
        stored = (record.options or {}).get(key)
        if isinstance(stored, dict) and stored.get("name"):
            default_storage.delete(stored["name"])
    if record.file:
        record.file.delete(save=False)
