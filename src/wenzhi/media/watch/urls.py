from django.urls import path

from . import views, views_alerts

app_name = "watch"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("documents/", views.documents, name="documents"),
    path("alerts/", views_alerts.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views_alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/step/", views_alerts.alert_step, name="alert_step"),
    path("figures/", views_alerts.figures, name="figures"),
    path("notifications/", views_alerts.notification_list, name="notification_list"),
    path("rules/", views_alerts.rule_list, name="rule_list"),
    path("rules/new/", views_alerts.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", views_alerts.rule_edit, name="rule_edit"),
    path("webhooks/", views_alerts.webhook_list, name="webhook_list"),
    path("webhooks/new/", views_alerts.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/edit/", views_alerts.webhook_edit, name="webhook_edit"),
    path("reports/", views_alerts.report_list, name="report_list"),
    path("reports/make/", views_alerts.report_make, name="report_make"),
    path("reports/<int:pk>/docx/", views_alerts.report_docx, name="report_docx"),
    path("reports/<int:pk>/pdf/", views_alerts.report_pdf, name="report_pdf"),
]
