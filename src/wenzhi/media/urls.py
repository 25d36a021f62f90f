from django.urls import path

from . import views

app_name = "media"
# Mounted at /opinion/: /media/ is where uploaded files are served (MEDIA_URL).
URL_PREFIX = "opinion"
urlpatterns = [
    path("documents/", views.DocumentList.as_view(), name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("sources/", views.SourceList.as_view(), name="source_list"),
    path("sources/new/", views.source_edit, name="source_create"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/fetch/", views.source_fetch, name="source_fetch"),
    path("sources/<int:pk>/upload/", views.source_upload, name="source_upload"),
]
