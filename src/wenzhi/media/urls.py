from django.urls import path  # noqa: F401 - pages are added below as they are built

app_name = "media"
urlpatterns: list = []
