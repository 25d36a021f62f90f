from django.urls import include, path

from ..hooks import api_router
from .search import SearchView
from .views import ApiRootView, OrganisationViewSet, me

api_router.APIRootView = ApiRootView
api_router.register("organisations", OrganisationViewSet, basename="organisation")

urlpatterns = [
    path("me/", me, name="api-me"),
    path("search", SearchView.as_view(), name="api-search"),
    path("search/", SearchView.as_view()),
    path("", include(api_router.urls)),
]
