from django.urls import path

from . import catalogue_views, output_urls, views

app_name = "statistics"
urlpatterns = [
    path("reports/", views.ReportList.as_view(), name="report_list"),
    path("reports/open/", views.report_open, name="report_open"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/cell/", views.report_cell, name="report_cell"),
    path("reports/<int:pk>/explain/", views.report_explain, name="report_explain"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("reports/<int:pk>/unlock/", views.report_unlock, name="report_unlock"),
    path("reports/<int:pk>/xlsx/", views.report_download, name="report_download"),
    path("reports/<int:pk>/upload/", views.report_upload, name="report_upload"),
    path("completeness/", views.completeness, name="completeness"),
    path("completeness/remind/", views.completeness_remind, name="completeness_remind"),
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
    path("indicators/", catalogue_views.IndicatorList.as_view(), name="indicator_list"),
    path("indicators/new/", catalogue_views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", catalogue_views.indicator_edit, name="indicator_edit"),
    path("forms/", catalogue_views.FormList.as_view(), name="form_list"),
    path("forms/new/", catalogue_views.form_create, name="form_create"),
    path("forms/<int:pk>/", catalogue_views.form_detail, name="form_detail"),
    path("forms/<int:pk>/edit/", catalogue_views.form_edit, name="form_edit"),
    path("rules/", catalogue_views.RuleList.as_view(), name="rule_list"),
    path("rules/new/", catalogue_views.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", catalogue_views.rule_edit, name="rule_edit"),
]
urlpatterns += output_urls.urlpatterns  # analysis, bulletins, assessment
