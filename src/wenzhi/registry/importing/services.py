"""Import services: store an upload and queue its check, check it (dry run), commit its checked rows, expire
old ones. The request only stores the file and enqueues; every reading of a file happens in the task worker.

A dry run keeps its valid rows, checked, next to the upload (:mod:`wenzhi.core.importing.checked`); the commit
writes them without reading the file again, as long as nothing it checked against has changed since (the
importer's fingerprint) and the same official commits. Otherwise the commit reads and checks the file again.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import tempfile
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext

from wenzhi.core.importing import (
    ImportFileError,
    ImportResult,
    RowError,
    open_table,
    run_import,
    write_report_csv,
)
from wenzhi.core.importing.checked import CheckedRowsWriter, read_checked
from wenzhi.core.importing.engine import commit_refusal, write_checked
from wenzhi.core.importing.records import Progress, expire_records, keep_days, record_progress, record_source
from wenzhi.core.models import ImportRecord
from wenzhi.core.permissions import can, require

from .importers import IMPORTERS, RegistryImporter
from .schemas import KINDS

# What the record itself keeps (the page shows these; the downloadable report has up to REPORT_ERRORS_KEPT).
RECORD_ERRORS_KEPT = 500
REPORT_ERRORS_KEPT = 50_000
# Uncommitted imports (uploads, reports, checked rows) are deleted after this many days.
KEEP_DAYS = keep_days()



def may_import(user) -> bool:
    """Whether ``user`` may run imports at all (the permission table's ``import.run``)."""
    return can(user, "import.run")


def import_record_create(*, actor, kind: str, uploaded, filename: str = "", dry_run: bool = True,
                         skip_invalid: bool = False, overrides: dict[str, str] | None = None,
                         encoding: str = "", year: int | None = None, sheet: str = "") -> ImportRecord:
    """Store an uploaded file with a new :class:`ImportRecord` (status pending); nothing is read yet.

    ``actor`` None is the command line run by the server's operator. Expired imports are cleaned up first.
    """
    if kind not in IMPORTERS:
        raise ValueError(gettext("导入类型应为 {kinds}，不是“{kind}”").format(kinds="、".join(IMPORTERS), kind=kind))
    if actor is not None:
        require(actor, "import.run")
    import_cleanup()
    name = filename or getattr(uploaded, "name", "") or "upload"
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:200]
    record = ImportRecord(kind=kind, original_name=name, created_by=actor, dry_run=dry_run,
                          options={"skip_invalid": skip_invalid, "overrides": overrides or {}, "encoding": encoding,
                                   "year": year, "sheet": sheet, "language": get_language()})
    content = uploaded if hasattr(uploaded, "chunks") else ContentFile(uploaded.read() if hasattr(uploaded, "read")
                                                                      else uploaded)
    record.file.save(_safe_storage_name(name), content, save=False)
    with transaction.atomic(durable=True):
        record.save()
    return record


def import_start(*, record: ImportRecord, commit: bool | None = None) -> None:
    """Queue the check (or the commit) of ``record`` for the task worker, once the current transaction commits."""
    from ..tasks import IMPORT_TASKS

    ImportRecord.objects.filter(pk=record.pk).update(status=ImportRecord.Status.PENDING,
                                                     message=gettext("已排队，等待后台处理"))
    record.status = ImportRecord.Status.PENDING
    transaction.on_commit(lambda: IMPORT_TASKS[record.kind].enqueue(record.pk, commit))


def _safe_storage_name(name: str) -> str:
    suffix = re.sub(r"[^A-Za-z0-9.]", "", name.rsplit(".", 1)[-1])[:8] if "." in name else "bin"
    digest = hashlib.sha1(f"{name}{timezone.now().isoformat()}".encode(), usedforsecurity=False).hexdigest()[:12]
    return f"import-{digest}.{suffix or 'bin'}"


def _read_key(record: ImportRecord) -> str:
    o = record.options or {}
    return json.dumps([o.get("encoding") or "", o.get("sheet") or "", o.get("overrides") or {}, o.get("year")],
                      sort_keys=True, ensure_ascii=False)



def registry_import(*, actor, record: ImportRecord, commit: bool | None = None,
                    progress: Progress | None = None) -> ImportResult:
    """Check (``record.dry_run``) or commit an import; the record keeps the outcome, problems and plan.

    A dry run reads the file once and stores its checked rows; the commit that follows writes those rows in
    one durable transaction (all valid rows, or with ``skip_invalid`` off and any invalid row, nothing).
    Unreadable files set the record to failed with the reason and raise :class:`ImportFileError`.
    """
    if record.kind not in IMPORTERS:
        raise ValueError(gettext("未知的导入类型“{kind}”").format(kind=record.kind))
    commit = (not record.dry_run) if commit is None else commit
    options = dict(record.options or {})
    ImportRecord.objects.filter(pk=record.pk).update(
        status=ImportRecord.Status.RUNNING, processed_rows=0,
        message=gettext("正在导入") if commit else gettext("正在校验"))
    report = record_progress(record, progress, every=2000)
    try:
        importer = IMPORTERS[record.kind](actor=actor, filename=record.original_name,
                                          default_year=options.get("year"))
        checked = _usable_checked(record, importer, actor) if commit else None
        if checked is not None:
            result = _commit_checked(record, importer, checked, report)
        else:
            result = _check_file(record, importer, commit=commit, progress=report)
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
    if result.committed:
        written = dict(importer.written)
        transaction.on_commit(lambda: index_imported_rows(written))
    return result


