"""Pages of the quarterly bulletin: the list, drafting for a period, the web page (each figure shows the query it
comes from), the reviewer's edit, approve / reopen / issue, and the DOCX and PDF (archived once issued)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from wenzhi.core import panels
from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.listing import Column, ListPage
from wenzhi.core.permissions import can, require, requires

from . import check as checking
from . import selectors, services
from .figures import queries
from .filters import BulletinFilter
from .models import Bulletin, BulletinStatus


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


class BulletinList(ListPage):
    title = _("统计通报")
    permission_action = "bulletin.view"
    selector = selectors.bulletin_list
    filterset_class = BulletinFilter
    default_ordering = "-id"
    export_name = "bulletins"
    detail_url_name = "statistics:bulletin_detail"
    columns = [
        Column("title", _("标题"), link=True, width=40),
        Column("period", _("报告期"), field="period__code", sortable=False),
        Column("status", _("状态"), field=lambda b: b.get_status_display(), sortable=False),
        Column("number", _("文号"), field=lambda b: b.document_number, sortable=False, width=22),
        Column("issued_on", _("成文日期")),
    ]

    def get_actions(self):
        if can(self.request.user, "bulletin.draft"):
            return [(gettext("起草通报"), reverse("statistics:bulletin_new"))]
        return []


class DraftForm(forms.Form):
    period = forms.CharField(label=_("报告期"), max_length=8, help_text=_("如 2018Q3"))


@requires("bulletin.draft")
def bulletin_new(request):
    """Choose a period; Wenzhi writes the draft from its data (a period without data is refused, named)."""
    from wenzhi.statistics.analysis import periods_with_data

    periods = periods_with_data()
    form = DraftForm(request.POST or None, initial={"period": periods[0] if periods else ""})
    if request.method == "POST" and form.is_valid():
        try:
            bulletin = services.bulletin_draft(actor=request.user, period=form.cleaned_data["period"])
        except ValidationError as exc:
            form.add_error("period", _error_text(exc))
        else:
            messages.success(request, gettext("已根据数据生成通报草稿，请审阅。"))
            return redirect("statistics:bulletin_detail", pk=bulletin.pk)
    return render(request, "statistics/bulletin_new.html", {"form": form, "periods": periods[:12]})


def _bulletin(request, pk: int) -> Bulletin:
    try:
        return selectors.bulletin_get(user=request.user, pk=pk)
    except Bulletin.DoesNotExist:
        raise Http404 from None


def _paragraph_html(text: str, figures: dict) -> str:
    """A paragraph for the web page: each figure marked, its query and parameters in the tooltip."""
    labels = {name: str(q.label) for name, q in queries().items()}
    out, last = [], 0
    for m in checking.TOKEN.finditer(text):
        out.append(format_html("{}", text[last:m.start()]))
        ref = figures.get(m.group(1))
        if ref is None:
            out.append(format_html("{}", m.group(0)))
        else:
            tip = f"{m.group(1)} · {labels.get(ref.query, ref.query)} · " + json.dumps(ref.params, ensure_ascii=False)
            out.append(format_html('<span class="figure-ref" title="{}" data-query="{}">{}</span>', tip, ref.query,
                                   ref.text))
        last = m.end()
    out.append(format_html("{}", text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped by format_html


def _chart(chart: dict, figures: dict, index: int) -> dict | None:
    ref = figures.get(chart["figure"])
    if ref is None:
        return None
    rows = json.loads(ref.value)
    kind = "line" if chart["kind"] == "line" else "bar"
    return panels.chart(f"chart-bulletin-{index}", {
        "title": {"text": chart["title"], "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"}, "grid": {"left": 40, "right": 10, "bottom": 60, "top": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": [r[0] for r in rows], "axisLabel": {"rotate": 35}},
        "yAxis": {"type": "value", "name": ref.unit},
        "series": [{"type": kind, "name": chart["title"], "itemStyle": {"color": "#b3262d"},
                    "data": [float(r[1]) for r in rows]}]})


@requires("bulletin.view")
@require_GET
def bulletin_detail(request, pk: int):
    """The bulletin as a web page, its actions for whoever may take them, and its history."""
    bulletin = _bulletin(request, pk)
    require(request.user, "bulletin.view", bulletin)
    figures = services.figures_of(bulletin)
    user = request.user
    context = {
        "bulletin": bulletin,
        "paragraphs": [(bool(checking_heading(p)), _paragraph_html(p, figures)) for p in bulletin.paragraphs],
        "charts": [c for c in (_chart(ch, figures, i) for i, ch in enumerate(bulletin.charts)) if c],
        "events": bulletin.events.select_related("actor")[:20],
        "can_edit": not bulletin.frozen and can(user, "bulletin.edit", bulletin),
        "can_approve": bulletin.status == BulletinStatus.DRAFT and can(user, "bulletin.approve", bulletin),
        "can_reopen": bulletin.status == BulletinStatus.APPROVED and can(user, "bulletin.approve", bulletin),
        "can_issue": bulletin.status == BulletinStatus.APPROVED and can(user, "bulletin.issue", bulletin),
        "figure_count": len(figures),
    }
    return render(request, "statistics/bulletin_detail.html", context)


def checking_heading(text: str) -> bool:
    from .documents import HEADING

    return bool(HEADING.match(text))


class EditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 24}),
                           help_text=_("段落之间空一行。数字以 {f3:增长12.3%} 的形式绑定数据查询：可移动或随句删除，"
                                       "不能改写；正文中不能直接输入数字。"))


@requires("bulletin.edit")
def bulletin_edit(request, pk: int):
    """The reviewer edits the wording; figures stay bound to their queries (a changed number is refused)."""
    bulletin = _bulletin(request, pk)
    require(request.user, "bulletin.edit", bulletin)
    if bulletin.frozen:
        messages.error(request, gettext("该通报已印发并存档，不能再修改。"))
        return redirect("statistics:bulletin_detail", pk=bulletin.pk)
    initial = {"title": bulletin.title, "text": checking.editable(bulletin.paragraphs, services.figures_of(bulletin))}
    form = EditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.bulletin_edit(actor=request.user, bulletin=bulletin, title=form.cleaned_data["title"],
                                   text=form.cleaned_data["text"], version=request.POST.get("version", ""))
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        except StaleEdit as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, gettext("通报已保存。"))
            return redirect("statistics:bulletin_detail", pk=bulletin.pk)
    return render(request, "statistics/bulletin_edit.html", {
        "bulletin": bulletin, "form": form,
        "version": request.POST.get("version") if status == 409 else version_of(bulletin)}, status=status)


def _step(request, pk: int, action: str, run, done: str):
    bulletin = _bulletin(request, pk)
    require(request.user, action, bulletin)
    try:
        run(bulletin)
    except services.BulletinCheckFailed as exc:
        messages.error(request, gettext("数字核对未通过，不能继续：") + "；".join(m.message() for m in exc.mismatches))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return redirect("statistics:bulletin_detail", pk=bulletin.pk)


@requires("bulletin.approve")
@require_POST
def bulletin_approve(request, pk: int):
    return _step(request, pk, "bulletin.approve", lambda b: services.bulletin_approve(
        actor=request.user, bulletin=b, comment=request.POST.get("comment", "")), gettext("已审核通过，数字核对一致。"))


@requires("bulletin.approve")
@require_POST
def bulletin_reopen(request, pk: int):
    return _step(request, pk, "bulletin.approve", lambda b: services.bulletin_reopen(
        actor=request.user, bulletin=b, comment=request.POST.get("comment", "")), gettext("已退回修改。"))


@requires("bulletin.issue")
@require_POST
def bulletin_issue(request, pk: int):
    return _step(request, pk, "bulletin.issue", lambda b: services.bulletin_issue(actor=request.user, bulletin=b),
                 gettext("通报已印发并存档。"))


def _file(request, pk: int, kind: str):
    from .documents import bulletin_document

    bulletin = _bulletin(request, pk)
    require(request.user, "bulletin.view", bulletin)
    archived = bulletin.docx if kind == "docx" else bulletin.pdf
    name = f"bulletin-{bulletin.period.code}.{kind}"
    if bulletin.frozen and archived:
        return FileResponse(archived.open("rb"), as_attachment=True, filename=name)
    from wenzhi.core.documents import CJKFontMissing, render_docx, render_pdf

    try:
        doc = bulletin_document(bulletin)
        data = render_docx(doc) if kind == "docx" else render_pdf(doc)
    except CJKFontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    types = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "pdf": "application/pdf"}
    response = HttpResponse(data, content_type=types[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires("bulletin.view")
@require_GET
def bulletin_docx(request, pk: int):
    return _file(request, pk, "docx")


@requires("bulletin.view")
@require_GET
def bulletin_pdf(request, pk: int):
    return _file(request, pk, "pdf")
