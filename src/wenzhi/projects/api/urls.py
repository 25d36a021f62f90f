"""Registers the projects viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .views import ApplicationViewSet, CallViewSet, NoticeViewSet, ObjectionViewSet, ProjectViewSet

api_router.register("projects", ProjectViewSet, basename="project")
api_router.register("calls", CallViewSet, basename="call")
api_router.register("applications", ApplicationViewSet, basename="application")
api_router.register("project-notices", NoticeViewSet, basename="project-notice")
api_router.register("objections", ObjectionViewSet, basename="objection")