def index_imported_rows(written: dict[type, list[int]]) -> None:
    """The one place an import hands the rows it wrote in bulk to full-text search, after they are committed.

    Bulk writes send no signals, so search cannot see them otherwise; the index is built by the task worker in
    chunks, so segmenting 100,000 names does not lengthen the import itself.
    """
    from wenzhi.core import search

    for model, pks in written.items():
        if pks:
            search.index_rows_on_commit(model, pks)


def _open(record: ImportRecord, importer: RegistryImporter):
    options = record.options or {}
    source = record_source(record)
    return open_table(source, importer.schema, filename=record.original_name, overrides=options.get("overrides"),
                      declared_encoding=options.get("encoding") or None, sheet=options.get("sheet") or None)


def _check_file(record: ImportRecord, importer: RegistryImporter, *, commit: bool,
                progress: Progress) -> ImportResult:
    """Read and check the file; a dry run stores its checked rows, a commit writes them in the same pass."""
    options = record.options or {}
    _drop_checked(record)
    table = _open(record, importer)
    ImportRecord.objects.filter(pk=record.pk).update(total_rows=table.total_rows or 0)
    store = None if commit else tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    try:
        writer = CheckedRowsWriter(store, importer.batch_size) if store is not None else None
        result = run_import(table, importer, commit=commit, skip_invalid=bool(options.get("skip_invalid")),
                            progress=progress, keep=writer, durable=True)
        if writer is not None and store is not None and result.valid_rows:
            writer.close()
            store.seek(0)
            name = default_storage.save(f"imports/checked/{record.pk}.rows", File(store))
            record.options = {**options, "checked": {
                "name": name, "key": _read_key(record), "fingerprint": importer.fingerprint(),
                "actor_id": getattr(importer.actor, "pk", None), "rows": writer.count}}
    finally:
        table.close()
        if store is not None:
            store.close()
    return result


def _usable_checked(record: ImportRecord, importer: RegistryImporter, actor) -> dict | None:
    """The dry run's checked rows, when a commit may write them as they are."""
    checked = (record.options or {}).get("checked") or {}
    if not checked or checked.get("key") != _read_key(record):
        return None
    if checked.get("actor_id") != getattr(actor, "pk", None):  # another official: check against their scope
        return None
    if checked.get("fingerprint") != importer.fingerprint() or not default_storage.exists(checked["name"]):
        return None  # the registry changed since the check (or the rows expired): check again
    return checked


def _commit_checked(record: ImportRecord, importer: RegistryImporter, checked: dict,
                    progress: Progress) -> ImportResult:
    """Write the dry run's checked rows: no file is read and no row is parsed or checked again."""
    options = record.options or {}
    report = options.get("report") or {}
    skip_invalid = bool(options.get("skip_invalid"))
    result = ImportResult(filename=record.original_name, format=report.get("format", ""),
                          encoding=report.get("encoding", ""), sheet=report.get("sheet", ""),
                          header_row=report.get("header_row", 1), mapping=report.get("mapping", []),
                          notes=report.get("notes", []), dry_run=False, skip_invalid=skip_invalid,
                          total_rows=record.total_rows, valid_rows=report.get("valid_rows", 0),
                          invalid_rows=report.get("invalid_rows", 0), to_create=report.get("to_create", 0),
                          to_update=report.get("to_update", 0), plan=report.get("plan", []))
    result.errors = [RowError(**e) for e in record.errors]
    result.errors_omitted = max(record.error_count - len(record.errors), 0)
    refusal = commit_refusal(result, skip_invalid=skip_invalid)
    if refusal:
        result.message = refusal
        return result
    importer.prepare_write()
    with default_storage.open(checked["name"], "rb") as fh:
        write_checked(importer, read_checked(fh), result, count=checked["rows"], progress=progress, durable=True)
    _drop_checked(record)
    return result


def _drop_checked(record: ImportRecord) -> None:
    checked = (record.options or {}).get("checked")
    if checked:
        default_storage.delete(checked["name"])
        record.options = {k: v for k, v in (record.options or {}).items() if k != "checked"}



def _finish_failed(record: ImportRecord, message: str) -> None:
    record.status = ImportRecord.Status.FAILED
    record.message = message
    record.created_count = record.updated_count = 0
    _drop_checked(record)
    record.save(update_fields=["status", "message", "created_count", "updated_count", "options"])


def _error_summary(errors: list[RowError], omitted: int) -> list[dict]:
    """Problems counted by column (of the kept ones; ``omitted`` more were only counted in total)."""
    by_column = Counter(e.column or gettext("（整行）") for e in errors)
    return [{"column": column, "count": n} for column, n in by_column.most_common(30)]


