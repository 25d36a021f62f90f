"""Serializers of the opinion-monitoring API."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import ReportKind
from ..models import Alert, AlertRule, AlertStep, Notification, OpinionReport
from ..workflows import ALERT_STEPS


class AlertStepSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor", read_only=True, default="")

    class Meta:
        model = AlertStep
        fields = ["id", "transition", "from_state", "to_state", "actor", "actor_name", "at", "comment"]
        read_only_fields = fields


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "rule", "title", "reason", "severity", "state", "district", "entity_kind", "entity_id",
                  "document_count", "first_arrived_at", "raised_at", "unit", "assignee", "assigned_at",
                  "acknowledged_at", "answered_at", "closed_at", "response"]
        read_only_fields = fields


class AlertDetailSerializer(AlertSerializer):
    steps = AlertStepSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta(AlertSerializer.Meta):
        fields = [*AlertSerializer.Meta.fields, "evidence", "steps", "documents"]
        read_only_fields = fields

    def get_documents(self, alert) -> list[int]:
        return list(alert.links.values_list("document_id", flat=True)[:500])


class StepInputSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(ALERT_STEPS))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    response = serializers.CharField(required=False, allow_blank=True, default="")
    unit = serializers.IntegerField(required=False, allow_null=True, default=None)
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None)


@extend_schema_serializer(component_name="OpinionRule")  # statistics has its own Rule
class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertRule
        fields = ["id", "name", "kind", "severity", "is_active", "keywords", "entity_kind", "entity_id",
                  "entity_name", "source", "negativity", "negative_only", "district", "window_hours",
                  "baseline_days", "spike_factor", "min_count", "email_to", "notify_users", "webhooks", "updated_at"]
        read_only_fields = ["id", "entity_name", "updated_at"]
        extra_kwargs = {"notify_users": {"required": False}, "webhooks": {"required": False}}


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "alert", "text", "created_at", "read_at"]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    docx_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = OpinionReport
        fields = ["id", "kind", "period_start", "period_end", "title", "scheduled", "created_at", "figures",
                  "docx_url", "pdf_url"]
        read_only_fields = fields

    def get_docx_url(self, report) -> str:
        from django.urls import reverse

        return reverse("watch:report_docx", args=[report.pk])

    def get_pdf_url(self, report) -> str:
        from django.urls import reverse

        return reverse("watch:report_pdf", args=[report.pk])


class ReportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    period_start = serializers.DateField()
