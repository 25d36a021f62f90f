from django.urls import include, path

from ..hooks import api_router
from .views import ApiRootView, OrganisationViewSet, me

api_router.APIRootView = ApiRootView
api_router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("me/", me, name="api-me"),
    path("", include(api_router.urls)),
]