def _finish(record: ImportRecord, result: ImportResult) -> None:
    options = dict(record.options or {})
    if result.committed:
        status = ImportRecord.Status.COMMITTED
    elif result.dry_run:
        status = ImportRecord.Status.CHECKED
    else:
        status = ImportRecord.Status.REJECTED
    record.status = status
    record.dry_run = result.dry_run
    record.total_rows = result.total_rows
    record.processed_rows = result.total_rows
    record.created_count = result.created if result.committed else result.to_create
    record.updated_count = result.updated if result.committed else result.to_update
    record.error_count = result.error_count
    # The record keeps the first problems for the page; the downloadable report keeps many more, gzipped.
    record.errors = [e.as_dict() for e in result.errors[:RECORD_ERRORS_KEPT]]
    record.message = result.message
    if not result.committed:
        options["problems"] = _save_problems(record, result.errors)
    options["report"] = {
        "format": result.format, "encoding": result.encoding, "sheet": result.sheet, "header_row": result.header_row,
        "mapping": result.mapping, "notes": result.notes[:200], "valid_rows": result.valid_rows,
        "invalid_rows": result.invalid_rows, "to_create": result.to_create, "to_update": result.to_update,
        "plan": result.plan[:200], "errors_omitted": result.error_count - len(record.errors),
        "error_summary": _error_summary(result.errors, result.errors_omitted),
        "committed": result.committed, "created": result.created, "updated": result.updated}
    record.options = options
    record.save()


def _save_problems(record: ImportRecord, errors: list[RowError]) -> dict | None:
    """The problem report (up to REPORT_ERRORS_KEPT rows) as a gzipped CSV beside the upload."""
    name = f"imports/problems/{record.pk}.csv.gz"
    default_storage.delete(name)
    if len(errors) <= RECORD_ERRORS_KEPT:
        return None  # the record holds them all
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6) as gz, \
            io.TextIOWrapper(gz, encoding="utf-8", newline="") as text:
        n = write_report_csv(errors[:REPORT_ERRORS_KEPT], text)
    buf.seek(0)
    return {"name": default_storage.save(name, ContentFile(buf.getvalue())), "rows": n}


def import_problems_csv(record: ImportRecord) -> str:
    """The problem report as CSV text (UTF-8 BOM, ``row,column,value,error``), with a last line saying how many
    problems were only counted when the list was capped."""
    stored = (record.options or {}).get("problems")
    if stored and default_storage.exists(stored["name"]):
        with default_storage.open(stored["name"], "rb") as fh, gzip.GzipFile(fileobj=fh) as gz:
            text = gz.read().decode("utf-8")
        listed = stored["rows"]
    else:
        out = io.StringIO()
        listed = write_report_csv(record.errors, out)
        text = out.getvalue()
    more = record.error_count - listed
    if more > 0:
        line = io.StringIO()
        csv.writer(line).writerow(["", "", "", gettext("另有 {n} 个问题未列出（清单最多列出 {listed} 个）")
                                   .format(n=more, listed=listed)])
        text += line.getvalue()
    return text


def import_commit_prepare(*, actor, record: ImportRecord, skip_invalid: bool) -> ImportRecord:
    """Turn a checked import into a commit by ``actor`` (who is recorded as the author of every change)."""
    require(actor, "import.run")
    with transaction.atomic(durable=True):
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if record.status not in (ImportRecord.Status.CHECKED, ImportRecord.Status.REJECTED):
            raise ValueError(gettext("只有已校验、尚未导入的记录可以导入"))
        record.dry_run = False
        record.status = ImportRecord.Status.PENDING
        record.options = {**(record.options or {}), "skip_invalid": skip_invalid, "actor_id": getattr(actor, "pk", None)}
        record.message = gettext("等待导入")
        record.save(update_fields=["dry_run", "status", "options", "message"])
    return record


def import_remap(*, actor, record: ImportRecord, overrides: dict[str, str]) -> ImportRecord:
    """Change the column mapping of an import (header or column letter → field, empty: do not import); the
    import goes back to a dry run."""
    require(actor, "import.run")
    with transaction.atomic(durable=True):
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if record.status in (ImportRecord.Status.COMMITTED, ImportRecord.Status.RUNNING):
            raise ValueError(gettext("已导入或正在处理的记录不能修改映射"))
        record.dry_run = True
        record.status = ImportRecord.Status.PENDING
        record.options = {**(record.options or {}), "overrides": overrides}
        record.message = gettext("等待重新校验")
        record.save(update_fields=["dry_run", "status", "options", "message"])
    return record


def import_cleanup(*, now: dt.datetime | None = None, keep_days: int | None = None) -> int:
    """Delete registry imports never committed and older than ``keep_days`` (default ``WENZHI_IMPORT_KEEP_DAYS``,
    7), with their upload, checked rows and problem report (``core.importing.records.expire_records``);
    committed imports keep their original file and report. Returns how many records were deleted."""
    return expire_records(KINDS, now=now, days=keep_days)
