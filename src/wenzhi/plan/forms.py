"""Forms of the plan tracker's pages (the services validate again: these only shape the input)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenzhi.core.widgets import IsoDateInput, Textarea

from .models import Target, Task


class TargetForm(forms.ModelForm):
    """The city edits a target's wording, values and note; its source and code stay as loaded."""

    reason = forms.CharField(label=_("修改理由"), max_length=200, required=False)

    class Meta:
        model = Target
        fields = ["name", "clause", "unit", "horizon", "target_low", "target_high", "note"]
        widgets = {"note": Textarea(attrs={"rows": 3})}

    def changed_data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data}


class TaskForm(forms.ModelForm):
    """The city edits a task's lead units, status and progress note."""

    reason = forms.CharField(label=_("修改理由"), max_length=200, required=False)

    class Meta:
        model = Task
        fields = ["lead_units", "status", "progress_note"]
        widgets = {"progress_note": Textarea(attrs={"rows": 4})}

    def changed_data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data}


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    due_on = forms.DateField(label=_("计划完成日期"), widget=IsoDateInput())


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("实际完成日期"), widget=IsoDateInput())


class EvidenceForm(forms.Form):
    happened_on = forms.DateField(label=_("日期"), widget=IsoDateInput())
    text = forms.CharField(label=_("进展佐证"), widget=Textarea(attrs={"rows": 3}), max_length=2000)
    link = forms.CharField(label=_("文件或链接"), max_length=300, required=False)


class ReadingForm(forms.Form):
    period = forms.CharField(label=_("期间"), max_length=8, help_text=_("年份如 2019，或季度如 2019Q3"))
    value = forms.DecimalField(label=_("数值"), required=False, max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("说明"), widget=Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)
