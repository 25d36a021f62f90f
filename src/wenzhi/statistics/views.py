"""Statistics pages: reports and their data-entry grid (htmx), the xlsx round trip, submit → approve → lock,
completeness and reminders. Thin: selectors decide what the user sees, services write and refuse."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.formatting import list_separator
from wenzhi.core.listing import Column, ListPage
from wenzhi.core.permissions import can, requires
from wenzhi.core.scoping import scope_for
from wenzhi.core.text import filename_part

from . import periods, selectors, services, sheets, validation
from .filters import ReportFilter
from .forms import OpenReportForm, UploadForm
from .models import ReportingForm, Submission, ValidationResult


def error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


def _report(request, pk: int) -> Submission:
    try:
        return selectors.report_for(user=request.user, pk=pk)
    except Submission.DoesNotExist:
        raise Http404(gettext("未找到该报表，或您无权查看。")) from None


# ---------------------------------------------------------------------------------------------- report list


class ReportList(ListPage):
    title = _("统计填报")
    selector = staticmethod(selectors.report_list)
    filterset_class = ReportFilter
    template_name = "statistics/report_list.html"
    columns = [
        Column("period", _("报告期"), "period__code", link=True),
        Column("form", _("报表"), lambda r: r.form.display_name, sortable=False),
        Column("organisation", _("填报单位"), "organisation__name"),
        Column("district", _("所属区"), "district__name"),
        Column("status", _("状态")),
        Column("submitted_at", _("上报时间")),
        Column("on_time", _("按时上报")),
        Column("locked", _("已锁定")),
    ]
    default_ordering = "-period__start"
    export_name = "statistics-reports"
    detail_url_name = "statistics:report_detail"
    permission_action = "statistics.view"

    def extra_context(self, request) -> dict:
        if not can(request.user, "statistics.enter"):
            return {}
        return {"open_form": _open_form(request)}


def _reporting_organisations(user):
    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation

    scope = scope_for(user)
    if scope.kind == "all":
        return list(Organisation.objects.filter(level=Level.DISTRICT, is_active=True).order_by("code"))
    if scope.organisation_id is None:
        return []
    return list(Organisation.objects.filter(pk=scope.organisation_id))


def _open_form(request, data=None) -> OpenReportForm:
    forms_qs = selectors.open_forms(user=request.user).order_by("code")
    first = forms_qs.filter(code="district_quarterly").first() or forms_qs.first()
    default = periods.last_complete(first.period_type if first else "quarterly", timezone.localdate())
    return OpenReportForm(data, initial={"period": default, "form": first}, forms_qs=forms_qs,
                          organisations=_reporting_organisations(request.user))


@requires("statistics.enter")
@require_POST
def report_open(request):
    """Open (creating on first use) the report of an organisation, form and period; then go to its grid."""
    from wenzhi.core.models import Organisation

    form = _open_form(request, request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择报表并填写报告期。"))
        return redirect("statistics:report_list")
    orgs = {o.id: o for o in _reporting_organisations(request.user)}
    org_id = form.cleaned_data["organisation"] or (next(iter(orgs)) if len(orgs) == 1 else None)
    organisation = orgs.get(org_id) if org_id else None
    if organisation is None and org_id:
        organisation = Organisation.objects.filter(pk=org_id).first()  # the service refuses it, with the reason
    if organisation is None:
        messages.error(request, gettext("请选择填报单位。"))
        return redirect("statistics:report_list")
    try:
        submission = services.report_open(actor=request.user, form=form.cleaned_data["form"],
                                          organisation=organisation, period_code=form.cleaned_data["period"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("statistics:report_list")
    return redirect("statistics:report_detail", pk=submission.pk)


# -------------------------------------------------------------------------------------------------- grid


def _grid_context(request, submission: Submission, *, errors: dict | None = None) -> dict:
    values = selectors.report_values(submission)
    results = validation.results_for(submission)
    by_indicator: dict[int, list[ValidationResult]] = {}
    for r in results:
        if r.indicator_id:
            by_indicator.setdefault(r.indicator_id, []).append(r)
    rows = []
    for indicator in submission.form.indicators():
        stored = values.get(indicator.code)
        rows.append({"indicator": indicator, "value": stored.value if stored else None,
                     "text": _value_text(indicator, stored.value) if stored else "",
                     "stored": stored, "results": by_indicator.get(indicator.id, []),
                     "error": (errors or {}).get(indicator.code, "")})
    user = request.user
    return {
        "title": f"{submission.form.display_name} · {submission.organisation.name} · {periods.label(submission.period.code)}",
        "submission": submission, "rows": rows, "results": results, "version": version_of(submission),
        "editable": services.can_edit(user, submission),
        "can_submit": can(user, "statistics.submit", submission) and submission.status in ("draft", "returned")
        and not submission.locked,
        "can_approve": can(user, "statistics.approve", submission) and submission.status == "submitted",
        "can_unlock": can(user, "statistics.unlock", submission) and submission.locked,
        "events": selectors.report_events(submission), "missing": len(services.missing_codes(submission)),
        "blocking": len(validation.blocking(results)), "deadline": submission.form.deadline(submission.period),
        "closes": submission.form.closes(submission.period), "upload_form": UploadForm(),
    }


def _value_text(indicator, value) -> str:
    if value is None:
        return ""
    return f"{value:.{indicator.decimals}f}"


@requires("statistics.view")
@require_safe
def report_detail(request, pk: int):
    submission = _report(request, pk)
    return render(request, "statistics/report_detail.html", _grid_context(request, submission))


@requires("statistics.enter")
@require_POST
def report_cell(request, pk: int):
    """htmx: save one cell as typed; answers the cell's status and (out of band) the rule results."""
    submission = _report(request, pk)
    code = request.POST.get("code", "")
    try:
        outcome = services.cell_save(actor=request.user, submission=submission, code=code,
                                     text=request.POST.get("value", ""))
    except ValidationError as exc:
        outcome = services.CellOutcome(code=code, error=error_text(exc))
    results = validation.results_for(submission)
    return render(request, "statistics/_cell_status.html", {
        "outcome": outcome, "submission": submission, "results": results,
        "blocking": len(validation.blocking(results)), "editable": services.can_edit(request.user, submission)},
        status=200)


