"""Registry API (/api/v1/): the same scoping as the pages; writes go through the services.

Every viewset names the permission action of each of its DRF actions (``permission_actions``, read by
``core.api.permissions.ActionPermission``; an unmapped action is refused). Writes accept only the fields their
serializer declares: any other field is a 400 naming it, and nothing is written.
"""

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service as _call
from wenzhi.core.api.writes import strict_input as _strict_input
from wenzhi.core.permissions import can, denial_message

from .. import selectors, services
from ..filters import DirectoryFilter, EnterpriseFilter, ParkFilter, TalentFilter
from .serializers import (
    DirectoryEntrySerializer,
    DirectorySerializer,
    EnterpriseCreateSerializer,
    EnterpriseDetailSerializer,
    EnterpriseSerializer,
    EnterpriseWriteSerializer,
    EvaluationInputSerializer,
    OverrideSerializer,
    ParkEvaluationSerializer,
    ParkSerializer,
    ParkTransitionSerializer,
    ReasonInputSerializer,
    TalentSerializer,
    TransitionInputSerializer,
)


class EnterprisePatchSerializer(EnterpriseWriteSerializer):
    """Input of a change: the write fields, plus the version the client read."""

    updated_at = serializers.DateTimeField(
        required=False, help_text="乐观并发控制：填写读取记录时得到的 updated_at。若记录此后已被他人修改，返回 409 "
                                  "（code=conflict），不写入任何内容；不填则不检查。")


