"""Project-list import pages: upload (stored and queued, never read in the request) → the task worker's dry run
with a progress bar (htmx) → problems by row and the plan → commit the good rows or nothing (queued again)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wenzhi.core.models import ImportRecord
from wenzhi.core.permissions import requires

from .. import selectors
from ..forms import ImportForm
from ..importing import COLUMN_NOTES
from ..services import imports as svc


@requires("project.import")
def project_import(request):
    """Upload a project list (xlsx/CSV): stored with an import record and queued for the worker."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = svc.project_import_create(actor=request.user, uploaded=upload, filename=upload.name,
                                           skip_invalid=form.cleaned_data["skip_invalid"],
                                           commit=form.cleaned_data["commit"])
        svc.project_import_start(record=record)
        return redirect("projects:project_import_detail", pk=record.pk)
    records = selectors.project_import_records(user=request.user).order_by("-created_at", "-pk")[:20]
    return render(request, "projects/project_import.html", {"form": form, "columns": COLUMN_NOTES,
                                                             "records": records})


def _context(record: ImportRecord) -> dict:
    report = (record.options or {}).get("report") or {}
    running = record.status in (ImportRecord.Status.PENDING, ImportRecord.Status.RUNNING)
    return {"record": record, "report": report, "running": running, "errors": record.errors,
            "can_commit": record.status in (ImportRecord.Status.CHECKED, ImportRecord.Status.REJECTED)
            and report.get("valid_rows", 0) > 0 and not report.get("committed")}


@requires("project.import")
def project_import_detail(request, pk: int):
    record = get_object_or_404(selectors.project_import_records(user=request.user), pk=pk)
    return render(request, "projects/project_import_detail.html", _context(record))


@requires("project.import")
def project_import_progress(request, pk: int):
    """The progress bar, polled by htmx every second while the worker runs; reloads the page when it is done."""
    record = get_object_or_404(selectors.project_import_records(user=request.user), pk=pk)
    context = _context(record)
    response = render(request, "projects/project_import_progress.html", context)
    if not context["running"]:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@requires("project.import")
def project_import_commit(request, pk: int):
    record = get_object_or_404(selectors.project_import_records(user=request.user), pk=pk)
    mode = request.POST.get("mode")
    if mode not in ("skip", "all"):
        return render(request, "projects/project_import_detail.html", {
            **_context(record), "problem": gettext("请选择导入方式：全部无误才导入，或跳过有问题的行导入其余行")},
            status=400)
    try:
        svc.project_import_commit_prepare(actor=request.user, record=record, skip_invalid=mode == "skip")
    except ValueError as exc:
        return render(request, "projects/project_import_detail.html", {**_context(record), "problem": str(exc)},
                      status=409)
    svc.project_import_start(record=record, commit=True)
    return redirect("projects:project_import_detail", pk=record.pk)