@requires("statistics.enter")
@require_POST
def report_explain(request, pk: int):
    """A warning's explanation (htmx or plain form post)."""
    submission = _report(request, pk)
    result = ValidationResult.objects.filter(pk=request.POST.get("result") or 0,
                                             organisation_id=submission.organisation_id,
                                             period_id=submission.period_id).first()
    if result is None:
        messages.error(request, gettext("未找到该校验结果：数据可能已修改，该问题已不存在。"))
        return redirect("statistics:report_detail", pk=submission.pk)
    try:
        services.result_explain(actor=request.user, result=result, comment=request.POST.get("comment", ""))
        messages.success(request, gettext("说明已保存。"))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("statistics:report_detail", pk=submission.pk)


def _workflow(request, pk: int, step, done: str, *, reason: bool = False):
    submission = _report(request, pk)
    kwargs = {"version": request.POST.get("version", "")}
    if reason:
        kwargs["reason"] = request.POST.get("reason", "")
    elif "comment" in request.POST:
        kwargs["comment"] = request.POST.get("comment", "")
    try:
        step(actor=request.user, submission=submission, **kwargs)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except StaleEdit as exc:
        context = _grid_context(request, submission)
        messages.error(request, exc.message)
        return render(request, "statistics/report_detail.html", context, status=409)
    return redirect("statistics:report_detail", pk=submission.pk)


@requires("statistics.submit")
@require_POST
def report_submit(request, pk: int):
    return _workflow(request, pk, services.submission_submit, gettext("报表已上报，等待市级审核。"))


@requires("statistics.approve")
@require_POST
def report_approve(request, pk: int):
    return _workflow(request, pk, services.submission_approve, gettext("报表已审核通过，该报告期已锁定。"))


@requires("statistics.approve")
@require_POST
def report_return(request, pk: int):
    return _workflow(request, pk, services.submission_return, gettext("报表已退回填报单位。"), reason=True)


@requires("statistics.unlock")
@require_POST
def report_unlock(request, pk: int):
    return _workflow(request, pk, services.submission_unlock, gettext("报表已解锁，解锁原因已记录。"), reason=True)


# -------------------------------------------------------------------------------------------------- xlsx


@requires("statistics.view")
@require_safe
def report_download(request, pk: int):
    submission = _report(request, pk)
    data = sheets.grid_workbook(submission, selectors.report_values(submission))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = filename_part(f"{submission.form.name}-{submission.organisation.name}-{submission.period.code}", 150)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


