"""django-filter filtersets of the registry's list pages and API (district, park, sector, category, tags, year)."""

from typing import TYPE_CHECKING

import django_filters as df
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from wenzhi.core import search
from wenzhi.core.choices import Level
from wenzhi.core.filtering import FilterSet
from wenzhi.core.models import Organisation
from wenzhi.core.scoping import organisation_q

from . import reference
from .choices import (
    ClassificationSource,
    DirectoryKind,
    Ownership,
    ParkKind,
    ParkLevel,
    ParkStatus,
    Sector,
    TalentCategory,
    TalentProgramme,
    TrainingTeam,
)
from .constants import ENTERPRISE_TAGS
from .models import Enterprise, IndustryCode, Park, Talent, TrainingProgramme

if TYPE_CHECKING:
    from django_filters import FilterSet as _FilterSetBase  # what the mixin is mixed into
else:
    _FilterSetBase = object

YES_NO = [("1", _("是")), ("0", _("否"))]


class YesNoField(df.fields.ChoiceField):
    """是/否 as the page's select sends it (1/0) or as an API client does (true/false)."""

    ALIASES = {"true": "1", "false": "0"}

    def to_python(self, value):
        value = super().to_python(value)
        return self.ALIASES.get(str(value).lower(), value) if value else value

    def valid_value(self, value):
        return super().valid_value(self.ALIASES.get(str(value).lower(), value))


class YesNoFilter(df.ChoiceFilter):
    field_class = YesNoField


@extend_schema_field({"type": "integer", "minimum": 1800, "maximum": 2100})
class YearFilter(df.NumberFilter):
    """A whole year within bounds: ``?founded_year=0`` made the database's year lookup fail (a 500, a csv cut off
    mid-way) and ``1e400`` overflowed SQLite's integers; now either is a form error the page and the API report."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = 1800, max_value: int = 2100, **kwargs):
        kwargs.setdefault("error_messages", {
            "invalid": _("请输入四位数的年份"),
            "min_value": _("年份不能早于 %(limit_value)s 年"),
            "max_value": _("年份不能晚于 %(limit_value)s 年"),
        })
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


def _lazy_choices(choices_class):
    """Choices as a callable: a FilterSet deep-copies its filters on every request, and a callable is copied
    by reference where a list of translated labels is copied item by item."""
    return lambda: choices_class.choices


def _districts(request):
    # exclude(code="") lets the database use the partial (level, code) unique index instead of walking the
    # code index over every enterprise organisation (25,000 rows) to find 16 districts in code order.
    qs = Organisation.objects.filter(level=Level.DISTRICT).exclude(code="").order_by("code").only("id", "name")
    user = getattr(request, "user", None)
    return qs.filter(organisation_q(user)) if user is not None else qs


def _parks(request):
    # Through the (small) park table: filtering organisations by district would walk every enterprise
    # organisation of the district.
    from .selectors import park_list

    user = getattr(request, "user", None)
    parks = park_list(user=user).values("organisation_id")
    return Organisation.objects.filter(pk__in=parks).order_by("district__code", "name").only("id", "name")


def _cached_choices(name: str, func, request) -> list:
    """(id, name) pairs of ``func(request)``, kept per scope like the filter form's HTML
    (``WENZHI_FILTER_CACHE_SECONDS``): two queries and their model overhead on every list request otherwise."""
    from django.conf import settings
    from django.core.cache import cache

    from wenzhi.core.scoping import scope_for

    ttl = getattr(settings, "WENZHI_FILTER_CACHE_SECONDS", 60)
    user = getattr(request, "user", None)
    scope = scope_for(user)
    key = f"wenzhi:filter-choices:{name}:{scope.kind}:{scope.organisation_id}"
    choices = cache.get(key) if ttl and user is not None else None
    if choices is None:
        choices = list(func(request).values_list("id", "name"))
        if ttl and user is not None:
            cache.set(key, choices, ttl)
    return choices


class OrganisationChoicesMixin(_FilterSetBase):
    """District and park filters as plain (id, name) choices read with one values_list each, scoped to the
    user: building a model instance per park for every list page cost more than the list's own query."""

    organisation_choices = {"district": _districts, "park": _parks}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name, func in self.organisation_choices.items():
            if name in self.filters:
                flt = self.filters[name]
                # A callable: the form deep-copies its fields on every request, a list item by item.
                choices = _cached_choices(name, func, request)
                flt.extra["choices"] = lambda choices=choices: choices
                # A form field built earlier (e.g. by the API schema) was copied along; build it anew.
                flt.__dict__.pop("_field", None)


