"""django-filter filtersets of the statistics lists and API (reports, indicators, rules)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.core.scoping import organisation_q
from wenzhi.registry.filters import YES_NO, YesNoFilter

from .choices import Importance, IndicatorCategory, PeriodType, ReporterKind, SubmissionStatus
from .models import Indicator, ReportingForm, Submission, ValidationRule


class YesNoMixin:
    def filter_yes_no(self, qs, name, value):
        return qs.filter(**{name: value == "1"}) if value in ("1", "0") else qs


class ReportFilter(YesNoMixin, df.FilterSet):
    form = df.ModelChoiceFilter(label=_("报表"), queryset=ReportingForm.objects.all())
    period = df.CharFilter(label=_("报告期"), field_name="period__code", lookup_expr="iexact")
    district = df.ModelChoiceFilter(label=_("所属区"), queryset=Organisation.objects.none())
    status = df.ChoiceFilter(label=_("状态"), choices=SubmissionStatus.choices)
    locked = YesNoFilter(label=_("已锁定"), choices=YES_NO, method="filter_yes_no")

    class Meta:
        model = Submission
        fields = ["form", "period", "district", "status", "locked"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(request, "user", None)
        districts = Organisation.objects.filter(level=Level.DISTRICT).order_by("code")
        if user is not None:
            districts = districts.filter(organisation_q(user))
        self.filters["district"].queryset = districts
        self.form.fields["district"].queryset = districts


class IndicatorFilter(YesNoMixin, df.FilterSet):
    q = df.CharFilter(label=_("搜索"), method="search")
    category = df.ChoiceFilter(label=_("类别"), choices=IndicatorCategory.choices)
    active = YesNoFilter(label=_("启用"), choices=YES_NO, method="filter_yes_no")

    class Meta:
        model = Indicator
        fields = ["q", "category", "active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def search(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(code__icontains=value) | Q(name__icontains=value))


class FormFilter(df.FilterSet):
    period_type = df.ChoiceFilter(label=_("报告期类型"), choices=PeriodType.choices)
    reporter_kind = df.ChoiceFilter(label=_("填报单位"), choices=ReporterKind.choices)

    class Meta:
        model = ReportingForm
        fields = ["period_type", "reporter_kind"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)


class RuleFilter(YesNoMixin, df.FilterSet):
    q = df.CharFilter(label=_("搜索"), method="search")
    importance = df.ChoiceFilter(label=_("重要程度"), choices=Importance.choices)
    active = YesNoFilter(label=_("启用"), choices=YES_NO, method="filter_yes_no")

    class Meta:
        model = ValidationRule
        fields = ["q", "importance", "active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)

    def search(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(name__icontains=value) | Q(left__icontains=value) | Q(right__icontains=value))
