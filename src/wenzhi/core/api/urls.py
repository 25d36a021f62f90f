from django.urls import include, path

from ..hooks import api_router
from .users import UserViewSet, me_password
from .views import OrganisationViewSet, me

api_router.register("organisations", OrganisationViewSet, basename="organisation")
api_router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("me/", me, name="api-me"),
    path("me/password/", me_password, name="api-me-password"),
    path("", include(api_router.urls)),
]
