"""Project-list imports run by the task worker, as the registry's imports are: the request (or the command line)
stores the upload as an :class:`~wenzhi.core.models.ImportRecord` and queues its check; the worker reads the file
with core's import engine (constant memory for .xlsx), checks every row against the permission table and the
caller's scope (``importing.ProjectImporter``), keeps the valid rows compactly in a temporary file, and records
progress, problems and the outcome on the record. A commit is a second run queued by an official: it checks the
file again (the library may have changed since the dry run) and writes the valid rows in one durable transaction,
all of them or, with ``skip_invalid`` off and any invalid row, none.
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import get_language, gettext

from wenzhi.core.importing import ImportFileError, ImportResult, open_table, run_import
from wenzhi.core.importing.checked import CheckedRowsWriter, read_checked
from wenzhi.core.importing.engine import commit_refusal, write_checked
from wenzhi.core.importing.records import Progress, expire_records, record_progress, record_source
from wenzhi.core.models import ImportRecord
from wenzhi.core.permissions import require

from ..importing import SCHEMA, ProjectImporter

KIND = "project"
RECORD_ERRORS_KEPT = 500


def project_import_create(*, actor, uploaded, filename: str = "", skip_invalid: bool = False,
                          commit: bool = False) -> ImportRecord:
    """Store an uploaded project list with a new import record (pending); nothing is read yet. With ``commit``
    the worker checks and writes in one run (no dry run first). ``actor`` None is the command line run by the
    server's operator. Project imports never committed and past ``WENZHI_IMPORT_KEEP_DAYS`` are deleted first,
    with their files, as the registry's are (``core.importing.records.expire_records``)."""
    if actor is not None:
        require(actor, "project.import")
    expire_records([KIND])
    name = (filename or getattr(uploaded, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200]
    record = ImportRecord(kind=KIND, original_name=name, created_by=actor, dry_run=not commit,
                          options={"skip_invalid": skip_invalid, "language": get_language()})
    content = uploaded if hasattr(uploaded, "chunks") else ContentFile(
        uploaded.read() if hasattr(uploaded, "read") else uploaded)
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    record.file.save(f"projects.{suffix if suffix.isalnum() else 'bin'}", content, save=False)
    with transaction.atomic(durable=True):
        record.save()
    return record


def project_import_start(*, record: ImportRecord, commit: bool | None = None) -> None:
    """Queue the check (or the commit) of ``record`` for the task worker, once the current transaction commits."""
    from ..tasks_imports import project_import_task

    ImportRecord.objects.filter(pk=record.pk).update(status=ImportRecord.Status.PENDING,
                                                     message=gettext("已排队，等待后台处理"))
    record.status = ImportRecord.Status.PENDING
    transaction.on_commit(lambda: project_import_task.enqueue(record.pk, commit))


def project_import_commit_prepare(*, actor, record: ImportRecord, skip_invalid: bool) -> ImportRecord:
    """Turn a checked import into a commit by ``actor`` (recorded as the author of every change)."""
    require(actor, "project.import", record)
    with transaction.atomic(durable=True):
        record = ImportRecord.objects.select_for_update().get(pk=record.pk, kind=KIND)
        if record.status not in (ImportRecord.Status.CHECKED, ImportRecord.Status.REJECTED):
            raise ValueError(gettext("只有已校验、尚未导入的记录可以导入"))
        record.dry_run, record.status = False, ImportRecord.Status.PENDING
        record.options = {**(record.options or {}), "skip_invalid": skip_invalid,
                          "actor_id": getattr(actor, "pk", None)}
        record.message = gettext("等待导入")
        record.save(update_fields=["dry_run", "status", "options", "message"])
    return record


def project_import_run(*, actor, record: ImportRecord, commit: bool | None = None,
                       progress: Progress | None = None) -> ImportResult:
    """Check (``record.dry_run``) or commit ``record`` (the task's body; the command line calls it directly).

    Every row passes "project.add" / "project.change" for ``actor`` on the row's owner and project; the record
    keeps the outcome, the first problems and the counts. An unreadable file marks the record failed and raises
    :class:`ImportFileError`; any other failure marks it failed with nothing written and is raised."""
    if actor is not None:
        require(actor, "project.import")
    commit = (not record.dry_run) if commit is None else commit
    skip_invalid = bool((record.options or {}).get("skip_invalid"))
    ImportRecord.objects.filter(pk=record.pk).update(
        status=ImportRecord.Status.RUNNING, processed_rows=0,
        message=gettext("正在导入") if commit else gettext("正在校验"))
    report = record_progress(record, progress, every=500)
    try:
        result = _check_and_write(record, ProjectImporter(actor), commit=commit, skip_invalid=skip_invalid,
                                  progress=report)
    except ImportFileError as exc:
        _finish_failed(record, str(exc))
        raise
    except (IntegrityError, PermissionDenied) as exc:
        _finish_failed(record, gettext("导入失败，没有写入任何数据：{reason}").format(reason=exc))
        raise
    except Exception as exc:
        _finish_failed(record, gettext("导入出错，没有写入任何数据：{reason}").format(
            reason=f"{type(exc).__name__}: {exc}"))
        raise
    _finish(record, result)
    return result


def _check_and_write(record: ImportRecord, importer: ProjectImporter, *, commit: bool, skip_invalid: bool,
                     progress: Progress) -> ImportResult:
    """Read and check the file, keeping the valid rows in a temporary file (not in memory); a commit then writes
    them from there in one durable transaction."""
    source = record_source(record)
    table = open_table(source, SCHEMA, filename=record.original_name)
    ImportRecord.objects.filter(pk=record.pk).update(total_rows=table.total_rows or 0)
    with tempfile.TemporaryFile() as store:
        writer = CheckedRowsWriter(store, importer.batch_size) if commit else None
        try:
            result = run_import(table, importer, commit=False, skip_invalid=skip_invalid, progress=progress,
                                keep=writer)
        finally:
            table.close()
        if writer is None:
            return result
        result.dry_run = False
        refusal = commit_refusal(result, skip_invalid=skip_invalid)
        if refusal:
            result.message = refusal
            return result
        writer.close()
        store.seek(0)
        return write_checked(importer, read_checked(store), result, count=writer.count, progress=progress,
                             durable=True)




def _finish_failed(record: ImportRecord, message: str) -> None:
    record.status, record.message = ImportRecord.Status.FAILED, message
    record.created_count = record.updated_count = 0
    record.save(update_fields=["status", "message", "created_count", "updated_count"])


def _finish(record: ImportRecord, result: ImportResult) -> None:
    record.status = (ImportRecord.Status.COMMITTED if result.committed else
                     ImportRecord.Status.CHECKED if result.dry_run else ImportRecord.Status.REJECTED)
    record.dry_run = result.dry_run
    record.total_rows = record.processed_rows = result.total_rows
    record.created_count = result.created if result.committed else result.to_create
    record.updated_count = result.updated if result.committed else result.to_update
    record.error_count = result.error_count
    record.errors = [e.as_dict() for e in result.errors[:RECORD_ERRORS_KEPT]]
    record.message = result.message
    record.options = {**(record.options or {}), "report": {
        "valid_rows": result.valid_rows, "invalid_rows": result.invalid_rows, "to_create": result.to_create,
        "to_update": result.to_update, "created": result.created, "updated": result.updated,
        "committed": result.committed, "plan": result.plan[:200], "notes": result.notes[:200],
        "format": result.format, "sheet": result.sheet, "header_row": result.header_row}}
    record.save()
