from django.urls import path

from . import views

app_name = "media_kitchen"
urlpatterns = [
    path("", views.StoryList.as_view(), name="story_list"),
    path("stories/new/", views.story_new, name="story_new"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/redraft/", views.versions_redraft, name="versions_redraft"),
    *(path(f"stories/<int:pk>/{key}/", view, name=f"story_{key}") for key, view in views.story_step_views.items()),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("machine/", views.machine_draft, name="machine_draft"),
    path("articles/", views.articles, name="articles"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("found/<int:pk>/", views.story_found, name="story_found"),
    path("submit/", views.submission_new, name="submission_new"),
    path("my-submissions/", views.my_submissions, name="my_submissions"),
    path("submissions/", views.SubmissionQueue.as_view(), name="submission_queue"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/moderate/", views.submission_moderate, name="submission_moderate"),
    path("words/", views.word_list, name="word_list"),
    path("words/add/", views.words_add, name="words_add"),
    path("words/<int:pk>/edit/", views.word_edit, name="word_edit"),
]
