"""Registers rural tourism's viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .views import BoardViewSet, PlaceViewSet, RouteViewSet

api_router.register("tourism/boards", BoardViewSet, basename="tourism-board")
api_router.register("tourism/places", PlaceViewSet, basename="tourism-place")
api_router.register("tourism/routes", RouteViewSet, basename="tourism-route")
