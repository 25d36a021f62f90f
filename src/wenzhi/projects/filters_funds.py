"""django-filter filtersets of the fund, grant and progress-report lists (pages and API)."""

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wenzhi.registry.filters import OrganisationChoicesMixin, YearFilter

from .choices_funds import AllocationReason, AllocationStatus, FundKind, Quarter
from .models import Fund, Grant, ProgressReport


class _TextSearch(df.FilterSet):
    """``q``: words in the names listed in ``search_fields`` (these lists are short: a few thousand rows)."""

    search_fields: tuple[str, ...] = ()
    q = df.CharFilter(label=_("搜索"), method="filter_q")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)

    def filter_q(self, qs, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return qs
        cond = Q()
        for f in self.search_fields:
            cond |= Q(**{f"{f}__icontains": value})
        return qs.filter(cond)


class FundFilter(_TextSearch):
    search_fields = ("name", "description")
    year = YearFilter(label=_("年度"), min_value=2000)
    kind = df.ChoiceFilter(label=_("资金类型"), choices=FundKind.choices)

    class Meta:
        model = Fund
        fields = ["kind"]


class GrantFilter(OrganisationChoicesMixin, _TextSearch):
    search_fields = ("application__title", "enterprise__name")
    organisation_choices = {"district": OrganisationChoicesMixin.organisation_choices["district"]}
    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    status = df.ChoiceFilter(label=_("方案状态"), field_name="allocation__status", choices=AllocationStatus.choices)
    reason = df.ChoiceFilter(label=_("安排依据"), choices=AllocationReason.choices)
    year = YearFilter(label=_("年度"), field_name="allocation__fund__year", min_value=2000)

    class Meta:
        model = Grant
        fields = ["district", "reason"]


class ProgressReportFilter(OrganisationChoicesMixin, _TextSearch):
    search_fields = ("project__name", "progress")
    organisation_choices = {"district": OrganisationChoicesMixin.organisation_choices["district"]}
    district = df.ChoiceFilter(label=_("所属区"), field_name="project__district", choices=[])
    year = YearFilter(label=_("年度"), min_value=2000)
    quarter = df.ChoiceFilter(label=_("季度"), choices=Quarter.choices)

    class Meta:
        model = ProgressReport
        fields = ["quarter"]
