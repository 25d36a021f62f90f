"""Catalogue pages: indicators, reporting forms (with their versions) and validation rules. Every reporter
reads them; the city administrator adds and edits (services enforce ``statistics.manage``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.listing import Column, ListPage
from wenzhi.core.permissions import can, requires
from wenzhi.core.services import history_diffs

from . import services, validation
from .filters import FormFilter, IndicatorFilter, RuleFilter
from .forms import IndicatorForm, ReportingFormForm, RuleForm
from .models import FormIndicator, Indicator, ReportingForm, ValidationRule


def _save(form, save: Callable[[], object]) -> int | None:
    """Run a service; None when it saved, else the page's status with the reason on the form."""
    try:
        save()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return 200
    except StaleEdit as exc:
        form.add_error(None, exc.message)
        return 409
    return None


def _form_page(request, form, *, title: str, back: str, version: str = "", status: int = 200, note: str = ""):
    return render(request, "statistics/simple_form.html", {"title": title, "form": form, "back": back,
                                                            "version": version, "note": note}, status=status)


# ----------------------------------------------------------------------------------------------- indicators


class IndicatorList(ListPage):
    title = _("统计指标")
    filterset_class = IndicatorFilter
    columns = [
        Column("code", _("代码"), link=True),
        Column("name", _("名称"), lambda i: i.display_name, sortable=False),
        Column("unit", _("单位"), lambda i: i.display_unit, sortable=False),
        Column("kind", _("数值类型")),
        Column("aggregation", _("汇总方式")),
        Column("category", _("类别")),
        Column("source", _("来源")),
        Column("active", _("启用")),
    ]
    default_ordering = "order"
    export_name = "indicators"
    detail_url_name = "statistics:indicator_edit"
    permission_action = "statistics.catalogue"

    def get_queryset(self):
        return Indicator.objects.all()

    def get_actions(self):
        if can(self.request.user, "statistics.manage"):
            return [(gettext("新增指标"), reverse("statistics:indicator_create"))]
        return []

    def detail_url(self, obj):
        return reverse("statistics:indicator_edit", args=[obj.pk]) if can(
            self.request.user, "statistics.manage") else None


@requires("statistics.manage")
@require_http_methods(["GET", "POST"])
def indicator_create(request):
    form = IndicatorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        refused = _save(form, lambda: services.indicator_create(actor=request.user, code=form.cleaned_data["code"],
                                                                **data))
        if refused is None:
            messages.success(request, gettext("指标已新增。"))
            return redirect("statistics:indicator_list")
        status = refused
    return _form_page(request, form, title=gettext("新增指标"), back=reverse("statistics:indicator_list"),
                      status=status)


@requires("statistics.manage")
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=pk))
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = _save(form, lambda: services.indicator_update(
            actor=request.user, indicator=indicator, data=form.changed_data_for_service(),
            version=request.POST.get("version", "")))
        if refused is None:
            messages.success(request, gettext("指标已保存。"))
            return redirect("statistics:indicator_list")
        status = refused
    note = gettext("指标代码 %(code)s 是其他模块读取数据所用的标识，不能修改。") % {"code": indicator.code}
    return _form_page(request, form, title=gettext("编辑指标") + f" · {indicator.display_name}",
                      back=reverse("statistics:indicator_list"), status=status, note=note,
                      version=request.POST.get("version", "") if status == 409 else version_of(indicator))


# -------------------------------------------------------------------------------------------------- forms


class FormList(ListPage):
    title = _("统计报表")
    filterset_class = FormFilter
    columns = [
        Column("code", _("代码"), link=True),
        Column("name", _("名称"), lambda f: f.display_name, sortable=False),
        Column("period_type", _("报告期类型")),
        Column("reporter_kind", _("填报单位")),
        Column("on_time_days", _("按时上报期限（天）")),
        Column("close_days", _("关闭填报（天）")),
        Column("version", _("当前版本")),
        Column("active", _("启用")),
    ]
    default_ordering = "code"
    export_name = "reporting-forms"
    detail_url_name = "statistics:form_detail"
    permission_action = "statistics.catalogue"

    def get_queryset(self):
        return ReportingForm.objects.all()

    def get_actions(self):
        if can(self.request.user, "statistics.manage"):
            return [(gettext("新建报表"), reverse("statistics:form_create"))]
        return []


