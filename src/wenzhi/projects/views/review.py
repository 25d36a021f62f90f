"""Review pages: expert assignment, an expert's scoring form with its running total (htmx), declarations of
conflict, the call's ranking table (and xlsx), and the decision."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from html import escape

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.listing import Column, export_xlsx, render_table_body, row_url
from wenzhi.core.permissions import requires
from wenzhi.registry.models import Enterprise

from .. import selectors, services
from ..choices import ApplicationStatus, Outcome
from ..forms import ConflictForm, DecisionForm
from ..models import Review
from ..rubric import weighted_total
from .calls import _application, _call
from .common import act, error_text

RANKING_PAGE_SIZE = 50


@require_POST
@requires("application.assign")
def application_assign(request, pk: int):
    application = _application(request, pk, "application.assign")
    expert = selectors.expert_users().filter(pk=request.POST.get("expert") or 0).first()
    if expert is None:
        messages.error(request, gettext("请选择评审专家。"))
        return redirect("projects:application_detail", pk=application.pk)
    return act(request, lambda: services.expert_assign(actor=request.user, application=application, expert=expert),
               gettext("已分配专家。"), "projects:application_detail", pk=application.pk)


def _scores_from(request, rubric) -> tuple[dict, dict]:
    scores = {c["key"]: request.POST.get(f"score_{c['key']}", "").strip() for c in rubric}
    comments = {c["key"]: request.POST.get(f"comment_{c['key']}", "").strip() for c in rubric}
    return {k: v for k, v in scores.items() if v != ""}, comments


@requires("review.score")
def review_edit(request, pk: int):
    """The assigned expert's scoring form for application ``pk``: 0 … max per criterion, with comments."""
    application = _application(request, pk, "review.score")
    call = application.call
    review = Review.objects.filter(application=application, expert=request.user).first()
    error = ""
    if request.method == "POST":
        scores, comments = _scores_from(request, call.rubric)
        try:
            services.review_save(actor=request.user, application=application, scores=scores, comments=comments,
                                 comment=request.POST.get("comment", ""), submit="submit" in request.POST)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, gettext("评分已提交。") if "submit" in request.POST else gettext("评分已保存。"))
            return redirect("projects:review_edit", pk=application.pk)
    saved = {s.criterion: s for s in review.scores.all()} if review else {}
    criteria = [{**c, "label": gettext(c["label"]),
                 "score": request.POST.get(f"score_{c['key']}") if error else getattr(saved.get(c["key"]), "score", ""),
                 "comment": request.POST.get(f"comment_{c['key']}") if error else getattr(saved.get(c["key"]), "comment", "")}
                for c in call.rubric]
    others = [r for r in selectors.reviews_for(user=request.user, application=application) if r.expert_id != request.user.pk]
    return render(request, "projects/review_edit.html", {
        "application": application, "call": call, "review": review, "criteria": criteria, "error": error,
        "others": others, "submitted": review is not None and review.status == "submitted",
        "comment": request.POST.get("comment", "") if error else (review.comment if review else "")},
        status=200)


@require_POST
@requires("review.score")
def review_total(request, pk: int):
    """The running total while the expert types (htmx): the weighted total of the scores entered so far, or
    which score is out of range."""
    application = _application(request, pk, "review.score")
    rubric = application.call.rubric
    scores, _comments = _scores_from(request, rubric)
    problems = []
    clean = {}
    for c in rubric:
        if c["key"] not in scores:
            continue
        try:
            value = Decimal(scores[c["key"]])
        except InvalidOperation:
            problems.append(gettext("“%(l)s”不是数字") % {"l": gettext(c["label"])})
            continue
        if not Decimal(0) <= value <= Decimal(str(c["max_score"])):
            problems.append(gettext("“%(l)s”应在 0 到 %(m)s 之间") % {"l": gettext(c["label"]), "m": c["max_score"]})
            continue
        clean[c["key"]] = value
    total = weighted_total(rubric, clean)
    text = gettext("加权总分：%(t)s / 100（已评 %(n)s / %(all)s 项）") % {"t": total, "n": len(clean), "all": len(rubric)}
    if problems:
        return HttpResponse(format_html('<span class="error">{}</span> {}', "；".join(problems), text))
    return HttpResponse(format_html("<b>{}</b>", text))


@requires("review.declare_conflict")
def conflict_declare(request):
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = Enterprise.objects.filter(pk=form.cleaned_data["enterprise"]).first()
        if enterprise is None:
            form.add_error("enterprise", gettext("找不到该企业"))
        else:
            try:
                services.conflict_declare(actor=request.user, enterprise=enterprise,
                                          reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, gettext("已登记回避。"))
                return redirect("projects:application_list")
    return render(request, "projects/form.html", {"title": gettext("申报利益冲突"), "form": form,
                                                  "back": reverse("projects:application_list")})