class EnterpriseViewSet(viewsets.ModelViewSet):
    """Cultural enterprises in the caller's scope; create and update through the registry services."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "enterprise.view", "retrieve": "enterprise.view", "create": "enterprise.add",
                          "partial_update": "enterprise.change_profile", "destroy": "enterprise.delete",
                          "override_classification": "enterprise.classify", "reclassify": "enterprise.classify"}
    filterset_class = EnterpriseFilter
    search_fields = ["name", "credit_code", "name_key"]
    ordering_fields = ["name", "latest_revenue", "latest_employees", "intelligent_score", "founded_on"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.enterprise_list(user=self.request.user).order_by("name", "id")

    def get_serializer_class(self):
        if self.action == "create":
            return EnterpriseWriteSerializer
        if self.action == "partial_update":
            return EnterprisePatchSerializer
        return EnterpriseDetailSerializer if self.action == "retrieve" else EnterpriseSerializer

    @extend_schema(request=EnterpriseCreateSerializer, responses={201: EnterpriseDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = _strict_input(EnterpriseWriteSerializer, request)
        missing = [key for key in ("name", "district") if key not in data]
        if missing:
            raise ValidationError({key: [gettext("必填")] for key in missing})
        enterprise = _call(services.enterprise_create, actor=request.user, **data)
        return Response(EnterpriseDetailSerializer(enterprise).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnterprisePatchSerializer, responses={
        200: EnterpriseDetailSerializer,
        400: OpenApiResponse(description="字段无效、不存在、只读或调用者无权修改（errors 列出字段名）；不写入。"),
        403: OpenApiResponse(description="调用者没有“修改企业基本信息”权限，或要迁出其管辖范围；message 说明原因。"),
        404: OpenApiResponse(description="企业不存在或不在调用者的范围内。"),
        409: OpenApiResponse(description="updated_at 与记录当前版本不符：记录已被他人修改；不写入。")},
                   description="资料字段（地址、企业类型、成立日期、经营范围、行业代码、曾用名）需要“修改企业基本信息”权限；"
                               "登记字段（名称、统一社会信用代码、所有制、所属区、所在园区）需要“修改企业登记信息”权限，"
                               "且只能迁到调用者管辖范围内。提交未声明的字段或无权修改的字段返回 400 并列出字段名，不写入。"
                               "提交 updated_at 时进行乐观并发检查：记录已被他人修改则返回 409。")
    def partial_update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        data = _strict_input(EnterprisePatchSerializer, request, partial=True)
        version = data.pop("updated_at", None)
        refused = sorted(f for f in data if not can(request.user, services.field_action(f), enterprise))
        if refused:
            why = denial_message("enterprise.change")
            raise ValidationError({key: [gettext("无权修改此字段。") + why] for key in refused})
        enterprise = _call(services.enterprise_update, actor=request.user, enterprise=enterprise, data=data,
                           version=version)
        return Response(EnterpriseDetailSerializer(enterprise).data)

    def destroy(self, request, *args, **kwargs):
        enterprise = self.get_object()
        _call(services.enterprise_delete, actor=request.user, enterprise=enterprise,
              reason=str(request.query_params.get("reason", "")) or "通过接口删除")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=OverrideSerializer, responses=EnterpriseDetailSerializer, summary="人工认定分类")
    @action(detail=True, methods=["post"], url_path="override-classification")
    def override_classification(self, request, pk=None):
        enterprise = self.get_object()
        data = _strict_input(OverrideSerializer, request)
        enterprise = _call(services.enterprise_override_classification, actor=request.user, enterprise=enterprise,
                           **data)
        return Response(EnterpriseDetailSerializer(enterprise).data)

    @extend_schema(request=None, responses=EnterpriseDetailSerializer, summary="按规则重新归类")
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        enterprise = _call(services.enterprise_classify, actor=request.user, enterprise=self.get_object())
        return Response(EnterpriseDetailSerializer(enterprise).data)


class ParkViewSet(viewsets.ReadOnlyModelViewSet):
    """Parks and bases in the caller's scope, their evaluations and designation life cycle."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "park.view", "retrieve": "park.view", "transition": "park.transition",
                          "evaluations": "park.view", "evaluate": "park.evaluate"}
    serializer_class = ParkSerializer
    filterset_class = ParkFilter
    search_fields = ["name", "operator"]
    ordering_fields = ["name", "designated_on"]

    def get_queryset(self):
        return selectors.park_list(user=self.request.user).order_by("name", "id")

    @extend_schema(request=TransitionInputSerializer, responses={201: ParkTransitionSerializer}, summary="动态管理操作")
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        park = self.get_object()
        data = _strict_input(TransitionInputSerializer, request)
        record = _call(services.park_transition, actor=request.user, park=park, **data)
        return Response(ParkTransitionSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ParkEvaluationSerializer(many=True), summary="年度评价")
    @action(detail=True, methods=["get"], pagination_class=None)
    def evaluations(self, request, pk=None):
        park = self.get_object()
        return Response(ParkEvaluationSerializer(park.evaluations.order_by("-year"), many=True).data)

    @extend_schema(request=EvaluationInputSerializer, responses={201: ParkEvaluationSerializer}, summary="录入年度评价")
    @evaluations.mapping.post
    def evaluate(self, request, pk=None):
        park = self.get_object()
        data = _strict_input(EvaluationInputSerializer, request)
        evaluation = _call(services.park_evaluate, actor=request.user, park=park, **data)
        return Response(ParkEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class TalentViewSet(viewsets.ReadOnlyModelViewSet):
    """Talents (officials only); gender, birth year and phone only for city and district officials."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "talent.view", "retrieve": "talent.view"}
    serializer_class = TalentSerializer
    filterset_class = TalentFilter
    search_fields = ["name", "employer_name", "field"]
    ordering_fields = ["name", "year_recognised"]

    def get_queryset(self):
        return selectors.talent_list(user=self.request.user).order_by("-year_recognised", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "personal": can(self.request.user, "talent.view_personal")}


class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Directories: published ones for every signed-in user, all for the city administrator."""

    serializer_class = DirectorySerializer
    permission_classes = [ActionPermission]
    permission_actions = {"list": "directory.view", "retrieve": "directory.view", "entries": "directory.view",
                          "publish": "directory.publish", "unpublish": "directory.unpublish"}
    filterset_class = DirectoryFilter
    search_fields = ["name"]
    ordering_fields = ["year", "name"]

    def get_queryset(self):
        return selectors.directory_list(user=self.request.user).order_by("-year", "id")

    @extend_schema(responses=DirectoryEntrySerializer(many=True), summary="名录条目")
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        directory = self.get_object()
        qs = selectors.directory_entries(directory=directory).order_by("id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(DirectoryEntrySerializer(page, many=True).data)

    @extend_schema(request=None, responses=DirectorySerializer, summary="发布名录")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        directory = self.get_object()
        directory = _call(services.directory_publish, actor=request.user, directory=directory)
        directory.entry_count = directory.entries.filter(removed_on__isnull=True).count()
        return Response(DirectorySerializer(directory).data)

    @extend_schema(request=ReasonInputSerializer, responses=DirectorySerializer, summary="撤回发布名录")
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Withdraw a published directory with a reason (audited); its public page and download close."""
        directory = self.get_object()
        ser = ReasonInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        directory = _call(services.directory_unpublish, actor=request.user, directory=directory,
                          reason=ser.validated_data["reason"])
        directory.entry_count = directory.entries.filter(removed_on__isnull=True).count()
        return Response(DirectorySerializer(directory).data)
