"""Registers the central kitchen's viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .views import StoryViewSet, SubmissionViewSet, VersionViewSet, WordViewSet

api_router.register("kitchen/stories", StoryViewSet, basename="kitchen-story")
api_router.register("kitchen/versions", VersionViewSet, basename="kitchen-version")
api_router.register("kitchen/submissions", SubmissionViewSet, basename="kitchen-submission")
api_router.register("kitchen/words", WordViewSet, basename="kitchen-word")