@requires("statistics.catalogue")
@require_safe
def form_detail(request, pk: int):
    form = get_object_or_404(ReportingForm, pk=pk)
    versions = [(v, [fi.indicator for fi in FormIndicator.objects.filter(version=v).select_related("indicator")])
                for v in form.versions.select_related("created_by")]
    return render(request, "statistics/form_detail.html", {
        "title": form.display_name, "form": form, "versions": versions, "history": history_diffs(form),
        "can_manage": can(request.user, "statistics.manage")})


@requires("statistics.manage")
@require_http_methods(["GET", "POST"])
def form_create(request):
    form = ReportingFormForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.FORM_FIELDS}
        refused = _save(form, lambda: services.form_create(actor=request.user, code=form.cleaned_data["code"],
                                                           indicator_codes=form.codes(), **data))
        if refused is None:
            messages.success(request, gettext("报表已新建。"))
            return redirect("statistics:form_list")
        status = refused
    return _form_page(request, form, title=gettext("新建报表"), back=reverse("statistics:form_list"), status=status)


@requires("statistics.manage")
@require_http_methods(["GET", "POST"])
def form_edit(request, pk: int):
    reporting_form = get_object_or_404(ReportingForm, pk=pk)
    form = ReportingFormForm(request.POST or None, instance=ReportingForm.objects.get(pk=pk))
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = _save(form, lambda: services.form_update(
            actor=request.user, form=reporting_form, data=form.changed_data_for_service(),
            indicator_codes=form.codes(), version=request.POST.get("version", "")))
        if refused is None:
            messages.success(request, gettext("报表已保存。"))
            return redirect("statistics:form_detail", pk=pk)
        status = refused
    return _form_page(request, form, title=gettext("编辑报表") + f" · {reporting_form.display_name}",
                      back=reverse("statistics:form_detail", args=[pk]), status=status,
                      version=request.POST.get("version", "") if status == 409 else version_of(reporting_form))


# -------------------------------------------------------------------------------------------------- rules


class RuleList(ListPage):
    title = _("校验规则")
    filterset_class = RuleFilter
    columns = [
        Column("name", _("名称"), lambda r: r.display_name, link=True, sortable=False),
        Column("left", _("左侧表达式")),
        Column("operator", _("比较"), lambda r: r.get_operator_display()),
        Column("right", _("右侧表达式")),
        Column("importance", _("重要程度")),
        Column("message", _("提示"), lambda r: r.display_message, sortable=False),
        Column("active", _("启用")),
    ]
    default_ordering = "name"
    export_name = "validation-rules"
    permission_action = "statistics.catalogue"

    def get_queryset(self):
        return ValidationRule.objects.all()

    def get_actions(self):
        if can(self.request.user, "statistics.manage"):
            return [(gettext("新增校验规则"), reverse("statistics:rule_create"))]
        return []

    def detail_url(self, obj):
        return reverse("statistics:rule_edit", args=[obj.pk]) if can(self.request.user, "statistics.manage") else None


RULE_NOTE = _("表达式可使用指标代码、数字、+ - * /、括号，以及 abs()、min()、max()、prev_quarter(代码)、"
              "prev_period(代码)、same_period_last_year(代码)。例如：abs(value_added - prev_quarter(value_added)) "
              "<= 0.5 * prev_quarter(value_added)。")


@requires("statistics.manage")
@require_http_methods(["GET", "POST"])
def rule_create(request):
    form = RuleForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = _save(form, lambda: services.rule_create(actor=request.user, **form.cleaned_data))
        if refused is None:
            messages.success(request, gettext("校验规则已新增。"))
            return redirect("statistics:rule_list")
        status = refused
    return _form_page(request, form, title=gettext("新增校验规则"), back=reverse("statistics:rule_list"),
                      status=status, note=str(RULE_NOTE))


@requires("statistics.manage")
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int):
    rule = get_object_or_404(ValidationRule, pk=pk)
    form = RuleForm(request.POST or None, instance=ValidationRule.objects.get(pk=pk))
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = _save(form, lambda: services.rule_update(actor=request.user, rule=rule,
                                                           data=form.changed_data_for_service(),
                                                           version=request.POST.get("version", "")))
        if refused is None:
            messages.success(request, gettext("校验规则已保存。"))
            return redirect("statistics:rule_list")
        status = refused
    note = str(RULE_NOTE)
    try:
        validation.compile_rule(rule)
    except ValidationError as exc:
        note = gettext("此规则目前无法使用：%(why)s") % {"why": "；".join(exc.messages)} + " " + note
    return _form_page(request, form, title=gettext("编辑校验规则") + f" · {rule.display_name}",
                      back=reverse("statistics:rule_list"), status=status, note=note,
                      version=request.POST.get("version", "") if status == 409 else version_of(rule))
