"""Reads of the plan tracker. Targets and tasks are city-wide rows every reader of the plan sees; evidence is
read in full by the city and officials alike (it is the plan's public record of work among officials)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from wenzhi.core.permissions import can

from .models import Evidence, Target, Task


def target_list(*, user) -> QuerySet[Target]:
    """The plan's targets in order, or none for a user who may not read the plan."""
    if not can(user, "plan.view"):
        return Target.objects.none()
    return Target.objects.all().order_by("order", "code")


def task_list(*, user) -> QuerySet[Task]:
    """The ten key tasks with their milestone counts (done, overdue)."""
    from django.utils import timezone

    if not can(user, "plan.view"):
        return Task.objects.none()
    today = timezone.localdate()
    return Task.objects.annotate(
        milestone_count=Count("milestones", distinct=True),
        milestones_done=Count("milestones", filter=~Q(milestones__done_on=None), distinct=True),
        milestones_overdue=Count("milestones", filter=Q(milestones__done_on=None, milestones__due_on__lt=today),
                                 distinct=True),
        evidence_count=Count("evidence", distinct=True),
    ).order_by("number")


def task_evidence(*, task: Task) -> QuerySet[Evidence]:
    return task.evidence.select_related("district", "recorded_by").order_by("-happened_on", "-id")
