"""Statistics API under /api/v1/statistics/: the catalogue, reports with their values and workflow, the
completeness of a form and period, and indicator series. Same scoping and services as the pages; every DRF
action names its permission action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.models import Organisation
from wenzhi.core.scoping import scope_for

from .. import periods, selectors, services
from ..filters import IndicatorFilter, ReportFilter, RuleFilter
from ..models import Indicator, ReportingForm, ValidationRule
from .serializers import (
    IndicatorPatchSerializer,
    IndicatorSerializer,
    ReportingFormSerializer,
    ReportOpenSerializer,
    ReportStepInputSerializer,
    ReportValuesInputSerializer,
    RuleSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
)


def _call(func, **kwargs):
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


def _input(serializer_class, request) -> dict:
    if not isinstance(request.data, dict):
        raise ValidationError({"detail": [gettext("请求体应为 JSON 对象。")]})
    extra = sorted(set(request.data) - set(serializer_class().fields))
    if extra:
        raise ValidationError({key: [gettext("不接受此字段。")] for key in extra})
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def _text(value) -> str | None:
    """Decimals as strings, like every other decimal the API returns."""
    return None if value is None else str(value)


class IndicatorViewSet(viewsets.ModelViewSet):
    """The indicator catalogue; the city administrator adds and edits."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "statistics.catalogue", "retrieve": "statistics.catalogue",
                          "create": "statistics.manage", "partial_update": "statistics.manage"}
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Indicator.objects.order_by("order", "code")

    def create(self, request, *args, **kwargs):
        data = _input(IndicatorSerializer, request)
        code = data.pop("code", "")
        indicator = _call(services.indicator_create, actor=request.user, code=code, **data)
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IndicatorPatchSerializer)
    def partial_update(self, request, *args, **kwargs):
        indicator = self.get_object()
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": [gettext("请求体应为 JSON 对象。")]})
        ser = IndicatorPatchSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        version = data.pop("updated_at", None)
        indicator = _call(services.indicator_update, actor=request.user, indicator=indicator, data=data,
                          version=version)
        return Response(IndicatorSerializer(indicator).data)


class ReportingFormViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ActionPermission]
    permission_actions = {"list": "statistics.catalogue", "retrieve": "statistics.catalogue"}
    serializer_class = ReportingFormSerializer

    def get_queryset(self):
        return ReportingForm.objects.order_by("code")