@requires("statistics.enter")
@require_POST
def report_upload(request, pk: int):
    """Upload the filled template: every value valid and the sheet the right one, or nothing is written."""
    submission = _report(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("请选择要上传的 .xlsx 文件。"))
        return redirect("statistics:report_detail", pk=submission.pk)
    upload = form.cleaned_data["file"]
    try:
        values, comments = sheets.read_upload(submission, upload, upload.name)
        services.values_save(actor=request.user, submission=submission, values=values, comments=comments)
    except ValidationError as exc:
        context = _grid_context(request, submission)
        context["upload_errors"] = exc.messages
        return render(request, "statistics/report_detail.html", context, status=400)
    messages.success(request, gettext("已从表格导入 %(n)s 项数据。") % {"n": len(values)})
    return redirect("statistics:report_detail", pk=submission.pk)


# ------------------------------------------------------------------------------------------ completeness


def _pick_form(request):
    forms_qs = ReportingForm.objects.filter(active=True).order_by("code")
    code = request.GET.get("form") or "district_quarterly"
    return forms_qs, forms_qs.filter(code=code).first() or forms_qs.first()


@requires("statistics.completeness")
@require_safe
def completeness(request):
    """Reporting and on-time rates of a form for a period (and the periods before), with the late reporters."""
    forms_qs, form = _pick_form(request)
    if form is None:
        return render(request, "statistics/completeness.html", {"title": gettext("报送情况"), "forms": forms_qs})
    last = periods.last_complete(form.period_type, timezone.localdate())
    code = request.GET.get("period") or last
    try:
        code = periods.parse(code).code
        if periods.parse(code).type != form.period_type:
            raise periods.PeriodCodeError(gettext("报告期类型与报表不符。"))
    except periods.PeriodCodeError as exc:
        messages.error(request, str(exc))
        code = last
    current = selectors.completeness(form=form, period=code, user=request.user)
    earlier = [periods.shift(code, -i) for i in range(1, 8)]
    history = selectors.completeness_by_period(form=form, period_codes=earlier, user=request.user)
    by_reporter = selectors.completeness_by_reporter(form=form, period_codes=[code, *earlier], user=request.user)
    return render(request, "statistics/completeness.html", {
        "title": gettext("报送情况"), "forms": forms_qs, "form": form, "period": code,
        "period_label": periods.label(code), "current": current, "history": history, "by_reporter": by_reporter,
        "span": f"{earlier[-1]}–{code}",
        "deadline": form.deadline(periods.parse(code)), "can_remind": can(request.user, "statistics.remind"),
        "late_names": list_separator().join(r.organisation.name for r in current.late_rows)})


@requires("statistics.remind")
@require_POST
def completeness_remind(request):
    form = ReportingForm.objects.filter(code=request.POST.get("form", "")).first()
    if form is None:
        messages.error(request, gettext("请选择报表。"))
        return redirect("statistics:completeness")
    try:
        sent = services.reminders_send(actor=request.user, form=form, period_code=request.POST.get("period", ""))
        messages.success(request, gettext("已向 %(orgs)s 个逾期单位发送站内提醒 %(in_app)s 条、邮件 %(email)s 封。")
                         % {"orgs": sent["organisations"], "in_app": sent["in_app"], "email": sent["email"]})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    url = reverse("statistics:completeness") + f"?form={form.code}&period={request.POST.get('period', '')}"
    return redirect(url)


# --------------------------------------------------------------------------------------------- reminders


@requires("statistics.view")
@require_safe
def reminder_list(request):
    mine = list(selectors.reminders_for(user=request.user)[:100])
    sent = list(selectors.reminders_sent(user=request.user)[:100]) if can(request.user, "statistics.remind") else []
    return render(request, "statistics/reminders.html", {"title": gettext("催报提醒"), "mine": mine, "sent": sent})


@requires("statistics.view")
@require_POST
def reminder_read(request, pk: int):
    reminder = selectors.reminders_sent(user=request.user).filter(pk=pk).first()
    if reminder is None:
        raise Http404(gettext("未找到该提醒。"))
    if reminder.recipient_id != request.user.pk:
        messages.error(request, gettext("只能处理发给自己的提醒。"))
        return redirect("statistics:reminder_list")
    services.reminder_mark_read(actor=request.user, reminder=reminder)
    return redirect("statistics:reminder_list")

