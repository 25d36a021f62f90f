"""django-filter filtersets of the project, call and application lists (pages and API)."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from wenzhi.registry import reference
from wenzhi.registry.choices import Sector
from wenzhi.registry.filters import (
    YES_NO,
    OrganisationChoicesMixin,
    SearchFilterSet,
    YearFilter,
    YesNoFilter,
)

from .choices import ApplicationStatus, CallLevel, ProjectLevel, Stage
from .models import Application, Call, Project


def _choices(choices_class):
    return lambda: choices_class.choices


class ProjectFilter(OrganisationChoicesMixin, SearchFilterSet):
    search_type = "project"

    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    park = df.ChoiceFilter(label=_("园区"), field_name="park", choices=[])
    stage = df.ChoiceFilter(label=_("项目阶段"), choices=_choices(Stage))
    level = df.ChoiceFilter(label=_("项目级别"), choices=_choices(ProjectLevel))
    sector = df.ChoiceFilter(label=_("产业门类"), choices=_choices(Sector))
    culture_category = df.ChoiceFilter(label=_("文化产业大类"), choices=reference.culture_category_choices)
    intelligent = YesNoFilter(label=_("智能文化创意项目"), choices=lambda: YES_NO, method="filter_bool")
    export_oriented = YesNoFilter(label=_("文化出口项目"), choices=lambda: YES_NO, method="filter_bool")
    start_year = YearFilter(label=_("入库年度"), min_value=2000)

    class Meta:
        model = Project
        fields = ["district", "park", "stage", "level", "sector", "culture_category"]

    def filter_bool(self, qs, name, value):
        return qs.filter(**{name: value == "1"})


class CallFilter(df.FilterSet):
    year = YearFilter(label=_("年度"), min_value=2000)
    level = df.ChoiceFilter(label=_("级别"), choices=_choices(CallLevel))

    class Meta:
        model = Call
        fields = ["year", "level"]


class ApplicationFilter(OrganisationChoicesMixin, df.FilterSet):
    organisation_choices = {"district": OrganisationChoicesMixin.organisation_choices["district"]}

    call = df.NumberFilter(label=_("申报批次编号"), field_name="call_id")
    year = YearFilter(label=_("年度"), field_name="call__year", min_value=2000)
    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    status = df.ChoiceFilter(label=_("状态"), choices=_choices(ApplicationStatus))
    q = df.CharFilter(label=_("搜索"), method="filter_q")

    class Meta:
        model = Application
        fields = ["call", "district", "status"]

    def filter_q(self, qs, name, value):
        value = (value or "").strip()[:100]
        return qs.filter(title__icontains=value) | qs.filter(enterprise__name__icontains=value) if value else qs
