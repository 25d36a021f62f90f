"""Central kitchen API (/api/v1/kitchen/…): stories with channel versions and their workflow, machine-written
drafts, citizen submissions with moderation, the sensitive-word list. Each DRF action names its permission action;
writes go through the same services as the pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service, strict_input

from .. import selectors, services
from ..machine.check import check_story
from .serializers import (
    EventSerializer,
    MachineDraftSerializer,
    ModerateSerializer,
    RedraftSerializer,
    StepSerializer,
    StoryCreateSerializer,
    StorySerializer,
    StoryWriteSerializer,
    SubmissionSerializer,
    VersionSerializer,
    VersionWriteSerializer,
    WordSerializer,
)


class StoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Stories (editors): create, edit a draft's master, redraft versions, and the workflow steps; ``check``
    lists what blocks approving a machine-written story (empty: every number agrees with the data)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "story.view", "retrieve": "story.view", "create": "story.add",
                          "partial_update": "story.change", "redraft": "story.change", "events": "story.view",
                          "check": "story.view", "machine": "story.machine_draft", "submit": "story.submit",
                          "approve": "story.approve", "send_back": "story.approve", "publish": "story.publish",
                          "withdraw": "story.withdraw"}
    serializer_class = StorySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status", "origin", "machine_kind"]

    def get_queryset(self):
        return selectors.story_list(user=self.request.user).prefetch_related("versions").order_by("-id")

    @extend_schema(request=StoryCreateSerializer, responses={201: StorySerializer})
    def create(self, request, *args, **kwargs):
        data = strict_input(StoryCreateSerializer, request)
        story = call_service(services.story_create, actor=request.user, **data)
        return Response(StorySerializer(story).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StoryWriteSerializer, responses=StorySerializer)
    def partial_update(self, request, *args, **kwargs):
        story = self.get_object()
        data = strict_input(StoryWriteSerializer, request, partial=True)
        version = data.pop("updated_at", "")
        story = call_service(services.story_update, actor=request.user, story=story, data=data, version=version)
        return Response(StorySerializer(story).data)

    @extend_schema(request=RedraftSerializer, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def redraft(self, request, pk=None):
        story = self.get_object()
        data = strict_input(RedraftSerializer, request)
        call_service(services.versions_redraft, actor=request.user, story=story, **data)
        return Response(StorySerializer(self.get_queryset().get(pk=story.pk)).data)

    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        return Response(EventSerializer(selectors.story_events(self.get_object()), many=True).data)

    @action(detail=True, methods=["get"])
    def check(self, request, pk=None):
        story = self.get_object()
        problems = check_story(story) if story.is_machine else []
        return Response({"ok": not problems, "problems": [{"key": p.key, "message": p.message} for p in problems]})

    @extend_schema(request=MachineDraftSerializer, responses={201: StorySerializer})
    @action(detail=False, methods=["post"])
    def machine(self, request):
        data = strict_input(MachineDraftSerializer, request)
        kind = data.pop("kind")
        if data.get("week"):
            data["week"] = data["week"].isoformat()
        story = call_service(services.machine_story_draft, actor=request.user, kind=kind, params=data)
        return Response(StorySerializer(story).data, status=status.HTTP_201_CREATED)

    def _step(self, request, transition: str):
        story = self.get_object()
        data = strict_input(StepSerializer, request)
        story = call_service(services.story_transition, actor=request.user, story=story, transition=transition,
                             comment=data.get("comment", ""))
        return Response(StorySerializer(story).data)

    @extend_schema(request=StepSerializer, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, "submit")

    @extend_schema(request=StepSerializer, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(request, "approve")

    @extend_schema(request=StepSerializer, responses=StorySerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        return self._step(request, "return")

    @extend_schema(request=StepSerializer, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._step(request, "publish")

    @extend_schema(request=StepSerializer, responses=StorySerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._step(request, "withdraw")


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Channel versions (editors); PATCH edits one within its channel's length rules (400 naming the rule)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "story.view", "retrieve": "story.view", "partial_update": "story.change"}
    serializer_class = VersionSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filterset_fields = ["story", "channel"]

    def get_queryset(self):
        return selectors.version_list(user=self.request.user).order_by("story_id", "channel")

    @extend_schema(request=VersionWriteSerializer, responses=VersionSerializer)
    def partial_update(self, request, *args, **kwargs):
        version = self.get_object()
        data = strict_input(VersionWriteSerializer, request, partial=True)
        token = data.pop("updated_at", "")
        fields = {"title": version.title, "summary": version.summary, "body": version.body, **data}
        version = call_service(services.version_update, actor=request.user, version=version, token=token, **fields)
        return Response(VersionSerializer(version).data)


class SubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Citizen submissions: the public role sends (POST; a prohibited word is a 400 naming it) and reads its own;
    editors read all and moderate."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "submission.view", "retrieve": "submission.view",
                          "create": "submission.create", "moderate": "submission.moderate"}
    serializer_class = SubmissionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.submission_list(user=self.request.user).order_by("-id")

    @extend_schema(request=SubmissionSerializer, responses={201: SubmissionSerializer})
    def create(self, request, *args, **kwargs):
        data = strict_input(SubmissionSerializer, request)
        submission = call_service(services.submission_create, actor=request.user, **data)
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ModerateSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        submission = self.get_object()
        data = strict_input(ModerateSerializer, request)
        submission = call_service(services.submission_moderate, actor=request.user, submission=submission, **data)
        return Response(SubmissionSerializer(submission).data)


class WordViewSet(viewsets.ReadOnlyModelViewSet):
    """The sensitive-word list: editors read it, the city administrator adds and changes words."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "sensitive_word.view", "retrieve": "sensitive_word.view",
                          "create": "sensitive_word.manage", "partial_update": "sensitive_word.manage"}
    serializer_class = WordSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.word_list(user=self.request.user).order_by("word")

    def create(self, request, *args, **kwargs):
        data = strict_input(WordSerializer, request)
        word = call_service(services.sensitive_word_save, actor=request.user, data=data)
        return Response(WordSerializer(word).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        word = self.get_object()
        data = strict_input(WordSerializer, request, partial=True)
        word = call_service(services.sensitive_word_save, actor=request.user, word=word, data=data)
        return Response(WordSerializer(word).data)