def ranking_columns() -> list[Column]:
    status_labels = {value: str(label) for value, label in ApplicationStatus.choices}
    return [
        Column("rank", gettext("排名")),
        Column("title", gettext("项目名称"), lambda r: r.application.title),
        Column("enterprise", gettext("申报单位"), lambda r: r.application.enterprise_name),
        Column("district", gettext("所属区"), lambda r: r.application.district_name),
        Column("count", gettext("评审数")),
        Column("total", gettext("总分")),
        Column("mean", gettext("平均分")),
        Column("trimmed_mean", gettext("去极值平均分")),
        Column("spread", gettext("极差")),
        Column("outliers", gettext("异常评分")),
        Column("status", gettext("状态"), lambda r: status_labels.get(r.application.status, "")),
    ]


@requires("call.rank")
@require_safe
def call_ranking(request, pk: int):
    """A whole call's ranking in one table (``?export=xlsx`` downloads it)."""
    call = _call(request, pk, "call.rank")
    ranking = selectors.CallRanking(call)
    if request.GET.get("export") == "xlsx":
        return export_xlsx(ranking.rows(), ranking_columns(), f"{call.name}-ranking", title=gettext("评审排名"))
    # The ranking is computed from ids and review totals only; full rows are loaded for the 50 shown (the rank stays
    # the call-wide one; the xlsx export has the whole call), and the decision form only for the row being decided
    # (?decide=<application id>): rendering 600 forms took ~1 s a page.
    page = Paginator(ranking, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    # Labels once per page: get_FOO_display() hashes every lazy label of the choices on each call (1 s at 600 rows).
    outcome_labels = {value: str(label) for value, label in Outcome.choices}
    status_labels = {value: str(label) for value, label in ApplicationStatus.choices}
    deciding = request.GET.get("decide", "")
    for row in shown:
        row.decision_label = outcome_labels.get(row.application.outcome, "")  # type: ignore[attr-defined]
        row.status_label = status_labels.get(row.application.status, "")  # type: ignore[attr-defined]
        row.deciding = str(row.application.pk) == deciding  # type: ignore[attr-defined]
    labels = (gettext("改决定"), gettext("决定"))
    body = render_table_body([{"cells": _ranking_cells(request, row, page.number, outcome_labels, labels)}
                              for row in shown])
    return render(request, "projects/call_ranking.html", {
        "call": call, "rows": shown, "page": page, "total": len(ranking), "columns": ranking_columns(),
        "table_body": body})


def _ranking_cells(request, row, page_number: int, outcome_labels: dict[str, str], labels: tuple[str, str]) -> list:
    """One ranking line's cells, written in Python (``core.listing.render_table_body``): 50 lines of a dozen
    cells through the template language cost more than computing the whole call's ranking. Every value is
    escaped here (``html.escape``, quotes included) before it is marked safe."""
    app = row.application
    outliers = " ".join(f'<span class="tag" title="{escape(rv.expert_name)}">{rv.total}</span>'
                        for rv in row.outlier_reviews)
    decided = f'<span data-testid="decided-{app.pk}">{escape(row.decision_label)}</span> ' if app.outcome else ""
    action: str
    if row.deciding:
        action = render_to_string("projects/ranking_decide.html", {
            "application": app, "page_number": page_number, "outcomes": list(outcome_labels.items())},
            request=request)
    else:
        label = labels[0] if app.outcome else labels[1]
        action = (f'<a class="btn small secondary" href="?page={page_number}&amp;decide={app.pk}#decide" '
                  f'data-testid="open-decide-{app.pk}">{escape(label)}</a>')
    title = f'<a href="{row_url("projects:application_detail", app.pk)}">{escape(app.title)}</a>'
    trimmed = f"<b>{_figure(row.trimmed_mean)}</b>"
    return [row.rank, mark_safe(title), app.enterprise_name, app.district_name, row.count,  # noqa: S308
            _figure(row.total), _figure(row.mean), mark_safe(trimmed), _figure(row.spread),  # noqa: S308
            mark_safe(outliers), row.status_label, mark_safe(decided + action)]  # noqa: S308


def _figure(value: float | None) -> str:
    return "—" if value is None else str(value)


@require_POST
@requires("application.decide")
def application_decide(request, pk: int):
    application = _application(request, pk, "application.decide")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择结果并填写理由。"))
        return redirect("projects:application_detail", pk=application.pk)
    target = request.POST.get("next") == "ranking"
    response = act(request, lambda: services.application_decide(
        actor=request.user, application=application, outcome=form.cleaned_data["outcome"],
        reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]),
        gettext("已作出决定。"), "projects:call_ranking" if target else "projects:application_detail",
        pk=application.call_id if target else application.pk)
    page = request.POST.get("page", "")
    if target and response.status_code == 302 and page.isdigit():
        response["Location"] += f"?page={page}"  # back to the ranking page the official was on
    return response

