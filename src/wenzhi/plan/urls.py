from django.urls import path

from . import views

app_name = "plan"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tasks/", views.TaskList.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path("tasks/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("milestones/<int:pk>/complete/", views.milestone_complete, name="milestone_complete"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/readings/", views.reading_add, name="reading_add"),
]
