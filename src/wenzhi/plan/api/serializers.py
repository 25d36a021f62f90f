"""Serializers of the plan tracker's API (read-only: the pages carry the edits, through the same services)."""

from rest_framework import serializers

from ..models import Milestone, Target, Task


class TargetSerializer(serializers.ModelSerializer):
    """A target with its live progress (``value`` in ``unit``, or % for growth targets; null: no data yet)."""

    value = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    data_source = serializers.SerializerMethodField()
    source_available = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["id", "code", "name", "clause", "kind", "measure", "indicator", "unit", "horizon", "target_low",
                  "target_high", "baseline_year", "baseline_value", "note", "value", "period", "state", "data_source",
                  "source_available", "detail", "updated_at"]
        read_only_fields = fields

    def _progress(self, obj):
        from ..progress import target_progress

        cache = self.__dict__.setdefault("_progress_cache", {})  # one computation per target and response
        if obj.pk not in cache:
            cache[obj.pk] = target_progress(obj)
        return cache[obj.pk]

    def get_value(self, obj) -> str | None:
        value = self._progress(obj).value
        return None if value is None else str(value)

    def get_period(self, obj) -> str:
        return self._progress(obj).period

    def get_state(self, obj) -> str:
        return self._progress(obj).state

    def get_data_source(self, obj) -> str:
        return self._progress(obj).source

    def get_source_available(self, obj) -> bool:
        return self._progress(obj).available

    def get_detail(self, obj) -> str:
        return self._progress(obj).detail


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    evidence_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "number", "clause", "title", "lead_units", "status", "progress_note", "milestones",
                  "evidence_count", "updated_at"]
        read_only_fields = fields
