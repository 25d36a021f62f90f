"""Call and application pages: open a call, apply (draft, attachments, submit), the district's review."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.choices import Level
from wenzhi.core.exceptions import version_of
from wenzhi.core.listing import Column, ListPage
from wenzhi.core.models import Organisation
from wenzhi.core.permissions import can, require, requires
from wenzhi.core.scoping import organisation_q
from wenzhi.core.services import history_diffs
from wenzhi.registry.selectors import enterprise_for_user

from .. import selectors, services
from ..choices import Outcome
from ..eligibility import completeness_problems, eligibility_problems
from ..filters import ApplicationFilter, CallFilter
from ..forms import ApplicationForm, AttachmentForm, CallForm, DistrictReviewForm
from ..models import Application, ApplicationAttachment, Call
from .common import act, save_edit


class CallList(ListPage):
    title = _("申报批次")
    permission_action = "call.view"
    selector = staticmethod(selectors.call_list)
    filterset_class = CallFilter
    detail_url_name = "projects:call_detail"
    export_name = "calls"
    default_ordering = "-year"
    columns = [
        Column("name", _("批次名称"), link=True),
        Column("year", _("年度")),
        Column("level", _("级别"), "level"),
        Column("district", _("区"), "district__name"),
        Column("opens_at", _("申报开始")),
        Column("closes_at", _("申报截止")),
        Column("budget", _("预算（元）")),
        Column("application_count", _("申报数")),
    ]

    def get_actions(self):
        if can(self.request.user, "call.manage"):
            return [(gettext("发布申报批次"), reverse("projects:call_create"))]
        return []


class ApplicationList(ListPage):
    title = _("申报")
    permission_action = "application.view"
    selector = staticmethod(selectors.application_list)
    filterset_class = ApplicationFilter
    detail_url_name = "projects:application_detail"
    export_name = "applications"
    default_ordering = "-id"
    columns = [
        Column("title", _("项目名称"), link=True),
        Column("enterprise", _("申报单位"), "enterprise__name"),
        Column("district", _("所属区"), "district__name"),
        Column("call", _("申报批次"), "call__name"),
        Column("status", _("状态"), "status"),
        Column("planned_investment", _("计划总投资（元）")),
        Column("intelligent_score", _("智能化得分")),
        Column("submitted_at", _("提交时间")),
    ]


def _call(request, pk: int, name: str = "call.view") -> Call:
    call = get_object_or_404(selectors.call_list(user=request.user, counted=False), pk=pk)
    require(request.user, name, call)
    return call


def _districts_for(user):
    return Organisation.objects.filter(level=Level.DISTRICT).filter(organisation_q(user)).order_by("code")


@requires("call.manage")
def call_create(request):
    form = CallForm(request.POST or None, districts=_districts_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in CallForm.Meta.fields}
        same_district = form.cleaned_data["same_district"]
        refused = save_edit(form, lambda: data.update(
            call=services.call_create(actor=request.user, conflict_rules={"same_district": same_district}, **data)))
        if refused is None:
            messages.success(request, gettext("申报批次已发布。"))
            return redirect("projects:call_detail", pk=data["call"].pk)
    return render(request, "projects/form.html", {"title": gettext("发布申报批次"), "form": form,
                                                  "back": reverse("projects:call_list")})


@requires("call.view")
@require_safe
def call_detail(request, pk: int):
    call = _call(request, pk)
    user = request.user
    enterprise = enterprise_for_user(user)
    mine = (Application.objects.filter(call=call, enterprise=enterprise) if enterprise else Application.objects.none())
    context = {
        "call": call, "enterprise": enterprise, "mine": mine,
        "applications": selectors.application_list(user=user).filter(call=call).order_by("-submitted_at")[:200],
        "can_apply": enterprise is not None and can(user, "application.apply") and call.is_open,
        "can_manage": can(user, "call.manage", call), "can_rank": can(user, "call.rank", call),
        "notice": getattr(call, "notice", None) if hasattr(call, "notice") else None,
    }
    return render(request, "projects/call_detail.html", context)


@requires("application.apply")
def application_new(request, pk: int):
    """An enterprise user starts an application of their own enterprise to call ``pk``."""
    call = _call(request, pk)
    require(request.user, "application.apply", call)
    enterprise = enterprise_for_user(request.user)
    if enterprise is None:
        raise PermissionDenied(gettext("您的账号没有关联企业，不能申报。"))
    form = ApplicationForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        holder: dict = {}
        refused = save_edit(form, lambda: holder.update(app=services.application_save(
            actor=request.user, call=call, enterprise=enterprise, data=form.service_data())))
        if refused is None:
            messages.success(request, gettext("草稿已保存。请上传附件后提交。"))
            return redirect("projects:application_edit", pk=holder["app"].pk)
    return render(request, "projects/form.html", {
        "title": gettext("申报：%(c)s") % {"c": call.name}, "form": form,
        "back": reverse("projects:call_detail", args=[call.pk])})


def _application(request, pk: int, name: str = "application.view") -> Application:
    application = get_object_or_404(selectors.application_list(user=request.user).distinct(), pk=pk)
    require(request.user, name, application)
    return application


@requires("application.view")
@require_safe
def application_detail(request, pk: int):
    application = _application(request, pk)
    user = request.user
    call = application.call
    from ..services.review import conflict_reasons

    experts = []
    if can(user, "application.assign", application) and application.status in ("district_recommended", "under_review"):
        assigned = set(application.assignments.values_list("expert_id", flat=True))
        experts = [(e, conflict_reasons(e, application)) for e in selectors.expert_users()
                   if e.pk not in assigned and e.has_role("expert_reviewer")]
    rank_row = selectors.CallRanking(call).row_for(application.pk) if can(user, "call.rank", call) else None
    context = {
        "application": application, "call": call, "files": application.files.all(),
        "assignments": application.assignments.select_related("expert"),
        "reviews": selectors.reviews_for(user=user, application=application),
        "rank_row": rank_row, "experts": experts,
        "decision": getattr(application, "decision", None) if hasattr(application, "decision") else None,
        "can_edit": can(user, "application.apply", application) and application.status == "draft",
        "can_district": can(user, "application.district_review", application) and application.status == "submitted",
        "can_decide": can(user, "application.decide", application), "outcomes": Outcome.choices,
        "can_score": can(user, "review.score", application),
        "district_form": DistrictReviewForm(initial={"version": application.version}),
        "history": history_diffs(application) if can(user, "call.rank", call) else [],
    }
    return render(request, "projects/application_detail.html", context)


@requires("application.apply")
def application_edit(request, pk: int):
    """The enterprise's draft: fields, answers, attachments, and what still stops submission."""
    application = _application(request, pk, "application.apply")
    call = application.call
    form = ApplicationForm(request.POST or None, instance=Application.objects.get(pk=application.pk), call=call)
    status = 200
    if request.method == "POST" and form.is_valid():
        refused = save_edit(form, lambda: services.application_save(
            actor=request.user, call=call, enterprise=application.enterprise, application=application,
            data=form.service_data(), version=request.POST.get("version", "")))
        if refused is None:
            messages.success(request, gettext("草稿已保存。"))
            return redirect("projects:application_edit", pk=application.pk)
        status = refused
    context = {"application": application, "call": call, "form": form, "version": version_of(application),
               "files": application.files.all(), "attach_form": AttachmentForm(call=call),
               "eligibility": eligibility_problems(application),
               "missing": list(completeness_problems(application).values()),
               "closed": timezone.now() > call.closes_at}
    return render(request, "projects/application_edit.html", context, status=status)


