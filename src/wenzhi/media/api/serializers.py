"""Serializers of the media API: documents with their analysis, sources with their health."""

from rest_framework import serializers

from ..models import Document, Source, SourceFetch

PUSH_LIMIT = 2000


class DocumentSerializer(serializers.ModelSerializer):
    source_name = serializers.CharField(source="source.name", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True, default=None)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Document
        fields = ["id", "source", "source_name", "external_id", "url", "guid", "title", "published_at",
                  "fetched_at", "keywords", "sentiment", "sentiment_score", "topic", "culture_relevance",
                  "is_culture", "sector", "district", "district_name", "duplicate_group", "duplicate_reason"]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentSerializer):
    enterprises = serializers.ListField(child=serializers.IntegerField(), read_only=True, source="enterprise_ids")
    parks = serializers.ListField(child=serializers.IntegerField(), read_only=True, source="park_ids")
    projects = serializers.ListField(child=serializers.IntegerField(), read_only=True, source="project_ids")

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "text", "clean_text", "simhash", "enterprises", "parks",
                  "projects"]
        read_only_fields = fields


class SourceSerializer(serializers.ModelSerializer):
    in_backoff = serializers.BooleanField(read_only=True)

    class Meta:
        model = Source
        fields = ["id", "name", "kind", "url", "enabled", "district", "interval_minutes", "max_bytes",
                  "timeout_seconds", "max_redirects", "max_items", "next_fetch_at", "last_fetch_at",
                  "last_success_at", "last_error_at", "last_error", "consecutive_failures", "backoff_until",
                  "in_backoff", "last_item_count", "item_rate", "items_total"]
        read_only_fields = fields


class SourceFetchSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceFetch
        fields = ["id", "started_at", "duration_ms", "outcome", "items", "new_documents", "duplicates", "rejected",
                  "bytes", "error"]
        read_only_fields = fields


class PushRecordSerializer(serializers.Serializer):
    """One pushed record (documentation only: records are checked one by one and bad ones reported)."""

    id = serializers.CharField(required=False)
    title = serializers.CharField()
    text = serializers.CharField(required=False)
    url = serializers.CharField(required=False)
    guid = serializers.CharField(required=False)
    published_at = serializers.CharField(required=False)


class PushSerializer(serializers.Serializer):
    records = serializers.ListField(child=serializers.JSONField(), max_length=PUSH_LIMIT, allow_empty=False)


class PushResultSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    stored = serializers.IntegerField()
    new = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    document_ids = serializers.ListField(child=serializers.IntegerField())
