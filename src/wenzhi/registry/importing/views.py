"""Import pages for officials: upload → dry-run report (problems, plan, adjustable mapping) → commit the good
rows or nothing → history with the original files. Every file is read by the task worker; the page shows a
progress bar meanwhile.

Thin: every read goes through :mod:`.selectors` (scoped), every write through :mod:`.services`.
"""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from wenzhi.core.importing import HOW_LABELS
from wenzhi.core.models import ImportRecord
from wenzhi.core.permissions import requires

from .schemas import KINDS, SCHEMAS
from .selectors import import_record_for, import_records_for
from .services import (
    import_commit_prepare,
    import_problems_csv,
    import_record_create,
    import_remap,
    import_start,
)

ERRORS_SHOWN = 500
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入类型"), choices=list(KINDS.items()))
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    encoding = forms.ChoiceField(label=_("CSV 编码"), required=False, initial="",
                                 choices=[("", _("自动识别")), ("utf-8", "UTF-8"), ("gbk", "GBK / GB18030")])
    year = forms.IntegerField(label=_("数据年度"), required=False, min_value=1949, max_value=2100,
                              help_text=_("文件没有“年度”列时，营业收入、从业人员等记为该年度（默认上一年）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext("文件 {size} MB，超过 {limit} MB 的上限，请拆分后分批导入").format(
                size=f"{upload.size / 1048576:.0f}", limit=MAX_UPLOAD_BYTES // 1048576))
        return upload


@requires("import.run")
def import_list(request):
    page = Paginator(import_records_for(request.user).order_by("-created_at", "-pk"), 25).get_page(
        request.GET.get("page"))
    return render(request, "registry/import_list.html", {"title": _("数据导入"), "page": page, "kinds": KINDS})


@requires("import.run")
@require_http_methods(["GET", "POST"])
def import_new(request):
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        record = import_record_create(actor=request.user, kind=form.cleaned_data["kind"], uploaded=upload,
                                      filename=upload.name, dry_run=True, encoding=form.cleaned_data["encoding"],
                                      year=form.cleaned_data["year"])
        import_start(record=record)
        return redirect("registry:import_detail", pk=record.pk)
    return render(request, "registry/import_new.html", {"title": _("导入登记数据"), "form": form})


def _detail_context(record: ImportRecord) -> dict:
    report = (record.options or {}).get("report") or {}
    schema = SCHEMAS[record.kind]()
    mapping = []
    for col in report.get("mapping", []):
        mapping.append({**col, "how_label": HOW_LABELS.get(col["how"], col["how"]),
                        "field_label": schema.field(col["field"]).label if col["field"] else ""})
    running = record.status in (ImportRecord.Status.PENDING, ImportRecord.Status.RUNNING)
    return {
        "title": gettext("{kind}导入：{name}").format(kind=KINDS.get(record.kind, record.kind),
                                                     name=record.original_name),
        "record": record, "report": report, "mapping": mapping, "fields": schema.fields,
        "errors": record.errors[:ERRORS_SHOWN], "errors_more": max(record.error_count - ERRORS_SHOWN, 0),
        "running": running, "kind_label": KINDS.get(record.kind, record.kind),
        "can_commit": record.status in (ImportRecord.Status.CHECKED, ImportRecord.Status.REJECTED)
                      and report.get("valid_rows", 0) > 0,
        "can_remap": record.status in (ImportRecord.Status.CHECKED, ImportRecord.Status.REJECTED,
                                       ImportRecord.Status.FAILED),
    }


@requires("import.run")
def import_detail(request, pk: int):
    record = import_record_for(request.user, pk)
    return render(request, "registry/import_detail.html", _detail_context(record))


@requires("import.run")
def import_progress(request, pk: int):
    """The progress bar, polled by htmx every second while the import runs; reloads the page when it is done."""
    record = import_record_for(request.user, pk)
    context = _detail_context(record)
    response = render(request, "registry/import_progress.html", context)
    if not context["running"]:
        response["HX-Refresh"] = "true"
    return response


@requires("import.run")
@require_POST
def import_commit(request, pk: int):
    record = import_record_for(request.user, pk)
    mode = request.POST.get("mode")
    if mode not in ("skip", "all"):
        return HttpResponseBadRequest(gettext("请选择导入方式：全部无误才导入，或跳过有问题的行导入其余行"))
    try:
        import_commit_prepare(actor=request.user, record=record, skip_invalid=mode == "skip")
    except ValueError as exc:
        return render(request, "registry/import_detail.html", {**_detail_context(record), "problem": str(exc)},
                      status=409)
    import_start(record=record, commit=True)
    return redirect("registry:import_detail", pk=record.pk)


@requires("import.run")
@require_POST
def import_mapping(request, pk: int):
    record = import_record_for(request.user, pk)
    report = (record.options or {}).get("report") or {}
    names = {f.name for f in SCHEMAS[record.kind]().fields}
    overrides = {}
    for col in report.get("mapping", []):
        value = request.POST.get(f"col-{col['index']}")
        if value is None:
            continue
        if value and value not in names:
            raise Http404
        overrides[col["letter"]] = value
    try:
        import_remap(actor=request.user, record=record, overrides=overrides)
    except ValueError as exc:
        return render(request, "registry/import_detail.html", {**_detail_context(record), "problem": str(exc)},
                      status=409)
    import_start(record=record)
    return redirect("registry:import_detail", pk=record.pk)


@requires("import.run")
def import_report(request, pk: int):
    """Every problem as CSV: row, column, value, error (UTF-8 with BOM for Excel)."""
    record = import_record_for(request.user, pk)
    response = HttpResponse(import_problems_csv(record), content_type="text/csv; charset=utf-8")
    name = gettext("问题清单-{name}.csv").format(name=record.original_name.rsplit(".", 1)[0])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@requires("import.run")
def import_file(request, pk: int):
    """The original file exactly as it was uploaded."""
    record = import_record_for(request.user, pk)
    if not record.file:
        raise Http404
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.original_name)


urlpatterns = [
    path("imports/", import_list, name="import_list"),
    path("imports/new/", import_new, name="import_new"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", import_progress, name="import_progress"),
    path("imports/<int:pk>/commit/", import_commit, name="import_commit"),
    path("imports/<int:pk>/mapping/", import_mapping, name="import_mapping"),
    path("imports/<int:pk>/problems.csv", import_report, name="import_report"),
    path("imports/<int:pk>/file/", import_file, name="import_file"),
]


def detail_url(record: ImportRecord) -> str:
    return reverse("registry:import_detail", args=[record.pk])
