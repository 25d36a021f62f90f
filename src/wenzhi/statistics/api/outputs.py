"""API of statistics' outputs under /api/v1/statistics/: analysis, bulletins (draft, edit, check, approve,
issue) and assessments with their results. Thin: services and selectors do the work; each DRF action names its
permission action."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.permissions import require

from .. import analysis
from ..assessment import services as assessment_services
from ..assessment.models import AssessmentScheme
from ..assessment.views import scheme_list
from ..bulletin import check as checking
from ..bulletin import selectors as bulletin_selectors
from ..bulletin import services as bulletin_services
from ..bulletin.database import DatabaseSource
from ..bulletin.models import Bulletin


def _call(func, **kwargs):
    try:
        return func(**kwargs)
    except bulletin_services.BulletinCheckFailed as exc:
        raise ValidationError({"check": [m.message() for m in exc.mismatches]}) from exc
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "message_dict") else exc.messages) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


def _strict(serializer_class, request) -> dict:
    if not isinstance(request.data, dict):
        raise ValidationError({"detail": [gettext("请求体应为 JSON 对象。")]})
    extra = sorted(set(request.data) - set(serializer_class().fields))
    if extra:
        raise ValidationError({key: [gettext("不接受此字段：它不存在或不能通过此接口修改。")] for key in extra})
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


class RowSerializer(serializers.Serializer):
    district_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    yoy = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True, help_text="同比增长（%）")
    qoq = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True, help_text="环比增长（%）")
    ytd = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True, help_text="本年累计")
    ytd_yoy = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True, help_text="累计同比增长（%）")
    share = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True, help_text="占全市比重（%）")


class AnalysisViewSet(viewsets.ViewSet):
    """An indicator in a period: the city and every district, growth, share of GDP, trend."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "statistics.analyse"}

    @extend_schema(parameters=[OpenApiParameter("indicator", str, required=True, description="指标代码，如 value_added"),
                               OpenApiParameter("period", str, required=False, description="报告期，如 2018Q3；默认最近一期")],
                   responses=RowSerializer(many=True), summary="统计分析")
    def list(self, request):
        from ..models import Indicator

        code = request.query_params.get("indicator", "value_added")
        periods = analysis.periods_with_data()
        period = request.query_params.get("period") or (periods[0] if periods else "")
        if not Indicator.objects.filter(code=code).exists():
            raise ValidationError({"indicator": [gettext("指标“%(code)s”不存在。") % {"code": code}]})
        if period not in periods:
            raise ValidationError({"period": [gettext("报告期“%(code)s”没有数据。") % {"code": period}]})
        result = analysis.indicator_analysis(code, period)
        return Response({
            "indicator": code, "unit": result.indicator.unit, "period": period,
            "city": RowSerializer(result.city).data, "districts": RowSerializer(result.rows, many=True).data,
            "gdp_share": result.gdp_share,
            "trend": [{"period": p, "value": v, "yoy": g} for p, v, g in result.trend]})


class BulletinSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.code")
    document_number = serializers.CharField(read_only=True)
    text = serializers.ListField(source="rendered", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Bulletin
        fields = ["id", "period", "status", "title", "document_number", "issued_on", "text", "figures", "charts",
                  "updated_at"]


class DraftInput(serializers.Serializer):
    period = serializers.CharField(max_length=8, help_text="报告期，如 2018Q3")


class EditInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(help_text="段落之间空一行；数字写作 {f3:增长12.3%}，须与其查询结果一致。")
    updated_at = serializers.CharField(required=False, help_text="乐观并发：读取时的 updated_at；已被他人修改则 409。")


class BulletinViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarterly bulletins: the city sees all, districts the issued ones. Writes go through the services."""

    serializer_class = BulletinSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"list": "bulletin.view", "retrieve": "bulletin.view", "check": "bulletin.view",
                          "create": "bulletin.draft", "partial_update": "bulletin.edit",
                          "approve": "bulletin.approve", "issue": "bulletin.issue"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return bulletin_selectors.bulletin_list(user=self.request.user).order_by("-id")

    @extend_schema(request=DraftInput, responses={201: BulletinSerializer}, summary="根据数据起草通报")
    def create(self, request):
        data = _strict(DraftInput, request)
        bulletin = _call(bulletin_services.bulletin_draft, actor=request.user, period=data["period"])
        return Response(BulletinSerializer(bulletin).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EditInput, responses=BulletinSerializer, summary="修改通报（数字须与查询一致）")
    def partial_update(self, request, pk=None):
        bulletin = self.get_object()
        data = _strict(EditInput, request)
        bulletin = _call(bulletin_services.bulletin_edit, actor=request.user, bulletin=bulletin, title=data["title"],
                         text=data["text"], version=data.get("updated_at"))
        return Response(BulletinSerializer(bulletin).data)

    @extend_schema(responses={200: serializers.ListField(child=serializers.CharField())}, summary="逐一核对数字")
    @action(detail=True, methods=["get"])
    def check(self, request, pk=None):
        bulletin = self.get_object()
        mismatches = checking.check(bulletin_services.figures_of(bulletin), DatabaseSource())
        return Response({"ok": not mismatches, "mismatches": [
            {"figure": m.key, "query": m.query, "params": m.params, "shown": m.shown, "now": m.now,
             "message": m.message()} for m in mismatches]})

    @extend_schema(request=None, responses=BulletinSerializer, summary="审核通过（先核对数字）")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        bulletin = _call(bulletin_services.bulletin_approve, actor=request.user, bulletin=self.get_object())
        return Response(BulletinSerializer(bulletin).data)

    @extend_schema(request=None, responses=BulletinSerializer, summary="印发（核对不一致则拒绝并列出）")
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        bulletin = _call(bulletin_services.bulletin_issue, actor=request.user, bulletin=self.get_object())
        return Response(BulletinSerializer(bulletin).data)


class SchemeSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentScheme
        fields = ["id", "year", "name", "note", "items", "updated_at"]

    def get_items(self, scheme) -> list[dict]:
        return [{"indicator": i.indicator.code, "measure": i.measure, "weight": str(i.weight)}
                for i in scheme.items.select_related("indicator")]


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment schemes; ``retrieve`` adds each district's score, rank, contributions and explanation (a
    district officer gets its own district's row)."""

    serializer_class = SchemeSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"list": "assessment.view", "retrieve": "assessment.view"}

    def get_queryset(self):
        return scheme_list(user=self.request.user).order_by("-year")

    def retrieve(self, request, pk=None):
        scheme = self.get_object()
        require(request.user, "assessment.view", scheme)
        from wenzhi.core.selectors import districts

        total = districts().count()
        results = assessment_services.assessment_results(user=request.user, scheme=scheme)
        data = SchemeSerializer(scheme).data
        data["results"] = [{
            "district_id": r.district, "district": r.name, "rank": r.rank, "total": str(r.total),
            "explanation": assessment_services.explanation(r, total),
            "contributions": [{"label": c.label, "weight": str(c.weight), "value": None if c.value is None else str(c.value),
                               "score": str(c.score), "points": str(c.points)} for c in r.contributions]}
            for r in results]
        return Response(data)


def register() -> None:
    from wenzhi.core.hooks import api_router

    api_router.register("statistics/analysis", AnalysisViewSet, basename="statistics-analysis")
    api_router.register("statistics/bulletins", BulletinViewSet, basename="statistics-bulletin")
    api_router.register("statistics/assessments", AssessmentViewSet, basename="statistics-assessment")

