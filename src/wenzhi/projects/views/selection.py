"""Selection and publication pages: open the public notice, objections (recorded by anyone during the period,
answered by the authority), the final publication, and the public pages (notices, final list, xlsx)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.listing import Column, export_xlsx
from wenzhi.core.permissions import can, require, requires

from .. import services
from ..choices import NoticeStatus
from ..forms import AnswerForm, NoticeForm, ObjectionForm
from ..models import Objection, PublicNotice
from ..services.selection import selected_decisions
from .calls import _call
from .common import act, error_text, save_edit


@requires("notice.manage")
def notice_create(request, pk: int):
    call = _call(request, pk, "notice.manage")
    today = timezone.localdate()
    form = NoticeForm(request.POST or None, initial={
        "title": gettext("%(c)s拟入选项目公示") % {"c": call.name}, "opens_on": today,
        "closes_on": today + dt.timedelta(days=7)})
    if request.method == "POST" and form.is_valid():
        holder: dict = {}
        refused = save_edit(form, lambda: holder.update(notice=services.notice_open(
            actor=request.user, call=call, **form.cleaned_data)))
        if refused is None:
            messages.success(request, gettext("公示已发布。"))
            return redirect("projects:notice_detail", pk=holder["notice"].pk)
    return render(request, "projects/form.html", {"title": gettext("发布公示"), "form": form,
                                                  "back": reverse("projects:call_ranking", args=[call.pk])})


def _notice(pk: int) -> PublicNotice:
    return get_object_or_404(PublicNotice.objects.select_related("call"), pk=pk)


@requires("notice.view_public")
@require_safe
def public_notices(request):
    notices = PublicNotice.objects.select_related("call").order_by("-opens_on")
    return render(request, "projects/public_notices.html", {"notices": notices})


@requires("notice.view_public")
@require_safe
def notice_detail(request, pk: int):
    """The notice as the public reads it: the selected list, the objection period and form; the
    authority also sees the objections with their answers and the publish button."""
    notice = _notice(pk)
    decisions = list(selected_decisions(notice.call))
    manager = can(request.user, "notice.manage", notice)
    context = {
        "notice": notice, "decisions": decisions, "manager": manager,
        "objections": notice.objections.select_related("application", "answered_by") if manager else [],
        "form": ObjectionForm(applications=[d.application for d in decisions]),
        "answer_form": AnswerForm(),
    }
    return render(request, "projects/notice_detail.html", context)


@require_POST
@requires("objection.submit")
def objection_submit(request, pk: int):
    notice = _notice(pk)
    decisions = list(selected_decisions(notice.call))
    form = ObjectionForm(request.POST, applications=[d.application for d in decisions])
    if form.is_valid():
        application = next((d.application for d in decisions if d.application.pk == form.cleaned_data["application"]),
                           None)
        try:
            services.objection_submit(notice=notice, name=form.cleaned_data["name"],
                                      contact=form.cleaned_data["contact"], text=form.cleaned_data["text"],
                                      application=application)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, gettext("异议已收到，我们将在公示期结束前答复。"))
            return redirect("projects:notice_detail", pk=notice.pk)
    return render(request, "projects/notice_detail.html", {
        "notice": notice, "decisions": decisions, "manager": False, "objections": [], "form": form}, status=200)


@require_POST
@requires("objection.answer")
def objection_answer(request, pk: int):
    objection = get_object_or_404(Objection.objects.select_related("notice__call"), pk=pk)
    require(request.user, "objection.answer", objection)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请填写答复。"))
        return redirect("projects:notice_detail", pk=objection.notice_id)
    return act(request, lambda: services.objection_answer(
        actor=request.user, objection=objection, answer=form.cleaned_data["answer"],
        upheld=form.cleaned_data["upheld"], outcome=form.cleaned_data["outcome"]), gettext("已答复异议。"),
        "projects:notice_detail", pk=objection.notice_id)


@require_POST
@requires("notice.manage")
def notice_publish(request, pk: int):
    notice = _notice(pk)
    require(request.user, "notice.manage", notice)
    return act(request, lambda: services.notice_publish(actor=request.user, notice=notice),
               gettext("入选名单已正式发布。"), "projects:public_list", pk=notice.pk)


def final_columns() -> list[Column]:
    return [
        Column("rank", gettext("序号"), lambda d: d.position),
        Column("title", gettext("项目名称"), lambda d: d.application.title),
        Column("enterprise", gettext("项目单位"), lambda d: d.application.enterprise.name),
        Column("district", gettext("所属区"), lambda d: d.application.district.name),
        Column("outcome", gettext("入选类别"), lambda d: d.get_outcome_display()),
        Column("score", gettext("评审得分"), lambda d: d.score),
    ]


@requires("notice.view_public")
@require_safe
def notice_document(request, pk: int):
    """The formal notice of the final list as DOCX (``?kind=docx``) or PDF (``?kind=pdf``)."""
    from wenzhi.core.documents import CJKFontMissing, render_docx, render_pdf

    from ..documents import final_list_document

    notice = _notice(pk)
    if notice.status != NoticeStatus.PUBLISHED:
        raise Http404
    doc = final_list_document(notice)
    name = quote(f"{doc.title}")
    if request.GET.get("kind") == "pdf":
        try:
            data, ctype, ext = render_pdf(doc), "application/pdf", "pdf"
        except CJKFontMissing as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    else:
        data, ext = render_docx(doc), "docx"
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.{ext}"
    return response


@requires("notice.view_public")
@require_safe
def public_list(request, pk: int):
    """The final list of a published notice: a page anyone may read and its xlsx (``?export=xlsx``)."""
    notice = _notice(pk)
    if notice.status != NoticeStatus.PUBLISHED:
        raise Http404
    decisions = list(selected_decisions(notice.call))
    for i, d in enumerate(decisions, start=1):
        setattr(d, "position", i)  # noqa: B010 - the list number, shown beside the decision
    if request.GET.get("export") == "xlsx":
        return export_xlsx(decisions, final_columns(), notice.title, title=gettext("入选名单"))
    return render(request, "projects/public_list.html", {"notice": notice, "decisions": decisions})
