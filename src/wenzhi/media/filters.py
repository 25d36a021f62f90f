"""Filters of the document list (page and API): every analysed field, the text search and a date range."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import django_filters as df
from django import forms
from django.utils.translation import gettext_lazy as _

from wenzhi.core.filtering import FilterSet
from wenzhi.registry.choices import Sector
from wenzhi.registry.filters import YES_NO, OrganisationChoicesMixin, YesNoFilter

from .choices import TOPIC_LABELS, DuplicateReason, Sentiment, SourceKind
from .models import Document, Source


def day_start(day: date) -> datetime:
    """Midnight UTC of ``day``: the index files documents by their UTC day, and the list must agree with it."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def topic_choices():
    return list(TOPIC_LABELS.items())


def _source_choices():
    return list(Source.objects.order_by("name").values_list("id", "name"))


class DocumentFilter(OrganisationChoicesMixin, FilterSet):
    """``q`` goes through core's full-text index together with the date range (one full-text query)."""

    q = df.CharFilter(label=_("搜索"), method="filter_q")
    published_from = df.DateFilter(label=_("发布日期自"), method="filter_from",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    published_to = df.DateFilter(label=_("发布日期至"), method="filter_to",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    source = df.ChoiceFilter(label=_("信息源"), field_name="source", choices=_source_choices)
    district = df.ChoiceFilter(label=_("所属区"), field_name="district", choices=[])
    sentiment = df.ChoiceFilter(label=_("情感"), choices=lambda: Sentiment.choices)
    topic = df.ChoiceFilter(label=_("主题"), choices=topic_choices)
    sector = df.ChoiceFilter(label=_("门类"), choices=lambda: Sector.choices)
    is_culture = YesNoFilter(label=_("文化相关"), choices=lambda: YES_NO, method="filter_yes_no")
    duplicate = YesNoFilter(label=_("重复稿"), choices=lambda: YES_NO, method="filter_duplicate")
    duplicate_reason = df.ChoiceFilter(label=_("重复原因"), choices=lambda: DuplicateReason.choices)
    keyword = df.CharFilter(label=_("关键词"), method="filter_keyword")
    enterprise = df.NumberFilter(label=_("提及企业（编号）"), field_name="enterprises", distinct=False)
    park = df.NumberFilter(label=_("提及园区（编号）"), field_name="parks", distinct=False)
    project = df.NumberFilter(label=_("提及项目（编号）"), field_name="projects", distinct=False)
    duplicate_group = df.NumberFilter(label=_("重复组（编号）"), field_name="duplicate_group")
    min_relevance = df.NumberFilter(label=_("文化相关度不低于"), field_name="culture_relevance", lookup_expr="gte")
    source_kind = df.ChoiceFilter(label=_("信息源类型"), field_name="source__kind", choices=lambda: SourceKind.choices)

    organisation_choices = {"district": OrganisationChoicesMixin.organisation_choices["district"]}
    bounded_search = False

    class Meta:
        model = Document
        fields = ["source", "district", "sentiment", "topic", "sector"]

    def filter_q(self, qs, name, value):
        from django.db import connections
        from django.db.models.expressions import RawSQL

        from wenzhi.core.search.backends import backend
        from wenzhi.core.search.service import ID_LIST_LIMIT

        from .search import matching_document_ids

        value = (value or "").strip()[:100]
        if not value:
            return qs
        data = self.form.cleaned_data
        found = matching_document_ids(getattr(self.request, "user", None), value,
                                      start=data.get("published_from"), end=data.get("published_to"))
        if found is None:
            return qs.none()
        sql, params = found
        with connections[qs.db].cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {ID_LIST_LIMIT + 1}", params)
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= ID_LIST_LIMIT:
            self.bounded_search = True
            sql, params = backend(qs.db).id_set(ids)
        return qs.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - SQL from the search backend

    def filter_from(self, qs, name, value):
        return qs.filter(published_at__gte=day_start(value)) if value else qs

    def filter_to(self, qs, name, value):
        return qs.filter(published_at__lt=day_start(value + timedelta(days=1))) if value else qs

    def filter_yes_no(self, qs, name, value):
        return qs.filter(**{f"{name}__in": [value == "1"]}) if value in ("0", "1") else qs

    def filter_duplicate(self, qs, name, value):
        if value == "1":
            return qs.exclude(duplicate_reason="")
        if value == "0":
            return qs.filter(duplicate_reason="")
        return qs

    def filter_keyword(self, qs, name, value):
        value = (value or "").strip()[:30]
        return qs.filter(keywords__contains=value) if value else qs


class SourceFilter(FilterSet):
    kind = df.ChoiceFilter(label=_("类型"), choices=lambda: SourceKind.choices)
    enabled = YesNoFilter(label=_("启用"), choices=lambda: YES_NO, method="filter_enabled")
    failing = YesNoFilter(label=_("连续失败"), choices=lambda: YES_NO, method="filter_failing")

    class Meta:
        model = Source
        fields = ["kind"]

    def filter_enabled(self, qs, name, value):
        return qs.filter(enabled=value == "1") if value in ("0", "1") else qs

    def filter_failing(self, qs, name, value):
        if value == "1":
            return qs.filter(consecutive_failures__gt=0)
        return qs.filter(consecutive_failures=0) if value == "0" else qs
