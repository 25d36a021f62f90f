"""Opinion-monitoring API (/api/v1/): the dashboard's figures, alerts and their handling steps, rules,
notifications and reports; scoped by the same selectors as the pages, written through the same services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service, strict_input
from wenzhi.core.models import Organisation
from wenzhi.media.selectors import documents_for

from .. import selectors, services
from ..analytics import overview, period_of_days
from ..events import hot_events
from .serializers import (
    AlertDetailSerializer,
    AlertSerializer,
    AlertStepSerializer,
    NotificationSerializer,
    ReportInputSerializer,
    ReportSerializer,
    RuleSerializer,
    StepInputSerializer,
)


class OpinionDashboardViewSet(viewsets.ViewSet):
    """The dashboard's figures for the caller's documents over ``days`` (1, 7, 30 or 90)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "watch.dashboard"}

    @extend_schema(parameters=[OpenApiParameter("days", int)], responses={200: dict})
    def list(self, request):
        days = request.query_params.get("days", "7")
        days_int = int(days) if days in ("1", "7", "30", "90") else 7
        period = period_of_days(days_int)
        docs = documents_for(request.user)
        events = [{"title": e.title, "representative": e.representative_id, "count": e.count, "growth": e.growth,
                   "keywords": e.keywords, "documents": e.document_ids[:500], "curve": e.curve}
                  for e in hot_events(docs, period)]
        return Response({"start": period.start, "end": period.end, **overview(docs, period), "events": events})


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts in the caller's scope, with their handling steps; ``POST …/step/`` takes one step."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "alert.view", "retrieve": "alert.view", "step": "alert.step"}
    filterset_fields = ["state", "severity", "district", "rule"]
    ordering_fields = ["raised_at", "document_count"]

    def get_queryset(self):
        return selectors.alerts_for(self.request.user).order_by("-raised_at", "-id")

    def get_serializer_class(self):
        return AlertDetailSerializer if self.action == "retrieve" else AlertSerializer

    @extend_schema(request=StepInputSerializer, responses={201: AlertStepSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        alert = self.get_object()
        data = strict_input(StepInputSerializer, request)
        unit = get_object_or_404(Organisation, pk=data["unit"]) if data.get("unit") else None
        assignee = get_object_or_404(get_user_model(), pk=data["assignee"]) if data.get("assignee") else None
        record = call_service(services.alert_step, actor=request.user, alert=alert, step=data["step"],
                              comment=data["comment"], response=data["response"], unit=unit, assignee=assignee)
        return Response(AlertStepSerializer(record).data, status=status.HTTP_201_CREATED)


class RuleViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Alert rules (media editors and the city)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "alert_rule.view", "retrieve": "alert_rule.view", "create": "alert_rule.manage",
                          "partial_update": "alert_rule.manage"}
    serializer_class = RuleSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.rules_for(self.request.user).order_by("name", "id")

    def _data(self, request, partial: bool) -> dict:
        return strict_input(RuleSerializer, request, partial=partial)

    def create(self, request, *args, **kwargs):
        rule = call_service(services.rule_save, actor=request.user, data=self._data(request, False))
        return Response(RuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        rule = self.get_object()
        rule = call_service(services.rule_save, actor=request.user, rule=rule, data=self._data(request, True))
        return Response(RuleSerializer(rule).data)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's in-app notifications, newest first."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "notification.view", "retrieve": "notification.view"}
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Opinion reports; ``POST …/make/`` makes (or remakes) one now."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "opinion_report.view", "retrieve": "opinion_report.view",
                          "make": "opinion_report.make"}
    serializer_class = ReportSerializer

    def get_queryset(self):
        return selectors.reports_for(self.request.user)

    @extend_schema(request=ReportInputSerializer, responses={201: ReportSerializer})
    @action(detail=False, methods=["post"])
    def make(self, request):
        data = strict_input(ReportInputSerializer, request)
        report = call_service(services.report_make, actor=request.user, kind=data["kind"],
                              period_start=data["period_start"])
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
