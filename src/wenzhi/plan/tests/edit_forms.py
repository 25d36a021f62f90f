"""The plan tracker's edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py).

Every field is filled: a multi-line note, decimal target values, a status other than the default."""

from __future__ import annotations

from decimal import Decimal

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form

from ..models import Target, Task
from ..reference import load_plan


def make_task(ctx) -> Task:
    load_plan()
    task = Task.objects.get(number=4)
    Task.objects.filter(pk=task.pk).update(status="in_progress", progress_note="第一行进展\n第二行进展")
    return Task.objects.get(pk=task.pk)


def make_target(ctx) -> Target:
    load_plan()
    target = Target.objects.get(code="leading_enterprises")
    Target.objects.filter(pk=target.pk).update(target_low=Decimal("3.50"), note="说明第一行\n说明第二行")
    return Target.objects.get(pk=target.pk)


register_edit_form("plan:task_edit", make=make_task, roles=(Role.CITY_ADMIN,))
register_edit_form("plan:target_edit", make=make_target, roles=(Role.CITY_ADMIN,))
