"""Registers the ticketing viewsets on core's API router (mounted at /api/v1/): sessions/, orders/, checkins/."""

from wenzhi.core.hooks import api_router

from .views import CheckInViewSet, OrderViewSet, SessionViewSet

api_router.register("sessions", SessionViewSet, basename="consumption-session")
api_router.register("orders", OrderViewSet, basename="consumption-order")
api_router.register("checkins", CheckInViewSet, basename="consumption-checkin")
