"""Media API (/api/v1/): documents with their analysis (filterable by every field, searchable with a date
range), sources with their health, and the inbound push of partner systems."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.permissions import require

from .. import selectors
from ..fetch import ingest_pushed
from ..filters import DocumentFilter, SourceFilter
from .serializers import (
    DocumentDetailSerializer,
    DocumentSerializer,
    PushResultSerializer,
    PushSerializer,
    SourceFetchSerializer,
    SourceSerializer,
)


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Opinion documents in the caller's scope, newest first; ``q`` searches the full-text index (with
    ``published_from``/``published_to`` inside the same query)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "media_document.view", "retrieve": "media_document.view"}
    filterset_class = DocumentFilter

    def get_queryset(self):
        qs = selectors.document_list(user=self.request.user).order_by("-published_at", "-id")
        if self.action == "retrieve":
            return qs.defer(None).prefetch_related("enterprises", "parks", "projects")
        return qs

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer


class SourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Sources with their health; ``fetches`` lists a source's recent fetches; ``push`` takes records from a
    partner system (up to 2,000 per request), stored, analysed and searchable when it answers."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "media_source.view", "retrieve": "media_source.view",
                          "fetches": "media_source.view", "push": "media_document.ingest"}
    serializer_class = SourceSerializer
    filterset_class = SourceFilter

    def get_queryset(self):
        return selectors.source_list(user=self.request.user).order_by("name", "id")

    @extend_schema(responses=SourceFetchSerializer(many=True))
    @action(detail=True, methods=["get"])
    def fetches(self, request, pk=None):
        source = self.get_object()
        return Response(SourceFetchSerializer(source.fetches.all()[:100], many=True).data)

    @extend_schema(request=PushSerializer, responses={201: PushResultSerializer})
    @action(detail=True, methods=["post"])
    def push(self, request, pk=None):
        source = get_object_or_404(self.get_queryset(), pk=pk)
        require(request.user, "media_document.ingest", source)
        data = PushSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _log, result = ingest_pushed(source, data.validated_data["records"])
        body = {"received": result.received, "stored": result.stored, "new": result.new,
                "duplicates": result.duplicates, "rejected": result.rejected, "errors": result.errors[:100],
                "document_ids": result.document_ids}
        return Response(PushResultSerializer(body).data,
                        status=status.HTTP_201_CREATED if result.stored else status.HTTP_400_BAD_REQUEST)