class SearchFilterSet(FilterSet):
    """The text search ``q`` of a list through core's full-text index, scoped to the user like the list."""

    search_type = ""
    q = df.CharFilter(label=_("搜索"), method="filter_q")

    # Set when the search narrowed the list to a bounded list of ids (core.listing then pages the matches by
    # their ids in one narrow query instead of counting and then sorting all the wide rows).
    bounded_search = False

    def filter_q(self, qs, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return qs
        qs, self.bounded_search = search.filter_queryset(qs, getattr(self.request, "user", None), self.search_type,
                                                         value, bounded=True)
        return qs


class EnterpriseFilter(OrganisationChoicesMixin, SearchFilterSet):
    search_type = "enterprise"

    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    park = df.ChoiceFilter(label=_("园区"), field_name="park", choices=[])
    sector = df.ChoiceFilter(label=_("产业门类"), choices=_lazy_choices(Sector))
    culture_category = df.ChoiceFilter(label=_("文化产业大类"), choices=reference.culture_category_choices)
    culture_subcategory = df.ChoiceFilter(label=_("文化产业中类"), choices=reference.culture_subcategory_choices)
    ownership = df.ChoiceFilter(label=_("所有制"), choices=_lazy_choices(Ownership))
    classification_source = df.ChoiceFilter(label=_("归类依据"), choices=_lazy_choices(ClassificationSource))
    tag = df.ChoiceFilter(label=_("标签"), choices=lambda: ENTERPRISE_TAGS, method="filter_tag")
    founded_year = YearFilter(label=_("成立年份"), field_name="founded_on", lookup_expr="year")
    latest_year = YearFilter(label=_("数据年度"), field_name="year_figures__year", distinct=True)

    class Meta:
        model = Enterprise
        fields = ["district", "park", "sector", "culture_category", "culture_subcategory", "ownership",
                  "classification_source"]

    def filter_tag(self, qs, name, value):
        if value in dict(ENTERPRISE_TAGS):
            # "IN (true)", not "= true": Django writes the latter on SQLite as a bare column test, which no
            # index serves (the count of 规上 enterprises then read every index entry).
            return qs.filter(**{f"{value}__in": [True]})
        return qs


class ParkFilter(OrganisationChoicesMixin, SearchFilterSet):
    search_type = "park"

    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    level = df.ChoiceFilter(label=_("级别"), choices=_lazy_choices(ParkLevel))
    kind = df.ChoiceFilter(label=_("类型"), choices=_lazy_choices(ParkKind))
    status = df.ChoiceFilter(label=_("状态"), choices=_lazy_choices(ParkStatus))
    designated_year = YearFilter(label=_("命名年份"), field_name="designated_on", lookup_expr="year")

    class Meta:
        model = Park
        fields = ["district", "level", "kind", "status"]


class TalentFilter(OrganisationChoicesMixin, SearchFilterSet):
    search_type = "talent"

    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    category = df.ChoiceFilter(label=_("人才类别"), choices=_lazy_choices(TalentCategory))
    programme = df.ChoiceFilter(label=_("入选项目"), choices=_lazy_choices(TalentProgramme))
    year_recognised = YearFilter(label=_("入选年度"))

    class Meta:
        model = Talent
        fields = ["district", "category", "programme", "year_recognised"]


class TrainingFilter(FilterSet):
    team = df.ChoiceFilter(label=_("队伍"), choices=_lazy_choices(TrainingTeam))
    year = YearFilter(label=_("年度"))

    class Meta:
        model = TrainingProgramme
        fields = ["team", "year"]


class DirectoryFilter(SearchFilterSet):
    search_type = "directory"

    kind = df.ChoiceFilter(label=_("名录类型"), choices=_lazy_choices(DirectoryKind))
    year = YearFilter(label=_("年度"))
    published = YesNoFilter(label=_("已发布"), choices=lambda: YES_NO, method="filter_published")

    def filter_published(self, qs, name, value):
        return qs.filter(published=value == "1")


class IndustryCodeFilter(FilterSet):
    level = df.ChoiceFilter(label=_("层级"), choices=[(1, _("门类")), (2, _("大类")), (3, _("中类")), (4, _("小类"))])
    section = df.ChoiceFilter(label=_("门类"), choices=lambda: [
        (r["code"], f"{r['code']} {r['name']}") for r in reference.industry_rows() if r["level"] == "1"])
    culture = df.ChoiceFilter(label=_("文化产业归属"), method="filter_culture", choices=[
        ("any", _("属于（全部或部分）")), ("full", _("全部属于")), ("partial", _("部分属于")), ("none", _("不属于"))])
    culture_subcategory = df.ChoiceFilter(label=_("文化产业中类"), choices=reference.culture_subcategory_choices)

    class Meta:
        model = IndustryCode
        fields = ["level", "section", "culture_subcategory"]

    def filter_culture(self, qs, name, value):
        if value == "any":
            return qs.exclude(culture_inclusion="")
        if value == "none":
            return qs.filter(Q(culture_inclusion="") & Q(level=4))
        return qs.filter(culture_inclusion=value)
