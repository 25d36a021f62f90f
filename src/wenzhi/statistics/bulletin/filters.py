"""The bulletin list's filters: status, year and the text search (core's full-text index)."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from wenzhi.core import search

from .models import Bulletin, BulletinStatus


class BulletinFilter(df.FilterSet):
    q = df.CharFilter(label=_("搜索"), method="filter_q")
    status = df.ChoiceFilter(label=_("状态"), choices=BulletinStatus.choices)
    year = df.NumberFilter(label=_("年度"))

    class Meta:
        model = Bulletin
        fields = ["q", "status", "year"]

    def filter_q(self, qs, name, value):
        if not value.strip():
            return qs
        return search.filter_queryset(qs, getattr(self.request, "user", None), "bulletin", value)
