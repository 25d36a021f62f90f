"""Projects API (/api/v1/): the pages' scoping, through the same services.

``/projects/`` (rows with their ``district`` id), ``/calls/`` (with ``ranking``), ``/applications/`` (rows with
their ``enterprise`` id: an expert sees those assigned, an enterprise user its own), ``/project-notices/``
(public, with objections). Each DRF action names its permission action (``permission_actions``).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service as _call
from wenzhi.core.api.writes import strict_input as _strict_input
from wenzhi.registry.selectors import enterprise_for_user

from .. import selectors, services
from ..filters import ApplicationFilter, CallFilter, ProjectFilter
from ..models import Objection, PublicNotice
from ..services.selection import selected_decisions
from .serializers import (
    ApplicationSerializer,
    ApplicationWriteSerializer,
    AssignSerializer,
    CallSerializer,
    DecideSerializer,
    DecisionSerializer,
    DistrictReviewSerializer,
    NoticeSerializer,
    ObjectionAnswerSerializer,
    ObjectionInputSerializer,
    ObjectionSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    ProjectTransitionInputSerializer,
    ProjectTransitionSerializer,
    ProjectWriteSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    VersionSerializer,
)


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects of the library in the caller's scope; change and stage steps through the services."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "project.view", "retrieve": "project.view", "partial_update": "project.change",
                          "transition": "project.transition"}
    filterset_class = ProjectFilter
    ordering_fields = ["name", "start_year", "planned_investment", "intelligent_score"]

    def get_queryset(self):
        return selectors.project_list(user=self.request.user).order_by("-start_year", "id")

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer

    @extend_schema(request=ProjectWriteSerializer, responses=ProjectDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        data = _strict_input(ProjectWriteSerializer, request, partial=True)
        version = data.pop("updated_at", None)
        project = _call(services.project_update, actor=request.user, project=project, data=data, version=version)
        return Response(ProjectDetailSerializer(project).data)

    @extend_schema(request=ProjectTransitionInputSerializer, responses={201: ProjectTransitionSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        project = self.get_object()
        data = _strict_input(ProjectTransitionInputSerializer, request)
        record = _call(services.project_transition, actor=request.user, project=project, **data)
        return Response(ProjectTransitionSerializer(record).data, status=status.HTTP_201_CREATED)

    http_method_names = ["get", "post", "patch", "head", "options"]


class CallViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls; ``ranking``: the whole call's ranking (totals, mean, trimmed mean, spread, outlier reviews)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "call.view", "retrieve": "call.view", "create": "call.manage",
                          "ranking": "call.rank"}
    serializer_class = CallSerializer
    filterset_class = CallFilter

    def get_queryset(self):
        return selectors.call_list(user=self.request.user).order_by("-year", "id")

    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=CallSerializer, responses={201: CallSerializer})
    def create(self, request, *args, **kwargs):
        ser = CallSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        call = _call(services.call_create, actor=request.user, **ser.validated_data)
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], pagination_class=None)
    def ranking(self, request, pk=None):
        call = self.get_object()
        rows = selectors.call_ranking(call=call)
        return Response([{
            "application": r.application.pk, "enterprise": r.application.enterprise_id, "rank": r.rank,
            "count": r.count, "total": r.total, "mean": r.mean, "trimmed_mean": r.trimmed_mean,
            "spread": r.spread, "outlier_reviews": [rv.pk for rv, flagged in r.reviews if flagged]} for r in rows])


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications in the caller's scope and the steps on them (submit, district review, assign, review,
    decide); a decision on a version someone else moved answers 409."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "application.view", "retrieve": "application.view",
                          "create": "application.apply", "partial_update": "application.apply",
                          "submit": "application.apply", "district_review": "application.district_review",
                          "assign": "application.assign", "review": "review.score",
                          "decide": "application.decide"}
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.application_list(user=self.request.user).distinct().order_by("-id")

    @extend_schema(request=ApplicationWriteSerializer, responses={201: ApplicationSerializer})
    def create(self, request, *args, **kwargs):
        data = _strict_input(ApplicationWriteSerializer, request)
        enterprise = enterprise_for_user(request.user)
        if enterprise is None or "call" not in data:
            raise ValidationError({"call": ["请选择申报批次（企业账号才能申报）"]})
        call = get_object_or_404(selectors.call_list(user=request.user), pk=data.pop("call"))
        data.pop("updated_at", None)
        app = _call(services.application_save, actor=request.user, call=call, enterprise=enterprise, data=data)
        return Response(ApplicationSerializer(app).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationWriteSerializer, responses=ApplicationSerializer)
    def partial_update(self, request, *args, **kwargs):
        app = self.get_object()
        data = _strict_input(ApplicationWriteSerializer, request, partial=True)
        data.pop("call", None)
        version = data.pop("updated_at", None)
        app = _call(services.application_save, actor=request.user, call=app.call, enterprise=app.enterprise,
                    application=app, data=data, version=version)
        return Response(ApplicationSerializer(app).data)

    @extend_schema(request=VersionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        app = _call(services.application_submit, actor=request.user, application=self.get_object())
        return Response(ApplicationSerializer(app).data)

    @extend_schema(request=DistrictReviewSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="district-review")
    def district_review(self, request, pk=None):
        app = self.get_object()
        data = _strict_input(DistrictReviewSerializer, request)
        app = _call(services.district_review, actor=request.user, application=app, **data)
        return Response(ApplicationSerializer(app).data)

    @extend_schema(request=AssignSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        app = self.get_object()
        data = _strict_input(AssignSerializer, request)
        expert = get_object_or_404(selectors.expert_users(), pk=data["expert"])
        assignment = _call(services.expert_assign, actor=request.user, application=app, expert=expert)
        return Response({"id": assignment.pk, "expert": expert.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewInputSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        app = self.get_object()
        data = _strict_input(ReviewInputSerializer, request)
        review = _call(services.review_save, actor=request.user, application=app, **data)
        return Response(ReviewSerializer(review).data)

    @extend_schema(request=DecideSerializer, responses=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        app = self.get_object()
        data = _strict_input(DecideSerializer, request)
        decision = _call(services.application_decide, actor=request.user, application=app, **data)
        return Response(DecisionSerializer(decision).data)


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Public notices (anyone) with their selected lists; objections recorded during the period."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "notice.view_public", "retrieve": "notice.view_public",
                          "objections": "objection.submit"}
    serializer_class = NoticeSerializer
    queryset = PublicNotice.objects.select_related("call").order_by("-opens_on", "id")
    http_method_names = ["get", "post", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        notice = self.get_object()
        data = NoticeSerializer(notice).data
        data["selected"] = [{"application": d.application_id, "title": d.application.title,
                             "enterprise": d.application.enterprise_id, "outcome": d.outcome}
                            for d in selected_decisions(notice.call)]
        return Response(data)

    @extend_schema(request=ObjectionInputSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        notice = self.get_object()
        data = _strict_input(ObjectionInputSerializer, request)
        app_id = data.pop("application", None)
        application = notice.call.applications.filter(pk=app_id).first() if app_id else None
        objection = _call(services.objection_submit, notice=notice, application=application, **data)
        return Response({"id": objection.pk}, status=status.HTTP_201_CREATED)


class ObjectionViewSet(viewsets.GenericViewSet):
    """An objection to a public notice, read and answered by the authority that manages its call: ``POST
    …/answer/`` with ``{"answer", "upheld", "outcome"}``; an upheld objection about a listed project revises
    its decision in the same step (``revised_from`` → ``revised_to``)."""

    permission_classes = [ActionPermission]
    permission_actions = {"retrieve": "objection.answer", "answer": "objection.answer"}
    serializer_class = ObjectionSerializer
    queryset = Objection.objects.select_related("notice__call", "application")
    http_method_names = ["get", "post", "head", "options"]

    def retrieve(self, request, pk=None):
        return Response(ObjectionSerializer(self.get_object()).data)

    @extend_schema(request=ObjectionAnswerSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        objection = self.get_object()
        data = _strict_input(ObjectionAnswerSerializer, request)
        answered = _call(services.objection_answer, actor=request.user, objection=objection, **data)
        return Response(ObjectionSerializer(answered).data)
