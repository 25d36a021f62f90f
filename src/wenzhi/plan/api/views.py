"""Plan tracker API (/api/v1/plan/…): the targets with live progress and the ten key tasks, for plan readers."""

from rest_framework import viewsets

from wenzhi.core.api.permissions import ActionPermission

from .. import selectors
from ..filters import TargetFilter, TaskFilter
from .serializers import TargetSerializer, TaskSerializer


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan's targets, each with its live value, period, state (met / behind / no_data / monitored) and
    source; ``source_available`` is false when the module the figure comes from is not installed."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "plan.view", "retrieve": "plan.view"}
    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        return selectors.target_list(user=self.request.user)


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """The ten key tasks with lead units, status, progress note, milestones and the number of evidence rows."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "plan.view", "retrieve": "plan.view"}
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return selectors.task_list(user=self.request.user).prefetch_related("milestones")
