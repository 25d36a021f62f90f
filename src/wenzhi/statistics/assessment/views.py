"""Pages of the district assessment: schemes by year, a scheme's results (score, rank, each indicator's
contribution and an explanation per district), its xlsx for the assessment office, and the scheme editor."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from wenzhi.core import panels
from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.core.listing import Column, ListPage, export_xlsx
from wenzhi.core.permissions import can, require, requires

from . import services
from .models import AssessmentScheme, Measure

EXTRA_ROWS = 3


def scheme_list(*, user):
    """Schemes are city-wide: whoever may view assessments sees every year's (results are scoped instead)."""
    return AssessmentScheme.objects.all() if can(user, "assessment.view") else AssessmentScheme.objects.none()


class SchemeList(ListPage):
    title = _("绩效考核")
    permission_action = "assessment.view"
    selector = scheme_list
    default_ordering = "-year"
    export_name = "assessment-schemes"
    detail_url_name = "statistics:assessment_detail"
    columns = [Column("name", _("名称"), link=True, width=30), Column("year", _("考核年度"))]

    def get_actions(self):
        if can(self.request.user, "assessment.manage"):
            return [(gettext("新建考核方案"), reverse("statistics:assessment_new"))]
        return []


def _scheme(request, pk: int) -> AssessmentScheme:
    try:
        scheme = scheme_list(user=request.user).get(pk=pk)
    except AssessmentScheme.DoesNotExist:
        raise Http404 from None
    require(request.user, "assessment.view", scheme)
    return scheme


def _rows(request, scheme):
    from wenzhi.core.selectors import districts

    results = services.assessment_results(user=request.user, scheme=scheme)
    total = districts().count()
    return [(r, services.explanation(r, total)) for r in results]


@requires("assessment.view")
@require_GET
def assessment_detail(request, pk: int):
    scheme = _scheme(request, pk)
    rows = _rows(request, scheme)
    chart = panels.chart("chart-assessment", {
        "tooltip": {"trigger": "axis"}, "legend": {"type": "scroll", "bottom": 0},
        "grid": {"left": 40, "right": 10, "bottom": 90, "top": 20, "containLabel": True},
        "xAxis": {"type": "category", "data": [r.name for r, _ in rows], "axisLabel": {"rotate": 40}},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "stack": "total", "name": label,
                    "data": [float(r.contributions[i].points) for r, _ in rows]}
                   for i, label in enumerate(c.label for c in (rows[0][0].contributions if rows else []))],
    })
    return render(request, "statistics/assessment_detail.html", {
        "scheme": scheme, "rows": rows, "chart": chart, "items": scheme.items.select_related("indicator"),
        "can_manage": can(request.user, "assessment.manage", scheme)})


@requires("assessment.view")
@require_GET
def assessment_export(request, pk: int):
    """One row per district: rank, total, each indicator's figure, score and points, the explanation."""
    scheme = _scheme(request, pk)
    rows = _rows(request, scheme)
    columns = [Column("rank", gettext("排名"), field=lambda r: r[0].rank),
               Column("name", gettext("区"), field=lambda r: r[0].name, width=14),
               Column("total", gettext("总分"), field=lambda r: r[0].total)]
    labels = [c.label for c in rows[0][0].contributions] if rows else []
    for i, label in enumerate(labels):
        columns += [
            Column(f"v{i}", gettext("%(label)s 数值") % {"label": label}, field=lambda r, i=i: r[0].contributions[i].value),
            Column(f"s{i}", gettext("%(label)s 得分") % {"label": label}, field=lambda r, i=i: r[0].contributions[i].score),
            Column(f"p{i}", gettext("%(label)s 贡献分") % {"label": label},
                   field=lambda r, i=i: r[0].contributions[i].points)]
    columns.append(Column("explanation", gettext("说明"), field=lambda r: r[1], width=60))
    info = [(gettext("考核方案"), scheme.name), (gettext("考核年度"), str(scheme.year)),
            (gettext("计分方法"), gettext("功效系数法：单项得分 = 60 + 40 ×（本区值 − 最低值）/（最高值 − 最低值），"
                                      "无数据不得分；贡献分 = 权重 × 单项得分 / 100。"))]
    return export_xlsx(rows, columns, f"assessment-{scheme.year}", title=gettext("绩效考核"), info=info)


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=100)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(forms.Form):
    indicator = forms.ChoiceField(label=_("指标"), required=False)
    measure = forms.ChoiceField(label=_("考核内容"), choices=Measure.choices)
    weight = forms.CharField(label=_("权重"), required=False, max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from wenzhi.statistics.models import Indicator

        self.fields["indicator"].choices = [("", "—")] + list(  # type: ignore[attr-defined]
            Indicator.objects.filter(active=True).order_by("order").values_list("code", "name"))


ItemFormSet = formset_factory(ItemForm, extra=0)


def _scheme_page(request, scheme: AssessmentScheme | None):
    items = [{"indicator": i.indicator.code, "measure": i.measure, "weight": str(i.weight)}
             for i in scheme.items.select_related("indicator")] if scheme else []
    initial_items = items + [{"measure": Measure.LEVEL}] * EXTRA_ROWS
    form = SchemeForm(request.POST or None, initial={"year": scheme.year, "name": scheme.name, "note": scheme.note}
                      if scheme else None)
    formset = ItemFormSet(request.POST or None, initial=initial_items, prefix="items")
    status = 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [services.ItemInput(f.cleaned_data["indicator"], f.cleaned_data["measure"], f.cleaned_data["weight"])
                 for f in formset if f.cleaned_data.get("indicator")]
        try:
            saved = services.assessment_scheme_save(
                actor=request.user, scheme=scheme, items=lines, version=request.POST.get("version", ""),
                **{k: form.cleaned_data[k] for k in ("year", "name", "note")})
        except ValidationError as exc:
            for messages_ in (exc.message_dict.values() if hasattr(exc, "message_dict") else [exc.messages]):
                for message in messages_:
                    form.add_error(None, message)
        except StaleEdit as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, gettext("考核方案已保存。"))
            return redirect("statistics:assessment_detail", pk=saved.pk)
    return render(request, "statistics/assessment_form.html", {
        "form": form, "formset": formset, "scheme": scheme,
        "version": request.POST.get("version") if status == 409 else (version_of(scheme) if scheme else "")},
        status=status)


@requires("assessment.manage")
def assessment_new(request):
    return _scheme_page(request, None)


@requires("assessment.manage")
def assessment_edit(request, pk: int):
    return _scheme_page(request, _scheme(request, pk))
