"""Registers the media app's viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .views import DocumentViewSet, SourceViewSet

api_router.register("documents", DocumentViewSet, basename="media-document")
api_router.register("media-sources", SourceViewSet, basename="media-source")
