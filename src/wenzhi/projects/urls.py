from django.urls import path

from .views import calls, imports, library, review, selection

app_name = "projects"
urlpatterns = [
    path("", library.ProjectList.as_view(), name="project_list"),
    path("new/", library.project_create, name="project_create"),
    path("import/", imports.project_import, name="project_import"),
    path("import/<int:pk>/", imports.project_import_detail, name="project_import_detail"),
    path("import/<int:pk>/progress/", imports.project_import_progress, name="project_import_progress"),
    path("import/<int:pk>/commit/", imports.project_import_commit, name="project_import_commit"),
    path("<int:pk>/", library.project_detail, name="project_detail"),
    path("<int:pk>/edit/", library.project_edit, name="project_edit"),
    path("<int:pk>/transition/", library.project_transition, name="project_transition"),
    path("<int:pk>/intelligence/", library.project_intelligence, name="project_intelligence"),
    path("calls/", calls.CallList.as_view(), name="call_list"),
    path("calls/new/", calls.call_create, name="call_create"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", calls.application_new, name="application_new"),
    path("calls/<int:pk>/ranking/", review.call_ranking, name="call_ranking"),
    path("calls/<int:pk>/notice/", selection.notice_create, name="notice_create"),
    path("applications/", calls.ApplicationList.as_view(), name="application_list"),
    path("applications/<int:pk>/", calls.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", calls.application_edit, name="application_edit"),
    path("applications/<int:pk>/attach/", calls.application_attach, name="application_attach"),
    path("applications/<int:pk>/submit/", calls.application_submit, name="application_submit"),
    path("applications/<int:pk>/district-review/", calls.application_district_review,
         name="application_district_review"),
    path("applications/<int:pk>/assign/", review.application_assign, name="application_assign"),
    path("applications/<int:pk>/review/", review.review_edit, name="review_edit"),
    path("applications/<int:pk>/review/total/", review.review_total, name="review_total"),
    path("applications/<int:pk>/decide/", review.application_decide, name="application_decide"),
    path("attachments/<int:pk>/", calls.application_file, name="application_file"),
    path("conflicts/new/", review.conflict_declare, name="conflict_declare"),
    path("notices/<int:pk>/publish/", selection.notice_publish, name="notice_publish"),
    path("objections/<int:pk>/answer/", selection.objection_answer, name="objection_answer"),
    path("public/notices/", selection.public_notices, name="public_notices"),
    path("public/notices/<int:pk>/", selection.notice_detail, name="notice_detail"),
    path("public/notices/<int:pk>/objections/", selection.objection_submit, name="objection_submit"),
    path("public/notices/<int:pk>/list/", selection.public_list, name="public_list"),
    path("public/notices/<int:pk>/document/", selection.notice_document, name="notice_document"),
]

from .urls_funds import urlpatterns as _funds_progress_promotion  # noqa: E402

urlpatterns += _funds_progress_promotion
