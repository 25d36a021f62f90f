"""What every app's background import does with its :class:`~wenzhi.core.models.ImportRecord`: open the
stored upload for the engine, and keep the record's progress up to date while the worker reads."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.storage import FileSystemStorage
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
