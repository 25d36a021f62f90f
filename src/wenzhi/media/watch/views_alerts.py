"""Pages of alerts and their handling, rules, webhooks, notifications, response-time figures and reports (thin:
selectors read, services write)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wenzhi.core.permissions import can, require, requires

from . import selectors, services
from .choices import AlertState, Severity
from .forms import ReportForm, RuleForm, StepForm, WebhookForm
from .models import Alert, AlertRule, Webhook
from .permissions import is_handler
from .workflows import ALERT_STEPS, allowed_steps


def _alert(request, pk: int) -> Alert:
    alert = get_object_or_404(selectors.alerts_for(request.user), pk=pk)
    require(request.user, "alert.view", alert)
    return alert


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@requires("alert.view")
def alert_list(request):
    qs = selectors.alerts_for(request.user)
    counts = {s: qs.filter(state=s).count() for s in AlertState.values}
    state = request.GET.get("state", "")
    if state in AlertState.values:
        qs = qs.filter(state=state)
    elif state != "all":
        state = "open"
        qs = qs.exclude(state=AlertState.CLOSED)
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "watch/alert_list.html", {
        "page": page, "counts": counts, "state": state, "states": AlertState.choices, "severity": severity,
        "severities": Severity.choices, "querystring": f"state={state}&severity={severity}",
        "unread": selectors.unread_count(request.user)})


@requires("alert.view")
def alert_detail(request, pk: int):
    alert = _alert(request, pk)
    steps = allowed_steps(alert, request.user)
    links = alert.links.select_related("document", "document__source").order_by("-document__published_at")[:100]
    services.notifications_read(user=request.user, alert=alert)
    return render(request, "watch/alert_detail.html", {
        "alert": alert, "steps": steps, "form": StepForm(), "links": links,
        "history": alert.steps.select_related("actor"), "deliveries": alert.deliveries.all()[:20]
        if is_handler(request.user) else [],
        "latency": (alert.raised_at - alert.first_arrived_at).total_seconds() if alert.first_arrived_at else None})


@require_POST
@requires("alert.step")
def alert_step(request, pk: int):
    alert = _alert(request, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("处置信息有误：%(e)s") % {"e": "；".join(
            f"{form.fields[k].label}：{' '.join(str(e) for e in v)}" for k, v in form.errors.items())})
        return redirect("watch:alert_detail", pk=alert.pk)
    data = form.cleaned_data
    try:
        services.alert_step(actor=request.user, alert=alert, step=data["step"], comment=data["comment"],
                            unit=data["unit"], assignee=data["assignee"], response=data["response"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已完成：%(step)s") % {"step": ALERT_STEPS[data["step"]].label})
    return redirect("watch:alert_detail", pk=alert.pk)


@requires("alert.figures")
def figures(request):
    return render(request, "watch/figures.html", {"rows": selectors.response_figures(request.user)})


@requires("notification.view")
def notification_list(request):
    if request.method == "POST":
        services.notifications_read(user=request.user)
        return redirect("watch:notification_list")
    page = Paginator(selectors.notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "watch/notifications.html", {"page": page, "querystring": ""})


# Rules and webhooks -------------------------------------------------------------------------------------------


@requires("alert_rule.view")
def rule_list(request):
    rules = selectors.rules_for(request.user).prefetch_related("webhooks")
    return render(request, "watch/rule_list.html", {"rules": rules,
                                                     "can_manage": can(request.user, "alert_rule.manage")})


def _rule_form(request, rule: AlertRule | None):
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(actor=request.user, rule=rule, data=form.service_data())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("预警规则已保存。"))
            return redirect("watch:rule_list")
    title = _("修改预警规则") if rule else _("新建预警规则")
    return render(request, "watch/form.html", {"form": form, "title": title, "back": reverse("watch:rule_list")},
                  status=400 if form.errors else 200)


@requires("alert_rule.manage")
def rule_create(request):
    return _rule_form(request, None)


@requires("alert_rule.manage")
def rule_edit(request, pk: int):
    return _rule_form(request, get_object_or_404(AlertRule, pk=pk))


@requires("webhook.manage")
def webhook_list(request):
    return render(request, "watch/webhook_list.html", {"webhooks": Webhook.objects.all()})


def _webhook_form(request, webhook: Webhook | None):
    form = WebhookForm(request.POST or None, instance=webhook)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_save(actor=request.user, webhook=webhook, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Webhook 已保存。"))
            return redirect("watch:webhook_list")
    title = _("修改 Webhook") if webhook else _("新建 Webhook")
    return render(request, "watch/form.html", {"form": form, "title": title, "back": reverse("watch:webhook_list")},
                  status=400 if form.errors else 200)


@requires("webhook.manage")
def webhook_create(request):
    return _webhook_form(request, None)


@requires("webhook.manage")
def webhook_edit(request, pk: int):
    return _webhook_form(request, get_object_or_404(Webhook, pk=pk))


# Reports ------------------------------------------------------------------------------------------------------


def _report_page(request, form, status: int = 200):
    page = Paginator(selectors.reports_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "watch/report_list.html", {
        "page": page, "form": form, "querystring": "", "can_make": can(request.user, "opinion_report.make")},
        status=status)


@requires("opinion_report.view")
def report_list(request):
    return _report_page(request, ReportForm())


@require_POST
@requires("opinion_report.make")
def report_make(request):
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_make(actor=request.user, kind=form.cleaned_data["kind"],
                                          period_start=form.cleaned_data["period_start"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已生成：%(t)s") % {"t": report.title})
            return redirect("watch:report_list")
    return _report_page(request, form, status=400)


def _report_file(request, pk: int, fmt: str):
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    field = report.docx if fmt == "docx" else report.pdf
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=f"{report.title}.{fmt}")


@requires("opinion_report.view")
def report_docx(request, pk: int):
    return _report_file(request, pk, "docx")


@requires("opinion_report.view")
def report_pdf(request, pk: int):
    return _report_file(request, pk, "pdf")
