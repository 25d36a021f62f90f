from django.urls import path

from . import views

app_name = "tourism"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/", views.map_view, name="map"),
    path("boards/<int:pk>/", views.board_detail, name="board_detail"),
    path("boards/<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("places/", views.PlaceList.as_view(), name="place_list"),
    path("places/new/", views.place_new, name="place_new"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("places/<int:pk>/photos/", views.place_photo, name="place_photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("routes/", views.RouteList.as_view(), name="route_list"),
    path("routes/new/", views.route_new, name="route_new"),
    path("routes/<int:pk>/", views.route_detail, name="route_detail"),
    path("routes/<int:pk>/edit/", views.route_edit, name="route_edit"),
]