class RuleViewSet(viewsets.ModelViewSet):
    permission_classes = [ActionPermission]
    permission_actions = {"list": "statistics.catalogue", "retrieve": "statistics.catalogue",
                          "create": "statistics.manage"}
    serializer_class = RuleSerializer
    filterset_class = RuleFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return ValidationRule.objects.order_by("name")

    def create(self, request, *args, **kwargs):
        rule = _call(services.rule_create, actor=request.user, **_input(RuleSerializer, request))
        return Response(RuleSerializer(rule).data, status=status.HTTP_201_CREATED)


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Reports in the caller's scope, their values, results and history; values and workflow steps."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "statistics.view", "retrieve": "statistics.view", "open": "statistics.enter",
                          "values": "statistics.enter", "submit": "statistics.submit",
                          "approve": "statistics.approve", "return_report": "statistics.approve",
                          "unlock": "statistics.unlock"}
    filterset_class = ReportFilter

    def get_queryset(self):
        return selectors.report_list(user=self.request.user).order_by("-period__start", "district__code", "id")

    def get_serializer_class(self):
        return SubmissionDetailSerializer if self.action != "list" else SubmissionSerializer

    def get_filterset_kwargs(self):
        return {"request": self.request}

    @extend_schema(request=ReportOpenSerializer, responses={201: SubmissionDetailSerializer})
    @action(detail=False, methods=["post"])
    def open(self, request):
        data = _input(ReportOpenSerializer, request)
        form = ReportingForm.objects.filter(code=data["form"]).first()
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        if form is None or organisation is None:
            raise ValidationError({"form" if form is None else "organisation": [gettext("不存在。")]})
        sub = _call(services.report_open, actor=request.user, form=form, organisation=organisation,
                    period_code=data["period"])
        return Response(SubmissionDetailSerializer(sub).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportValuesInputSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        sub = self.get_object()
        data = _input(ReportValuesInputSerializer, request)
        _call(services.values_save, actor=request.user, submission=sub, values=data["values"],
              comments=data.get("comments"))
        return Response(SubmissionDetailSerializer(sub).data)

    def _step(self, request, func, **extra):
        sub = self.get_object()
        data = _input(ReportStepInputSerializer, request)
        kwargs = {"version": data.get("updated_at")}
        if extra.get("reason"):
            kwargs["reason"] = data.get("reason", "")
        sub = _call(func, actor=request.user, submission=sub, **kwargs)
        return Response(SubmissionDetailSerializer(sub).data)

    @extend_schema(request=ReportStepInputSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, services.submission_submit)

    @extend_schema(request=ReportStepInputSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, services.submission_approve)

    @extend_schema(request=ReportStepInputSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None):
        return self._step(request, services.submission_return, reason=True)

    @extend_schema(request=ReportStepInputSerializer, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        return self._step(request, services.submission_unlock, reason=True)


class CompletenessViewSet(viewsets.ViewSet):
    """Reporting and on-time rates of a form for a period, per reporter, in the caller's scope."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "statistics.completeness"}

    @extend_schema(parameters=[OpenApiParameter("form", str), OpenApiParameter("period", str)], responses={
        200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="报表代码或报告期无效；errors 说明原因。")})
    def list(self, request):
        form = ReportingForm.objects.filter(code=request.query_params.get("form") or "district_quarterly").first()
        if form is None:
            raise ValidationError({"form": [gettext("报表不存在。")]})
        try:
            code = periods.parse(request.query_params.get("period", "")).code
        except periods.PeriodCodeError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        c = selectors.completeness(form=form, period=code, user=request.user)
        return Response({
            "form": form.code, "period": code, "expected": c.expected, "reported": c.reported, "on_time": c.on_time,
            "reporting_rate": _text(c.reporting_rate), "on_time_rate": _text(c.on_time_rate),
            "rows": [{"organisation": r.organisation.id, "name": r.organisation.name, "status": r.status_label,
                      "on_time": r.submission.on_time if r.submission else None, "late": r.late} for r in c.rows]})


class SeriesViewSet(viewsets.ViewSet):
    """An indicator's series: the city total, or one district (a district officer: only their own)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "statistics.view"}

    @extend_schema(parameters=[OpenApiParameter("indicator", str), OpenApiParameter("district", int),
                               OpenApiParameter("period_type", str)], responses={
        200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="参数无效。"),
        403: OpenApiResponse(description="区级用户查询其他区。"), 404: OpenApiResponse(description="指标不存在。")})
    def list(self, request):
        code = request.query_params.get("indicator", "")
        if not code:
            raise ValidationError({"indicator": [gettext("请指定指标代码（indicator）。")]})
        district = request.query_params.get("district") or None
        period_type = request.query_params.get("period_type") or None
        if period_type not in (None, "monthly", "quarterly", "yearly"):
            raise ValidationError({"period_type": [gettext("应为 monthly、quarterly 或 yearly。")]})
        scope = scope_for(request.user)
        if district is not None:
            if not str(district).isdigit():
                raise ValidationError({"district": [gettext("应为区的 id。")]})
            if scope.kind != "all" and int(district) != scope.district_id:
                raise PermissionDenied(gettext("只能查看本区的数据。"))
        try:
            series = selectors.indicator_series(code, district=int(district) if district else None,
                                                period_type=period_type)
        except Indicator.DoesNotExist:
            raise NotFound(gettext("指标“%(code)s”不存在。") % {"code": code}) from None
        return Response({"indicator": code, "district": district,
                         "series": [{"period": p, "value": str(v)} for p, v in series]})
