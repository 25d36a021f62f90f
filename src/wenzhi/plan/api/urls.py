"""Registers the plan tracker's viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .views import TargetViewSet, TaskViewSet

api_router.register("plan/targets", TargetViewSet, basename="plan-target")
api_router.register("plan/tasks", TaskViewSet, basename="plan-task")