@require_POST
@requires("application.apply")
def application_attach(request, pk: int):
    application = _application(request, pk, "application.apply")
    form = AttachmentForm(request.POST, request.FILES, call=application.call)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{'；'.join(str(m) for m in v)}" for k, v in form.errors.items()))
        return redirect("projects:application_edit", pk=application.pk)
    return act(request, lambda: services.application_attach(
        actor=request.user, application=application, kind=form.cleaned_data["kind"],
        uploaded=form.cleaned_data["file"]), gettext("附件已上传。"), "projects:application_edit", pk=application.pk)


@requires("application.view")
@require_safe
def application_file(request, pk: int):
    attachment = get_object_or_404(ApplicationAttachment.objects.select_related("application"), pk=pk)
    if not selectors.application_list(user=request.user).filter(pk=attachment.application_id).exists():
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@require_POST
@requires("application.apply")
def application_submit(request, pk: int):
    application = _application(request, pk, "application.apply")
    return act(request, lambda: services.application_submit(
        actor=request.user, application=application, version=request.POST.get("version", "")),
        gettext("申报已提交。"), "projects:application_detail", pk=application.pk)


@require_POST
@requires("application.district_review")
def application_district_review(request, pk: int):
    application = _application(request, pk, "application.district_review")
    form = DistrictReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择初审结论并填写意见。"))
        return redirect("projects:application_detail", pk=application.pk)
    return act(request, lambda: services.district_review(
        actor=request.user, application=application, recommend=form.cleaned_data["recommend"] == "1",
        opinion=form.cleaned_data["opinion"], version=form.cleaned_data["version"]),
        gettext("已记录区级初审。"), "projects:application_detail", pk=application.pk)

