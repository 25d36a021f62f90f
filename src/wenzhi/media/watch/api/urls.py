"""Registers the opinion-monitoring viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .views import AlertViewSet, NotificationViewSet, OpinionDashboardViewSet, ReportViewSet, RuleViewSet

api_router.register("opinion-dashboard", OpinionDashboardViewSet, basename="opinion-dashboard")
api_router.register("opinion-alerts", AlertViewSet, basename="opinion-alert")
api_router.register("opinion-rules", RuleViewSet, basename="opinion-rule")
api_router.register("opinion-notifications", NotificationViewSet, basename="opinion-notification")
api_router.register("opinion-reports", ReportViewSet, basename="opinion-report")
