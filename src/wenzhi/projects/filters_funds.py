"""django-filter filtersets of the fund, grant and progress-report lists (pages and API)."""

import django_filters as df
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from wenzhi.core import search
from wenzhi.registry.filters import OrganisationChoicesMixin, SearchFilterSet, YearFilter

from .choices_funds import AllocationReason, AllocationStatus, FundKind, Quarter
from .models import ExportDirectory, Fund, Grant, ProgressReport


class ProjectSearch(df.FilterSet):
    """``q`` through core's full-text index over the rows' projects (progress reports have no index entry of
    their own: they are found by their project's name, owner and description, in the user's scope)."""

    q = df.CharFilter(label=_("搜索"), method="filter_q")
    project_field = "project"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)

    def filter_q(self, qs, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return qs
        found = search.matching_ids(getattr(self.request, "user", None), "project", value)
        if found is None:
            return qs.none()
        sql, params = found
        return qs.filter(**{f"{self.project_field}__in": RawSQL(sql, params)})  # noqa: S611 - the backend's SQL


class FundFilter(SearchFilterSet):
    search_type = "fund"
    year = YearFilter(label=_("年度"), min_value=2000)
    kind = df.ChoiceFilter(label=_("资金类型"), choices=FundKind.choices)

    class Meta:
        model = Fund
        fields = ["kind"]


class GrantFilter(OrganisationChoicesMixin, SearchFilterSet):
    search_type = "grant"
    organisation_choices = {"district": OrganisationChoicesMixin.organisation_choices["district"]}
    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    status = df.ChoiceFilter(label=_("方案状态"), field_name="allocation__status", choices=AllocationStatus.choices)
    reason = df.ChoiceFilter(label=_("安排依据"), choices=AllocationReason.choices)
    year = YearFilter(label=_("年度"), field_name="allocation__fund__year", min_value=2000)

    class Meta:
        model = Grant
        fields = ["district", "reason"]


class ProgressReportFilter(OrganisationChoicesMixin, ProjectSearch):
    organisation_choices = {"district": OrganisationChoicesMixin.organisation_choices["district"]}
    district = df.ChoiceFilter(label=_("所属区"), field_name="project__district", choices=[])
    year = YearFilter(label=_("年度"), min_value=2000)
    quarter = df.ChoiceFilter(label=_("季度"), choices=Quarter.choices)

    class Meta:
        model = ProgressReport
        fields = ["quarter"]


class ExportDirectoryFilter(SearchFilterSet):
    """The export directories by year, and ``q`` through core's full-text index: a directory's name and text and
    the projects, owners and markets it lists (a draft only for those who manage directories)."""

    search_type = "export_directory"
    year = YearFilter(label=_("年度"), min_value=2000)

    class Meta:
        model = ExportDirectory
        fields = ["year"]
