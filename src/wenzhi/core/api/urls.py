from django.urls import include, path

from ..hooks import api_router
from .search import SearchView
from .users import UserViewSet, me_password
from .views import ApiRootView, OrganisationViewSet, me

api_router.APIRootView = ApiRootView
api_router.register("organisations", OrganisationViewSet, basename="organisation")
api_router.register("users", UserViewSet, basename="user")

urlpatterns = [
    path("me/", me, name="api-me"),
    path("me/password/", me_password, name="api-me-password"),
    path("search", SearchView.as_view(), name="api-search"),
    path("search/", SearchView.as_view()),
    path("", include(api_router.urls)),
]
