"""Registers the registry's viewsets on core's API router (mounted at /api/v1/)."""

from wenzhi.core.hooks import api_router

from .imports import ImportRecordViewSet
from .views import DirectoryViewSet, EnterpriseViewSet, ParkViewSet, TalentViewSet

api_router.register("enterprises", EnterpriseViewSet, basename="enterprise")
api_router.register("parks", ParkViewSet, basename="park")
api_router.register("talents", TalentViewSet, basename="talent")
api_router.register("directories", DirectoryViewSet, basename="directory")
api_router.register("registry-imports", ImportRecordViewSet, basename="registry-import")
