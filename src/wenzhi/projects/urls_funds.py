"""Routes of the funds, progress and promotion pages (joined to ``projects/urls.py``, same namespace)."""

from django.urls import path

from .views import funds, progress, promotion

urlpatterns = [
    path("funds/", funds.FundList.as_view(), name="fund_list"),
    path("funds/new/", funds.fund_create, name="fund_create"),
    path("funds/leverage/", funds.leverage_page, name="leverage"),
    path("funds/<int:pk>/", funds.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/propose/", funds.allocation_propose, name="allocation_propose"),
    path("allocations/<int:pk>/", funds.allocation_detail, name="allocation_detail"),
    path("allocations/<int:pk>/approve/", funds.allocation_approve, name="allocation_approve"),
    path("grants/", funds.GrantList.as_view(), name="grant_list"),
    path("grants/<int:pk>/", funds.grant_detail, name="grant_detail"),
    path("grants/<int:pk>/disburse/", funds.grant_disburse, name="grant_disburse"),
    path("grants/<int:pk>/adjust/", funds.grant_adjust, name="grant_adjust"),
    path("progress/", progress.ProgressReportList.as_view(), name="progress_list"),
    path("progress/overdue/", progress.progress_overdue, name="progress_overdue"),
    path("progress/remind/", progress.progress_remind, name="progress_remind"),
    path("progress/stalled/", progress.progress_stalled, name="progress_stalled"),
    path("progress/double-funding/", progress.double_funding, name="double_funding"),
    path("<int:pk>/progress/new/", progress.progress_report_new, name="progress_report_new"),
    path("<int:pk>/showcase/", promotion.showcase_edit, name="showcase_edit"),
    path("applications/<int:pk>/duplicates/", progress.application_duplicates, name="application_duplicates"),
    path("messages/", progress.message_list, name="message_list"),
    path("messages/<int:pk>/read/", progress.message_read, name="message_read"),
    path("export-directory/", promotion.export_directory_list, name="export_directory_list"),
    path("export-directory/new/", promotion.export_directory_create, name="export_directory_create"),
    path("export-directory/<int:pk>/", promotion.export_directory_detail, name="export_directory_detail"),
    path("export-directory/<int:pk>/add/", promotion.export_entry_add, name="export_entry_add"),
    path("export-directory/<int:pk>/publish/", promotion.export_directory_publish, name="export_directory_publish"),
    path("showcase/", promotion.showcase_list, name="showcase_list"),
    path("showcase/<int:pk>/", promotion.showcase_detail, name="showcase_detail"),
    path("interests/", promotion.interest_list, name="interest_list"),
    path("fairs/", promotion.fair_list, name="fair_list"),
    path("fairs/new/", promotion.fair_create, name="fair_create"),
    path("fairs/<int:pk>/", promotion.fair_detail, name="fair_detail"),
    path("fairs/<int:pk>/add/", promotion.fair_add_project, name="fair_add_project"),
    path("fairs/<int:pk>/interest/", promotion.fair_interest, name="fair_interest"),
]
