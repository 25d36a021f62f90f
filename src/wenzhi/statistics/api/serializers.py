"""Serializers of the statistics API: rows out, small input shapes in (the services validate meaning)."""

from rest_framework import serializers

from ..models import (
    DataValue,
    Indicator,
    ReportingForm,
    Submission,
    SubmissionEvent,
    ValidationResult,
    ValidationRule,
)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "unit", "kind", "aggregation", "decimals", "allow_negative", "category",
                  "source", "description", "order", "active", "updated_at"]
        read_only_fields = ["id", "source", "updated_at"]


class IndicatorPatchSerializer(IndicatorSerializer):
    class Meta(IndicatorSerializer.Meta):
        read_only_fields = ["id", "code", "source"]
        extra_kwargs = {"updated_at": {"read_only": False, "required": False}}


class ReportingFormSerializer(serializers.ModelSerializer):
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = ReportingForm
        fields = ["id", "code", "name", "period_type", "reporter_kind", "open_days", "on_time_days", "close_days",
                  "version", "active", "indicators", "updated_at"]

    def get_indicators(self, obj) -> list[str]:
        return [i.code for i in obj.indicators()]


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ValidationRule
        fields = ["id", "name", "left", "operator", "right", "importance", "message", "active", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class ResultSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.name")
    message = serializers.CharField(source="rule.message")
    indicator = serializers.CharField(source="indicator.code", default=None)

    class Meta:
        model = ValidationResult
        fields = ["id", "rule", "message", "importance", "indicator", "left_value", "right_value", "comment"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = SubmissionEvent
        fields = ["kind", "actor", "at", "comment"]


class SubmissionSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code")
    period = serializers.CharField(source="period.code")
    organisation_name = serializers.CharField(source="organisation.name")

    class Meta:
        model = Submission
        fields = ["id", "form", "form_version", "period", "organisation", "organisation_name", "district", "status",
                  "submitted_at", "on_time", "approved_at", "locked", "updated_at"]


class ValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")

    class Meta:
        model = DataValue
        fields = ["indicator", "value", "comment", "updated_at"]


class SubmissionDetailSerializer(SubmissionSerializer):
    values = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "values", "results", "events"]

    def get_values(self, obj) -> list[dict]:
        from ..selectors import report_values

        return list(ValueSerializer(report_values(obj).values(), many=True).data)

    def get_results(self, obj) -> list[dict]:
        from ..validation import results_for

        return list(ResultSerializer(results_for(obj), many=True).data)


class ReportOpenSerializer(serializers.Serializer):
    form = serializers.CharField(help_text="报表代码，如 district_quarterly")
    organisation = serializers.IntegerField(help_text="填报单位（区或企业组织）的 id")
    period = serializers.CharField(help_text="报告期，如 2018Q3")


class ReportValuesInputSerializer(serializers.Serializer):
    values = serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True),
                                   help_text="{指标代码: 数值}；空字符串或 null 清空该值。全部有效才写入。")
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class ReportStepInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)
    updated_at = serializers.DateTimeField(required=False)
