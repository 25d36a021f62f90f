"""Funds, allocations, grants with tranches, and progress reports in the API (/api/v1/), with the pages' scoping
and through the same services.

``/funds/`` (paginated; officials), ``/funds/{id}/propose/`` (the optimiser's proposal for a call),
``/fund-allocations/`` (with their grants; ``approve``), ``/grants/`` (a district its own, an enterprise its
own; ``adjust``, ``disburse``), ``/disbursements/``, ``/progress-reports/`` (owners create), ``/leverage/``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service as _call
from wenzhi.core.api.writes import strict_input as _strict_input

from .. import selectors
from ..filters_funds import FundFilter, GrantFilter, ProgressReportFilter
from ..models import Call, Disbursement, Fund, FundAllocation, Grant, Milestone, ProgressReport
from ..selectors_funds import (
    GROUPS,
    allocation_list,
    disbursement_list,
    fund_list,
    grant_list,
    leverage,
    leverage_summary,
)
from ..selectors_progress import progress_report_list
from ..services import funds as fund_services
from ..services import progress as progress_services


class FundSerializer(serializers.ModelSerializer):
    committed = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "name", "kind", "year", "budget", "committed", "description", "is_demo"]
        read_only_fields = ["id", "committed", "is_demo"]


class ProposeSerializer(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    max_district_share = serializers.DecimalField(max_digits=4, decimal_places=3, required=False, allow_null=True)
    min_funded_per_district = serializers.IntegerField(required=False, min_value=0, default=0)


class GrantSerializer(serializers.ModelSerializer):
    paid = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    title = serializers.CharField(source="application.title", read_only=True)

    class Meta:
        model = Grant
        fields = ["id", "allocation", "application", "title", "project", "enterprise", "district", "score",
                  "min_amount", "max_amount", "proposed_amount", "amount", "reason", "score_per_yuan",
                  "adjust_reason", "paid"]
        read_only_fields = fields


class AllocationSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    grants = GrantSerializer(many=True, read_only=True)

    class Meta:
        model = FundAllocation
        fields = ["id", "fund", "call", "title", "amount", "total", "status", "max_district_share",
                  "min_funded_per_district", "shadow_price", "gap", "version", "approved_at", "grants"]
        read_only_fields = fields


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class AdjustSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    reason = serializers.CharField(max_length=500)
    version = serializers.IntegerField(required=False)


class DisburseSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    milestone = serializers.PrimaryKeyRelatedField(queryset=Milestone.objects.all(), allow_null=True)
    paid_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class DisbursementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "grant", "milestone", "amount", "paid_on", "note", "created_at"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "project", "year", "quarter", "investment_completed", "progress", "problems", "milestone",
                  "submitted_at"]
        read_only_fields = ["id", "submitted_at"]
        validators: list = []  # one report per quarter: the service says so, naming the quarter


class FundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Funds with what is committed; officials of the city open them and ask the optimiser for proposals."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "fund.view", "retrieve": "fund.view", "create": "fund.manage",
                          "propose": "allocation.propose"}
    serializer_class = FundSerializer
    filterset_class = FundFilter

    def get_queryset(self):
        return fund_list(user=self.request.user).order_by("-year", "id")

    def create(self, request, *args, **kwargs):
        data = _strict_input(FundSerializer, request)
        fund = _call(fund_services.fund_create, actor=request.user, **data)
        return Response(FundSerializer(fund_list(user=request.user).get(pk=fund.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=ProposeSerializer, responses={201: AllocationSerializer})
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        fund = self.get_object()
        data = _strict_input(ProposeSerializer, request)
        call = selectors.call_list(user=request.user).filter(pk=data.pop("call").pk).first()
        if call is None:
            raise serializers.ValidationError({"call": ["申报批次不存在"]})
        allocation = _call(fund_services.allocation_propose, actor=request.user, fund=fund, call=call, **data)
        return Response(AllocationSerializer(allocation_list(user=request.user).get(pk=allocation.pk)).data,
                        status=status.HTTP_201_CREATED)


class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ActionPermission]
    permission_actions = {"list": "fund.view", "retrieve": "fund.view", "approve": "allocation.approve"}
    serializer_class = AllocationSerializer

    def get_queryset(self):
        return allocation_list(user=self.request.user).prefetch_related("grants__application").order_by("-id")

    @extend_schema(request=VersionInput, responses=AllocationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        allocation = self.get_object()
        data = _strict_input(VersionInput, request)
        _call(fund_services.allocation_approve, actor=request.user, allocation=allocation,
              version=data.get("version"))
        return Response(AllocationSerializer(self.get_queryset().get(pk=allocation.pk)).data)


class GrantViewSet(viewsets.ReadOnlyModelViewSet):
    """Grants in scope; the city adjusts a proposal's amounts and pays tranches against milestones."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "grant.view", "retrieve": "grant.view", "adjust": "allocation.adjust",
                          "disburse": "disbursement.add"}
    serializer_class = GrantSerializer
    filterset_class = GrantFilter

    def get_queryset(self):
        return grant_list(user=self.request.user).order_by("-id")

    @extend_schema(request=AdjustSerializer, responses=GrantSerializer)
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        grant = self.get_object()
        data = _strict_input(AdjustSerializer, request)
        _call(fund_services.grant_adjust, actor=request.user, grant=grant, **data)
        return Response(GrantSerializer(self.get_queryset().get(pk=grant.pk)).data)

    @extend_schema(request=DisburseSerializer, responses={201: DisbursementSerializer})
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        grant = self.get_object()
        data = _strict_input(DisburseSerializer, request)
        tranche = _call(fund_services.disbursement_create, actor=request.user, grant=grant, **data)
        return Response(DisbursementSerializer(tranche).data, status=status.HTTP_201_CREATED)


class DisbursementViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ActionPermission]
    permission_actions = {"list": "grant.view", "retrieve": "grant.view"}
    serializer_class = DisbursementSerializer

    def get_queryset(self):
        return disbursement_list(user=self.request.user).order_by("-id")


class ProgressReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress reports in scope; an enterprise user reports for its own projects."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "progress.view", "retrieve": "progress.view", "create": "progress.report"}
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter

    def get_queryset(self):
        return progress_report_list(user=self.request.user).order_by("-id")

    def create(self, request, *args, **kwargs):
        data = _strict_input(ProgressReportSerializer, request)
        project = selectors.project_list(user=request.user).filter(pk=data.pop("project").pk).first()
        if project is None:
            raise serializers.ValidationError({"project": ["项目不存在"]})
        report = _call(progress_services.progress_report_submit, actor=request.user, project=project, **data)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


class LeverageViewSet(viewsets.ViewSet):
    """Leverage (social capital ÷ fund money): ``?by=district|sector|year|project`` and the overall summary."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "leverage.view"}

    def list(self, request):
        by = request.query_params.get("by", "district")
        if by not in GROUPS:
            raise serializers.ValidationError({"by": [f"by 须为 {', '.join(GROUPS)} 之一"]})
        s = leverage_summary(user=request.user)
        rows = [{"key": str(r.key), "label": r.label, "fund": str(r.fund), "social": str(r.social),
                 "leverage": r.leverage} for r in leverage(user=request.user, by=by)]
        return Response({"overall": s.leverage, "history_leverage": s.history_leverage, "fund": str(s.fund),
                         "social": str(s.social), "by": by, "rows": rows})


def register() -> None:
    from wenzhi.core.hooks import api_router

    api_router.register("funds", FundViewSet, basename="fund")
    api_router.register("fund-allocations", AllocationViewSet, basename="fund-allocation")
    api_router.register("grants", GrantViewSet, basename="grant")
    api_router.register("disbursements", DisbursementViewSet, basename="disbursement")
    api_router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
    api_router.register("leverage", LeverageViewSet, basename="leverage")
