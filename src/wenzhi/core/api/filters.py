"""The API's filter backend: django-filter's, with a bad filter value answered by a 400 that names the filter."""

from __future__ import annotations

from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from ..listing import filter_errors


class InvalidFilter(ValidationError):
    """A filter parameter the filterset refused; ``summary`` is the Chinese sentence the error body carries."""

    def __init__(self, detail, summary: str):
        super().__init__(detail)
        self.summary = summary


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            lines = filter_errors(filterset)
            raise InvalidFilter({name: list(errors) for name, errors in filterset.errors.items()},
                                gettext("筛选条件有误：") + "；".join(lines))
        return filterset.qs
