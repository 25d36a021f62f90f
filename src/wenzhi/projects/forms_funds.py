"""Forms of the funds, progress and promotion pages: they validate input; services write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import Textarea
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices_funds import FundKind, Quarter
from .forms import DATE

MONEY: dict[str, Any] = {"min_value": 0, "decimal_places": 2, "max_digits": 16}


class FundForm(forms.Form):
    name = forms.CharField(label=_("资金名称"), max_length=200)
    kind = forms.ChoiceField(label=_("资金类型"), choices=FundKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    budget = forms.DecimalField(label=_("预算（元）"), **MONEY)
    description = forms.CharField(label=_("说明"), required=False, widget=Textarea(attrs={"rows": 3}))


class ProposeForm(forms.Form):
    call = forms.ChoiceField(label=_("申报批次"), choices=[])
    amount = forms.DecimalField(label=_("方案资金额度（元）"), **MONEY)
    title = forms.CharField(label=_("方案名称"), max_length=200, required=False)
    max_district_share = forms.DecimalField(label=_("单区资金占比上限（0–1，可不填）"), required=False, min_value=0,
                                            max_value=1, decimal_places=3, max_digits=4)
    min_funded_per_district = forms.IntegerField(label=_("每区至少资助项目数"), min_value=0, max_value=20,
                                                 initial=0, required=False)

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["call"]).choices = [(c.pk, str(c)) for c in calls]


class GrantAdjustForm(forms.Form):
    amount = forms.DecimalField(label=_("安排金额（元）"), **MONEY)
    reason = forms.CharField(label=_("调整理由"), max_length=500)


class DisbursementForm(forms.Form):
    milestone = forms.ChoiceField(label=_("对应节点"), choices=[])
    amount = forms.DecimalField(label=_("拨付金额（元）"), **MONEY)
    paid_on = forms.DateField(label=_("拨付日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["milestone"]).choices = [("", "—")] + [
            (m.pk, gettext("%(t)s（%(d)s）") % {"t": m.title, "d": m.done_on or gettext("未完成")}) for m in milestones]


class ProgressReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=Quarter.choices, coerce=int)
    investment_completed = forms.DecimalField(label=_("本季度完成投资（元）"), **MONEY)
    progress = forms.CharField(label=_("进展情况"), widget=Textarea(attrs={"rows": 4}))
    problems = forms.CharField(label=_("存在问题"), required=False, widget=Textarea(attrs={"rows": 2}))
    milestone = forms.ChoiceField(label=_("本季度完成的节点"), required=False, choices=[])
    evidence = forms.FileField(label=_("节点佐证材料"), required=False)

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["milestone"]).choices = [("", "—")] + [(m.pk, m.title) for m in milestones]


class ExportDirectoryForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称（可不填）"), max_length=200, required=False)
    description = forms.CharField(label=_("说明"), required=False, widget=Textarea(attrs={"rows": 3}))


class ProjectPickForm(forms.Form):
    project = forms.IntegerField(label=_("项目编号"), min_value=1)
    markets = forms.CharField(label=_("目标市场"), max_length=200, required=False)
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)


class ShowcaseForm(forms.Form):
    pitch = forms.CharField(label=_("项目推介"), widget=Textarea(attrs={"rows": 4}))
    seeking = forms.DecimalField(label=_("拟融资额（元）"), **MONEY)
    published = forms.BooleanField(label=_("公开展示"), required=False, initial=True)


class InterestForm(forms.Form):
    investor_name = forms.CharField(label=_("联系人"), max_length=100)
    organisation = forms.CharField(label=_("投资机构"), max_length=200)
    email = forms.EmailField(label=_("电子邮箱"))
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    amount = forms.DecimalField(label=_("意向投资额（元）"), required=False, **MONEY)
    message = forms.CharField(label=_("留言"), required=False, widget=Textarea(attrs={"rows": 3}))


class FairInterestForm(InterestForm):
    project = forms.ChoiceField(label=_("项目"), choices=[])

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["project"]).choices = [(p.pk, p.name) for p in projects]


class FairForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    held_on = forms.DateField(label=_("举办日期"), widget=DATE)
    venue = forms.CharField(label=_("地点"), max_length=200)
    description = forms.CharField(label=_("说明"), required=False, widget=Textarea(attrs={"rows": 3}))
