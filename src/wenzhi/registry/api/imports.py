"""The import API under /api/v1/registry-imports/: upload a file (checked in the background), read the report,
commit.

    POST /api/v1/registry-imports/            multipart: file, kind, [dry_run=true] [skip_invalid] [mapping JSON]
                                              (201 at once, status "pending": the task worker reads the file;
                                              poll GET .../{id}/ until it is "checked")
    GET  /api/v1/registry-imports/{id}/       status, counts, notes, mapping, plan and problems
    POST /api/v1/registry-imports/{id}/commit/  {"skip_invalid": true|false}
    GET  /api/v1/registry-imports/{id}/problems/  the problems as CSV (row, column, value, error)
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.models import ImportRecord

from ..importing.schemas import KINDS
from ..importing.selectors import import_records_for
from ..importing.services import (
    import_commit_prepare,
    import_problems_csv,
    import_record_create,
    import_start,
)


class ImportPermission(ActionPermission):
    """``import.run`` from the permission table; a record's scope is the scoped queryset (the selector)."""

    def has_object_permission(self, request, view, obj) -> bool:
        return True  # get_object() only finds records import_records_for() gives this user


class ImportRecordSerializer(serializers.ModelSerializer):
    report = serializers.SerializerMethodField()
    progress = serializers.IntegerField(read_only=True)
    created_by = serializers.StringRelatedField()

    class Meta:
        model = ImportRecord
        fields = ["id", "kind", "original_name", "status", "dry_run", "created_by", "created_at", "total_rows",
                  "processed_rows", "progress", "created_count", "updated_count", "error_count", "message",
                  "report", "errors"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_report(self, obj) -> dict:
        return (obj.options or {}).get("report") or {}


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)
    skip_invalid = serializers.BooleanField(default=False)
    mapping = serializers.JSONField(required=False, help_text=_("列名或列字母 → 字段名；字段名为空表示不导入该列"))
    encoding = serializers.ChoiceField(choices=["", "utf-8", "gbk"], required=False, default="")
    year = serializers.IntegerField(required=False, min_value=1949, max_value=2100)

    def validate_mapping(self, value):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise serializers.ValidationError(_("mapping 应为 {列名: 字段名} 的对象"))
        return value


class CommitSerializer(serializers.Serializer):
    skip_invalid = serializers.BooleanField(default=False)


class ImportRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Registry imports (enterprises, parks, talents) of the caller's scope."""

    serializer_class = ImportRecordSerializer
    permission_classes = [IsAuthenticated, ImportPermission]
    permission_actions = {"list": "import.run", "retrieve": "import.run", "create": "import.run",
                          "commit": "import.run", "problems": "import.run"}
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["kind", "status"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return import_records_for(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportRecordSerializer})
    def create(self, request, *args, **kwargs):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        record = import_record_create(actor=request.user, kind=data["kind"], uploaded=data["file"],
                                      filename=data["file"].name, dry_run=data["dry_run"],
                                      skip_invalid=data["skip_invalid"], overrides=data.get("mapping") or {},
                                      encoding=data.get("encoding", ""), year=data.get("year"))
        import_start(record=record)
        record.refresh_from_db()
        return Response(ImportRecordSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommitSerializer, responses={200: ImportRecordSerializer})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        record = self.get_object()
        body = CommitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            import_commit_prepare(actor=request.user, record=record, skip_invalid=body.validated_data["skip_invalid"])
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        import_start(record=record, commit=True)
        record.refresh_from_db()
        return Response(ImportRecordSerializer(record).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def problems(self, request, pk=None):
        record = self.get_object()
        return HttpResponse(import_problems_csv(record), content_type="text/csv; charset=utf-8")
