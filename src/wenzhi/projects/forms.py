"""Forms of the project pages: they validate input; services write."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from wenzhi.core.widgets import IsoDateInput, Textarea
from wenzhi.registry.choices import Sector

from .choices import Outcome
from .models import Application, Call, Project, PublicNotice
from .rubric import DEFAULT_RUBRIC
from .workflows import PROJECT_TRANSITIONS

DATE = IsoDateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ProjectForm(forms.ModelForm):
    """An official edits a project's descriptive fields; the stage changes only through its life cycle."""

    reason = forms.CharField(label=_("修改说明"), required=False, max_length=200)

    class Meta:
        model = Project
        fields = ["name", "description", "sector", "culture_category", "level", "start_year",
                  "planned_investment", "completed_investment", "export_oriented"]
        widgets = {"description": Textarea(attrs={"rows": 5})}

    def changed_data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data}


class ProjectCreateForm(forms.Form):
    owner = forms.IntegerField(label=_("项目单位（企业编号）"), min_value=1)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    description = forms.CharField(label=_("项目简介"), widget=Textarea(attrs={"rows": 5}), required=False)
    sector = forms.ChoiceField(label=_("产业门类"), choices=[("", "—"), *Sector.choices], required=False)
    planned_investment = forms.DecimalField(label=_("计划总投资（元）"), min_value=0, decimal_places=2,
                                            max_digits=16, required=False)
    export_oriented = forms.BooleanField(label=_("文化出口项目"), required=False)


class TransitionForm(forms.Form):
    transition = forms.ChoiceField(choices=[(k, t.label) for k, t in PROJECT_TRANSITIONS.items()])
    reason = forms.CharField(label=_("理由"), max_length=1000)
    happened_on = forms.DateField(label=_("日期"), required=False, widget=DATE)


class IntelligenceForm(forms.Form):
    decision = forms.ChoiceField(label=_("认定"), choices=[("1", _("认定为智能项目")), ("0", _("认定为非智能项目")),
                                                          ("auto", _("恢复按得分判断"))])
    reason = forms.CharField(label=_("理由"), max_length=1000)


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = ["name", "year", "level", "district", "opens_at", "closes_at", "review_deadline", "budget",
                  "reviews_shared", "description"]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME, "review_deadline": DATETIME,
                   "description": Textarea(attrs={"rows": 4})}

    same_district = forms.BooleanField(label=_("同区专家回避"), required=False, initial=True)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.rubric:  # the model checks the rubric; a new call starts from the default one
            self.instance.rubric = copy.deepcopy(DEFAULT_RUBRIC)
        if districts is not None:
            self.fields["district"].queryset = districts  # type: ignore[attr-defined]


class ApplicationForm(forms.ModelForm):
    """An enterprise's draft; the call's extra questions are added as fields ``answer_<key>``."""

    class Meta:
        model = Application
        fields = ["title", "summary", "planned_investment", "requested_amount"]
        widgets = {"summary": Textarea(attrs={"rows": 6})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        answers = (self.instance.answers or {}) if self.instance else {}
        for q in call.questions or []:
            self.fields[f"answer_{q['key']}"] = forms.CharField(
                label=q.get("label", q["key"]), required=False, initial=answers.get(q["key"], ""),
                widget=Textarea(attrs={"rows": 3}))

    def service_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["answers"] = {q["key"]: self.cleaned_data.get(f"answer_{q['key']}", "")
                           for q in self.call.questions or []}
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("附件类型"), choices=[])
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(a["key"], a.get("label", a["key"])) for a in call.attachments or []]  # type: ignore[attr-defined]


class DistrictReviewForm(forms.Form):
    recommend = forms.ChoiceField(label=_("初审结论"), choices=[("1", _("推荐")), ("0", _("不推荐"))])
    opinion = forms.CharField(label=_("初审意见"), max_length=2000, widget=Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=Outcome.choices)
    reason = forms.CharField(label=_("理由"), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoticeForm(forms.ModelForm):
    class Meta:
        model = PublicNotice
        fields = ["title", "document_number", "opens_on", "closes_on", "body"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "body": Textarea(attrs={"rows": 4})}


class ObjectionForm(forms.Form):
    application = forms.TypedChoiceField(label=_("涉及项目"), coerce=int, required=False, empty_value=None)
    name = forms.CharField(label=_("异议人"), max_length=100)
    contact = forms.CharField(label=_("联系方式"), max_length=100)
    text = forms.CharField(label=_("异议内容"), widget=Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", "—"), *((a.pk, a.title) for a in applications)]  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=Textarea(attrs={"rows": 3}), max_length=5000)
    upheld = forms.BooleanField(label=_("异议成立"), required=False)
    outcome = forms.ChoiceField(label=_("异议成立时改为"), required=False,
                                choices=[("", _("（异议不成立时不改变决定）")), *Outcome.choices],
                                help_text=_("异议成立须同时改变该项目的入选决定：撤销入选请选“不予入选”"))


class ConflictForm(forms.Form):
    enterprise = forms.IntegerField(label=_("企业编号"), min_value=1)
    reason = forms.CharField(label=_("回避理由"), max_length=1000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("项目清单文件（.xlsx 或 .csv）"))
    commit = forms.BooleanField(label=_("校验无误后直接导入（不勾选则只校验）"), required=False)
    skip_invalid = forms.BooleanField(label=_("跳过有问题的行，导入其余各行"), required=False)
