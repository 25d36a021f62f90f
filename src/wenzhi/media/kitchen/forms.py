"""Forms of the central kitchen's pages (the services validate again: these only shape the input)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenzhi.core.widgets import Textarea

from .choices import MachineKind, WordLevel
from .models import SensitiveWord, Story


class StoryForm(forms.ModelForm):
    class Meta:
        model = Story
        fields = ["title", "summary", "body"]
        widgets = {"summary": Textarea(attrs={"rows": 3}), "body": Textarea(attrs={"rows": 14})}


class VersionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    summary = forms.CharField(label=_("摘要"), widget=Textarea(attrs={"rows": 3}), required=False, max_length=500)
    body = forms.CharField(label=_("正文"), widget=Textarea(attrs={"rows": 10}))

    def __init__(self, *args, rule=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rule is not None:
            if not rule.has_title:
                del self.fields["title"]
            if not rule.has_summary:
                del self.fields["summary"]
            else:
                self.fields["summary"].label = rule.summary_label
            for field in ("title", "summary", "body"):
                most = rule.most(field)
                if most and field in self.fields:
                    self.fields[field].help_text = _("不超过 %(n)s 字") % {"n": most}
                    self.fields[field].widget.attrs["data-max-chars"] = most


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("说明"), widget=Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class MachineDraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MachineKind.choices)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100,
                              help_text=_("重点项目名单：名单年度"))
    period = forms.CharField(label=_("报告期"), required=False, max_length=6, help_text=_("统计摘要：如 2026Q3"))
    week = forms.DateField(label=_("统计周"), required=False, help_text=_("舆情摘要、票房报告：该周任一日期"),
                           widget=forms.DateInput(attrs={"type": "date"}))


class SubmissionForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    body = forms.CharField(label=_("内容"), widget=Textarea(attrs={"rows": 10}), max_length=5000)
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False,
                              help_text=_("选填，便于编辑核实"))


class ModerateForm(forms.Form):
    reason = forms.CharField(label=_("审核意见"), widget=Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class WordForm(forms.ModelForm):
    class Meta:
        model = SensitiveWord
        fields = ["word", "level", "category", "note", "is_active"]


class WordsAddForm(forms.Form):
    text = forms.CharField(label=_("词语"), widget=Textarea(attrs={"rows": 4}), help_text=_("每行一个，或用逗号分隔"))
    level = forms.ChoiceField(label=_("级别"), choices=WordLevel.choices, initial=WordLevel.REVIEW)
    category = forms.CharField(label=_("类别"), max_length=40, required=False)
