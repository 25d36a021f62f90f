"""Serializers of the central kitchen's API: stories with their versions, submissions, sensitive words."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import MachineKind, WordLevel
from ..models import ChannelVersion, SensitiveWord, Story, StoryEvent, Submission


class VersionSerializer(serializers.ModelSerializer):
    stale = serializers.BooleanField(read_only=True)

    class Meta:
        model = ChannelVersion
        fields = ["id", "story", "channel", "title", "summary", "body", "drafted_revision", "edited", "stale",
                  "updated_at"]
        read_only_fields = fields


class VersionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField(required=False)
    updated_at = serializers.CharField(required=False, allow_blank=True)


class EventSerializer(serializers.ModelSerializer):
    actor: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = StoryEvent
        fields = ["kind", "from_status", "to_status", "actor", "at", "comment"]
        read_only_fields = fields


class StorySerializer(serializers.ModelSerializer):
    versions = VersionSerializer(many=True, read_only=True)
    machine_generated = serializers.BooleanField(source="is_machine", read_only=True)
    machine_kind = serializers.ChoiceField(choices=MachineKind.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Story
        fields = ["id", "title", "summary", "body", "origin", "machine_generated", "machine_kind", "machine_params",
                  "figures", "status", "revision", "author", "approved_by", "approved_at", "published_at", "is_demo",
                  "created_at", "updated_at", "versions"]
        read_only_fields = fields


class StoryWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120, required=False)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField(required=False)
    updated_at = serializers.CharField(required=False, allow_blank=True)


class StoryCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField()


class StepSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RedraftSerializer(serializers.Serializer):
    overwrite_edited = serializers.BooleanField(required=False, default=False)


class MachineDraftSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MachineKind.choices)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    period = serializers.CharField(required=False, max_length=6)
    week = serializers.DateField(required=False)


@extend_schema_serializer(component_name="CitizenSubmission")  # statistics has its own Submission
class SubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = ["id", "title", "body", "contact", "submitted_at", "status", "hits", "reason", "story"]
        read_only_fields = ["id", "submitted_at", "status", "hits", "reason", "story"]


class ModerateSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class WordSerializer(serializers.ModelSerializer):
    level = serializers.ChoiceField(choices=WordLevel.choices, required=False)

    class Meta:
        model = SensitiveWord
        fields = ["id", "word", "level", "category", "note", "is_active", "updated_at"]
        read_only_fields = ["id", "updated_at"]
