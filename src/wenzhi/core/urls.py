from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("organisations/", views.OrganisationList.as_view(), name="organisation_list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("search/", views.search, name="search"),
    path("account/", views.account, name="account"),
]
