"""Load the plan's targets, baseline (as readings) and ten key tasks with milestones: idempotent, rows already
there are kept as officials may have edited them. Run by the data migration and by ``wenzhi setup``."""

from __future__ import annotations

import datetime as dt

from .constants import BASELINE_SOURCE, TARGETS, TASKS


def load(get_model) -> None:
    """``get_model(app_label, name)``: ``apps.get_model`` in a migration, ``django.apps.apps.get_model`` else."""
    Target = get_model("plan", "Target")
    TargetReading = get_model("plan", "TargetReading")
    Task = get_model("plan", "Task")
    Milestone = get_model("plan", "Milestone")
    for (code, name, clause, kind, measure, indicator, unit, horizon, low, high, base_year, base_value,
         order) in TARGETS:
        target, created = Target.objects.get_or_create(code=code, defaults=dict(
            name=name, clause=clause, kind=kind, measure=measure, indicator=indicator, unit=unit, horizon=horizon,
            target_low=low, target_high=high, baseline_year=base_year, baseline_value=base_value, order=order))
        if base_year and not TargetReading.objects.filter(target=target, is_baseline=True).exists():
            TargetReading.objects.create(target=target, period=str(base_year), value=base_value,
                                         source=BASELINE_SOURCE, is_baseline=True)
    for number, clause, title, lead, milestones in TASKS:
        task, created = Task.objects.get_or_create(number=number, defaults=dict(
            clause=clause, title=title, lead_units=lead))
        if created:
            for step, due in milestones:
                Milestone.objects.create(task=task, title=step, due_on=dt.date.fromisoformat(due))


def load_plan() -> None:
    """The reference loader registered with core (test fixtures and ``wenzhi setup`` call it)."""
    from django.apps import apps

    load(apps.get_model)
