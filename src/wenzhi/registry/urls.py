from django.urls import path

from . import views
from .importing import views as import_views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.EnterpriseList.as_view(), name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/mine/", views.my_enterprise, name="my_enterprise"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/override/", views.enterprise_override, name="enterprise_override"),
    path("enterprises/<int:pk>/reclassify/", views.enterprise_reclassify, name="enterprise_reclassify"),
    path("enterprises/<int:pk>/tags/", views.enterprise_tags, name="enterprise_tags"),
    path("enterprises/<int:pk>/figures/", views.enterprise_figure, name="enterprise_figure"),
    path("parks/", views.ParkList.as_view(), name="park_list"),
    path("parks/new/", views.park_create, name="park_create"),
    path("parks/<int:pk>/", views.park_detail, name="park_detail"),
    path("parks/<int:pk>/edit/", views.park_edit, name="park_edit"),
    path("parks/<int:pk>/transition/", views.park_transition, name="park_transition"),
    path("parks/<int:pk>/evaluate/", views.park_evaluate, name="park_evaluate"),
    path("talents/", views.TalentList.as_view(), name="talent_list"),
    path("talents/<int:pk>/", views.talent_detail, name="talent_detail"),
    path("trainings/", views.TrainingList.as_view(), name="training_list"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("directories/", views.DirectoryList.as_view(), name="directory_list"),
    path("directories/new/", views.directory_create, name="directory_create"),
    path("directories/<int:pk>/", views.directory_detail, name="directory_detail"),
    path("directories/<int:pk>/entries/", views.directory_entry_add, name="directory_entry_add"),
    path("directories/<int:pk>/publish/", views.directory_publish, name="directory_publish"),
    path("directories/<int:pk>/unpublish/", views.directory_unpublish, name="directory_unpublish"),
    path("directory-entries/<int:pk>/remove/", views.directory_entry_remove, name="directory_entry_remove"),
    path("public/directories/", views.public_directories, name="public_directories"),
    path("public/directories/<int:pk>/", views.public_directory, name="public_directory"),
    path("reference/industry-codes/", views.IndustryCodeList.as_view(), name="industry_codes"),
    path("reference/culture-categories/", views.culture_categories, name="culture_categories"),
]

urlpatterns += import_views.urlpatterns
