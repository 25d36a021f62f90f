"""Forms of the statistics pages: catalogue edits (indicators, reporting forms, rules), opening a report,
reasons, and the xlsx upload. They validate input shape; the services validate meaning and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wenzhi.core.widgets import Textarea

from .models import Indicator, ReportingForm, ValidationRule


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "kind", "aggregation", "decimals", "allow_negative", "category",
                  "description", "order", "active"]
        widgets = {"description": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the code is the contract other modules read by
            del self.fields["code"]

    def changed_data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.fields if f in self.changed_data and f != "code"}


class ReportingFormForm(forms.ModelForm):
    indicator_codes = forms.CharField(
        label=_("指标（按顺序，每行一个指标代码）"), widget=Textarea(attrs={"rows": 10}),
        help_text=_("修改指标或顺序会生成报表的新版本；旧版本的表格将不再被接受。"))

    class Meta:
        model = ReportingForm
        fields = ["code", "name", "period_type", "reporter_kind", "open_days", "on_time_days", "close_days",
                  "description", "active"]
        widgets = {"description": Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"]
            self.initial.setdefault("indicator_codes", "\n".join(i.code for i in self.instance.indicators()))

    def codes(self) -> list[str]:
        text = self.cleaned_data.get("indicator_codes", "")
        return [c.strip() for c in text.replace(",", "\n").replace("，", "\n").splitlines() if c.strip()]

    def changed_data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data and f != "code"}


class RuleForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = ["name", "left", "operator", "right", "importance", "message", "active"]

    def changed_data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data}


class OpenReportForm(forms.Form):
    """Which report to open: a form, a period, and (for the city) the organisation."""

    form = forms.ModelChoiceField(label=_("报表"), queryset=ReportingForm.objects.none())
    period = forms.CharField(label=_("报告期"), max_length=8, help_text=_("如 2018Q3、2018、2018-07"))
    organisation = forms.IntegerField(label=_("填报单位"), required=False, widget=forms.Select)

    def __init__(self, *args, user=None, forms_qs=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        form_field = self.fields["form"]
        assert isinstance(form_field, forms.ModelChoiceField)
        form_field.queryset = forms_qs if forms_qs is not None else ReportingForm.objects.none()
        choices = [(o.id, o.name) for o in (organisations or [])]
        self.fields["organisation"].widget = forms.Select(choices=choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

