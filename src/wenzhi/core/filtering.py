"""The base of every list's django-filter filterset: the same filters and form, built without deep copies.

django-filter deep-copies every declared filter for each filterset, builds a new form class from the copies'
new fields, and Django's form then deep-copies those new fields again: about 400 deep copies per list request,
more than the list's own queries cost. Here each filter is copied shallowly (its ``extra`` dict too, the only
part a request changes) and its form field is built anew, so the form can take its fields as they are.
"""

from __future__ import annotations

import copy

import django_filters as df


class _FreshFields(dict):
    """The fields of a form class built for one filterset: already this request's own, so not copied again."""

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(df.FilterSet):
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        base_filters = dict(getattr(type(self), "base_filters", {}))
        self.__dict__["base_filters"] = {}  # hides the class's filters: the parent deep-copies nothing
        try:
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            del self.__dict__["base_filters"]
        model = self.queryset.model
        self.filters = {}
        for name, base in base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            filter_.__dict__.pop("_field", None)  # a field built earlier (e.g. for the API schema) is not shared
            if filter_.method is not None:
                filter_.method = filter_.method  # binds a FilterMethod to this copy (and so to this filterset)
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.base_fields = _FreshFields(form_class.base_fields)
        return form_class
