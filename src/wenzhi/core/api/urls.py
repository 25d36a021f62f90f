from django.urls import include, path

from ..hooks import api_router
from .users import UserViewSet
from .views import OrganisationViewSet, me

api_router.register("organisations", OrganisationViewSet, basename="organisation")
api_router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("me/", me, name="api-me"),
    path("", include(api_router.urls)),
]
