"""Django admin for statistics rows: for support staff; ordinary changes go through the pages or API."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DataValue, Indicator, ReportingForm, Submission, SubmissionEvent, ValidationRule


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "unit", "aggregation", "source", "active")
    search_fields = ("code", "name")


@admin.register(ReportingForm)
class ReportingFormAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "period_type", "reporter_kind", "version", "active")


@admin.register(ValidationRule)
class ValidationRuleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "left", "operator", "right", "importance", "active")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("form", "organisation", "period", "status", "on_time", "locked", "is_demo")
    list_filter = ("status", "locked", "is_demo")
    raw_id_fields = ("organisation", "district", "period", "submitted_by", "approved_by")


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(admin.ModelAdmin):
    list_display = ("submission", "kind", "actor", "at")
    raw_id_fields = ("submission", "actor")


@admin.register(DataValue)
class DataValueAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "organisation", "period", "value", "is_demo")
    raw_id_fields = ("organisation", "district", "period", "updated_by")
