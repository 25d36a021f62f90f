"""Registry API (/api/v1/): the same scoping as the pages; writes go through the services."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from wenzhi.core.choices import Role
from wenzhi.core.scoping import scope_for

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
    TalentSerializer,
    TransitionInputSerializer,
)

READERS = (Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.PARK_OPERATOR, Role.ENTERPRISE_USER)
OFFICIALS = (Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.PARK_OPERATOR)


class HasRole(permissions.BasePermission):
    roles: tuple = ()

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(*self.roles)))


class RegistryReader(HasRole):
    roles = READERS


class Official(HasRole):
    roles = OFFICIALS


def _call(func, **kwargs):
    """Run a service, turning Django's validation and permission errors into the API's."""
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "message_dict") else exc.messages) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


class EnterpriseViewSet(viewsets.ModelViewSet):
    """Cultural enterprises in the caller's scope; create and update through the registry services."""

    permission_classes = [RegistryReader]
    filterset_class = EnterpriseFilter
    search_fields = ["name", "credit_code", "name_key"]
    ordering_fields = ["name", "latest_revenue", "latest_employees", "intelligent_score", "founded_on"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.enterprise_list(user=self.request.user).order_by("name", "id")

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return EnterpriseWriteSerializer
        return EnterpriseDetailSerializer if self.action == "retrieve" else EnterpriseSerializer

    def _require(self, *roles):
        user = self.request.user
        if not (user.is_superuser or user.has_role(*roles)):
            raise PermissionDenied()

    @extend_schema(request=EnterpriseCreateSerializer, responses={201: EnterpriseDetailSerializer})
    def create(self, request, *args, **kwargs):
        self._require(Role.CITY_ADMIN, Role.DISTRICT_OFFICER)
        ser = EnterpriseWriteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        for key in ("name", "district"):
            if key not in data:
                raise ValidationError({key: ["必填"]})
        scope_district = scope_for(request.user).district_id
        if not scope_for(request.user).is_city and data["district"].id != scope_district:
            raise PermissionDenied("只能在本区登记企业")
        enterprise = _call(services.enterprise_create, actor=request.user, **data)
        return Response(EnterpriseDetailSerializer(enterprise).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EnterpriseWriteSerializer, responses=EnterpriseDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        enterprise = self.get_object()
        user = request.user
        if not (selectors.is_official(user) or enterprise.organisation_id == user.organisation_id):
            raise PermissionDenied()
        ser = EnterpriseWriteSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        if "district" in data and not scope_for(user).is_city:
            raise PermissionDenied("只有市级管理员可以把企业迁到其他区")
        enterprise = _call(services.enterprise_update, actor=user, enterprise=enterprise, data=data)
        return Response(EnterpriseDetailSerializer(enterprise).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        self._require(Role.CITY_ADMIN)
        enterprise = self.get_object()
        _call(services.enterprise_delete, actor=request.user, enterprise=enterprise,
              reason=str(request.query_params.get("reason", "")) or "通过接口删除")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=OverrideSerializer, responses=EnterpriseDetailSerializer, summary="人工认定分类")
    @action(detail=True, methods=["post"], url_path="override-classification")
    def override_classification(self, request, pk=None):
        self._require(Role.CITY_ADMIN, Role.DISTRICT_OFFICER)
        enterprise = self.get_object()
        ser = OverrideSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        enterprise = _call(services.enterprise_override_classification, actor=request.user, enterprise=enterprise,
                           **ser.validated_data)
        return Response(EnterpriseDetailSerializer(enterprise).data)

    @extend_schema(request=None, responses=EnterpriseDetailSerializer, summary="按规则重新归类")
    @action(detail=True, methods=["post"])
    def reclassify(self, request, pk=None):
        self._require(Role.CITY_ADMIN, Role.DISTRICT_OFFICER)
        enterprise = _call(services.enterprise_classify, actor=request.user, enterprise=self.get_object())
        return Response(EnterpriseDetailSerializer(enterprise).data)


class ParkViewSet(viewsets.ReadOnlyModelViewSet):
    """Parks and bases in the caller's scope, their evaluations and designation life cycle."""

    permission_classes = [RegistryReader]
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
        ser = TransitionInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        record = _call(services.park_transition, actor=request.user, park=park, **ser.validated_data)
        return Response(ParkTransitionSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=ParkEvaluationSerializer(many=True), summary="年度评价列表")
    @extend_schema(methods=["POST"], request=EvaluationInputSerializer, responses={201: ParkEvaluationSerializer},
                   summary="登记年度评价")
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])  # a plain list
    def evaluations(self, request, pk=None):
        park = self.get_object()
        if request.method == "GET":
            return Response(ParkEvaluationSerializer(park.evaluations.order_by("-year"), many=True).data)
        ser = EvaluationInputSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        evaluation = _call(services.park_evaluate, actor=request.user, park=park, **ser.validated_data)
        return Response(ParkEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class TalentViewSet(viewsets.ReadOnlyModelViewSet):
    """Talents (officials only); gender, birth year and phone only for city and district officials."""

    permission_classes = [Official]
    serializer_class = TalentSerializer
    filterset_class = TalentFilter
    search_fields = ["name", "employer_name", "field"]
    ordering_fields = ["name", "year_recognised"]

    def get_queryset(self):
        return selectors.talent_list(user=self.request.user).order_by("-year_recognised", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "personal": selectors.sees_personal_fields(self.request.user)}


class DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Directories: published ones for every signed-in user, all for the city administrator."""

    serializer_class = DirectorySerializer
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
