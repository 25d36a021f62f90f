"""Forms of the registry pages; they validate input, the services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.core.widgets import IsoDateInput, Textarea

from . import reference
from .choices import DirectoryKind, Ownership, ParkKind, ParkLevel, ParkStatus, Sector
from .constants import ENTERPRISE_TAGS, PARK_CRITERIA
from .models import Enterprise, Park
from .validators import industry_code_error, uscc_error


class EnterpriseProfileForm(forms.ModelForm):
    """What an enterprise user may edit on their own enterprise."""

    former_names_text = forms.CharField(label=_("曾用名"), required=False, help_text=_("多个曾用名用顿号或换行分隔"),
                                        widget=Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("修改说明"), required=False, max_length=200)

    class Meta:
        model = Enterprise
        fields = ["address", "legal_form", "founded_on", "industry_code", "business_scope"]
        widgets = {"founded_on": IsoDateInput(),
                   "business_scope": Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["former_names_text"].initial = "、".join(self.instance.former_names or [])

    def clean_industry_code(self):
        code = (self.cleaned_data.get("industry_code") or "").strip()
        message = industry_code_error(code)
        if message:
            raise forms.ValidationError(message)
        return code

    def changed_data_for_service(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data}
        names = [n.strip() for n in self.cleaned_data.get("former_names_text", "").replace("\n", "、").split("、")]
        names = [n for n in names if n]
        if names != list(self.instance.former_names or []):
            data["former_names"] = names
        return data


class EnterpriseOfficialForm(EnterpriseProfileForm):
    """Officials also correct the name, credit code, ownership, district and park."""

    class Meta(EnterpriseProfileForm.Meta):
        fields = ["name", "credit_code", "ownership", "district", "park", *EnterpriseProfileForm.Meta.fields]

    def __init__(self, *args, districts=None, parks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts if districts is not None else \
            Organisation.objects.filter(level=Level.DISTRICT)
        parks = parks if parks is not None else Organisation.objects.filter(level=Level.PARK)
        if self.instance.park_id:
            # The enterprise's current park stays a choice (even if closed since), or saving would drop it.
            parks = parks | Organisation.objects.filter(pk=self.instance.park_id)
        self.fields["park"].queryset = parks

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        if code:
            message = uscc_error(code)
            if message:
                raise forms.ValidationError(message)
        return code


class OverrideForm(forms.Form):
    culture_subcategory = forms.ChoiceField(label=_("文化产业中类"), choices=())
    sector = forms.ChoiceField(label=_("产业门类"), choices=Sector.choices)
    reason = forms.CharField(label=_("认定理由"), min_length=4, max_length=500, widget=Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["culture_subcategory"].choices = reference.culture_subcategory_choices()


class TagsForm(forms.Form):
    reason = forms.CharField(label=_("修改说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ENTERPRISE_TAGS:
            self.fields[key] = forms.BooleanField(label=label, required=False)


class FigureForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    revenue = forms.DecimalField(label=_("营业收入（万元）"), max_digits=14, decimal_places=2, min_value=0, required=False)
    employees = forms.IntegerField(label=_("从业人员"), min_value=0, required=False)
    value_added = forms.DecimalField(label=_("增加值（万元）"), max_digits=14, decimal_places=2, required=False)


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    happened_on = forms.DateField(label=_("日期"), required=False, widget=IsoDateInput())
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("评价意见"), required=False, widget=Textarea(attrs={"rows": 3}))
    correction_reason = forms.CharField(label=_("更正理由"), required=False, max_length=500,
                                        help_text=_("该年度已有评价时必填：原评分保留在变更记录中"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, maximum) in PARK_CRITERIA.items():
            self.fields[f"score_{key}"] = forms.DecimalField(
                label=_("%(label)s（满分 %(maximum)s）") % {"label": label, "maximum": maximum}, min_value=0,
                max_value=maximum, decimal_places=1)

    def scores(self) -> dict:
        return {key: self.cleaned_data[f"score_{key}"] for key in PARK_CRITERIA}


class DirectoryEntryForm(forms.Form):
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), required=False, max_length=18)
    project_name = forms.CharField(label=_("或项目名称"), required=False, max_length=200)
    note = forms.CharField(label=_("备注"), required=False, max_length=300)
    reason = forms.CharField(label=_("列入理由"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if bool(data.get("credit_code")) == bool(data.get("project_name")):
            raise forms.ValidationError(_("请填写企业统一社会信用代码或项目名称（二选一）"))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500)


class EnterpriseCreateForm(forms.Form):
    """An official registers one enterprise (bulk registration is the import page)."""

    name = forms.CharField(label=_("企业名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    district = forms.ModelChoiceField(label=_("所属区"), queryset=Organisation.objects.none())
    park = forms.ModelChoiceField(label=_("所在园区"), queryset=Organisation.objects.none(), required=False)
    address = forms.CharField(label=_("注册地址"), max_length=300, required=False)
    legal_form = forms.CharField(label=_("企业类型"), max_length=100, required=False)
    ownership = forms.ChoiceField(label=_("所有制"), choices=[("", "---------"), *Ownership.choices], required=False)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=IsoDateInput())
    industry_code = forms.CharField(label=_("行业代码（GB/T 4754-2017 小类）"), max_length=4, required=False)
    business_scope = forms.CharField(label=_("经营范围"), required=False, widget=Textarea(attrs={"rows": 4}))

    def __init__(self, *args, districts, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["park"].queryset = parks

    def clean_credit_code(self):
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        if code and uscc_error(code):
            raise forms.ValidationError(uscc_error(code))
        if code and Enterprise.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(_("登记库中已有该统一社会信用代码的企业"))
        return code

    def clean_industry_code(self):
        code = (self.cleaned_data.get("industry_code") or "").strip()
        if industry_code_error(code):
            raise forms.ValidationError(industry_code_error(code))
        return code


class ParkCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    district = forms.ModelChoiceField(label=_("所属区"), queryset=Organisation.objects.none())
    level = forms.ChoiceField(label=_("级别"), choices=ParkLevel.choices)
    kind = forms.ChoiceField(label=_("类型"), choices=ParkKind.choices)
    status = forms.ChoiceField(label=_("状态"), choices=[(ParkStatus.CANDIDATE, ParkStatus.CANDIDATE.label),
                                                       (ParkStatus.DESIGNATED, ParkStatus.DESIGNATED.label)])
    designated_on = forms.DateField(label=_("命名日期"), required=False, widget=IsoDateInput())
    operator = forms.CharField(label=_("运营主体"), max_length=200, required=False)
    address = forms.CharField(label=_("地址"), max_length=300, required=False)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class DirectoryCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("名录类型"), choices=DirectoryKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(label=_("说明"), required=False, widget=Textarea(attrs={"rows": 3}))


class ParkForm(forms.ModelForm):
    """An official edits a park's descriptive fields; status, level and dates change only by its life cycle."""

    reason = forms.CharField(label=_("修改说明"), required=False, max_length=200)

    class Meta:
        model = Park
        fields = ["name", "kind", "operator", "address", "area_sqm", "description"]
        widgets = {"description": Textarea(attrs={"rows": 4})}

    def changed_data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.changed_data}
