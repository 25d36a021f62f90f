"""Routes of statistics' outputs: analysis, bulletins, assessment (added to ``statistics.urls``)."""

from django.urls import path

from . import analysis_views
from .assessment import views as assessment
from .bulletin import views as bulletin

urlpatterns = [
    path("analysis/", analysis_views.analysis_page, name="analysis"),
    path("analysis/export/", analysis_views.analysis_export, name="analysis_export"),
    path("bulletins/", bulletin.BulletinList.as_view(), name="bulletin_list"),
    path("bulletins/new/", bulletin.bulletin_new, name="bulletin_new"),
    path("bulletins/<int:pk>/", bulletin.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", bulletin.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/approve/", bulletin.bulletin_approve, name="bulletin_approve"),
    path("bulletins/<int:pk>/reopen/", bulletin.bulletin_reopen, name="bulletin_reopen"),
    path("bulletins/<int:pk>/issue/", bulletin.bulletin_issue, name="bulletin_issue"),
    path("bulletins/<int:pk>/docx/", bulletin.bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/pdf/", bulletin.bulletin_pdf, name="bulletin_pdf"),
    path("assessments/", assessment.SchemeList.as_view(), name="assessment_list"),
    path("assessments/new/", assessment.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", assessment.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/edit/", assessment.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/export/", assessment.assessment_export, name="assessment_export"),
]
