"""django-filter filtersets of the plan tracker's lists and API."""

import django_filters as df
from django.utils.translation import gettext_lazy as _

from .choices import TargetKind, TaskStatus
from .models import Target, Task


class TaskFilter(df.FilterSet):
    status = df.ChoiceFilter(label=_("状态"), choices=TaskStatus.choices)

    class Meta:
        model = Task
        fields = ["status"]


class TargetFilter(df.FilterSet):
    kind = df.ChoiceFilter(label=_("类型"), choices=TargetKind.choices)
    horizon = df.NumberFilter(label=_("目标年份"))

    class Meta:
        model = Target
        fields = ["kind", "horizon"]
