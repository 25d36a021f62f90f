"""Serializers of the projects API: rows carry ids of their district (projects) and enterprise (applications)."""

from rest_framework import serializers

from ..choices import Outcome, ProjectLevel
from ..models import Application, Call, Decision, Objection, Project, ProjectTransition, PublicNotice, Review
from ..workflows import PROJECT_TRANSITIONS


class ProjectSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "owner", "owner_name", "district", "district_name", "park", "sector",
                  "culture_category", "level", "stage", "stage_changed_on", "start_year", "planned_investment",
                  "completed_investment", "export_oriented", "intelligent", "intelligent_score", "is_demo",
                  "updated_at"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "description", "intelligent_evidence", "intelligent_override",
                  "intelligent_override_reason"]
        read_only_fields = fields


class ProjectWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    level = serializers.ChoiceField(choices=ProjectLevel.choices, required=False)
    start_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    planned_investment = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    completed_investment = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    export_oriented = serializers.BooleanField(required=False)
    updated_at = serializers.DateTimeField(required=False, help_text="乐观并发控制：读取时的 updated_at；已被他人修改则 409。")


class ProjectTransitionInputSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=list(PROJECT_TRANSITIONS))
    reason = serializers.CharField(max_length=1000)
    happened_on = serializers.DateField(required=False)


class ProjectTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectTransition
        fields = ["id", "project", "transition", "from_stage", "to_stage", "happened_on", "reason"]


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Call
        fields = ["id", "name", "year", "level", "district", "opens_at", "closes_at", "review_deadline",
                  "description", "eligibility", "questions", "attachments", "rubric", "budget", "reviews_shared",
                  "conflict_rules", "is_demo"]
        read_only_fields = ["id", "is_demo"]


class ApplicationSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Application
        fields = ["id", "call", "enterprise", "enterprise_name", "district", "project", "title", "summary",
                  "planned_investment", "requested_amount", "answers", "status", "version", "submitted_at",
                  "district_opinion", "intelligent_score", "is_demo", "updated_at"]
        read_only_fields = fields


class ApplicationWriteSerializer(serializers.Serializer):
    call = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    planned_investment = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    requested_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False)
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    updated_at = serializers.DateTimeField(required=False)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="读取时的申报版本；他人已处理则 409。")


class DistrictReviewSerializer(VersionSerializer):
    recommend = serializers.BooleanField()
    opinion = serializers.CharField(max_length=2000)


class AssignSerializer(serializers.Serializer):
    expert = serializers.IntegerField()


class ReviewInputSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.CharField())
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    comment = serializers.CharField(required=False, allow_blank=True)
    submit = serializers.BooleanField(required=False, default=False)


class ReviewSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "application", "expert", "status", "total", "comment", "submitted_at", "scores"]

    def get_scores(self, obj) -> dict:
        return {s.criterion: str(s.score) for s in obj.scores.all()}


class DecideSerializer(VersionSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(max_length=2000)


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "application", "outcome", "reason", "score", "rank", "decided_at"]


class NoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicNotice
        fields = ["id", "call", "title", "document_number", "opens_on", "closes_on", "status", "published_at", "body"]


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "notice", "application", "name", "contact", "text", "submitted_at", "answer", "upheld",
                  "answered_at", "revised_from", "revised_to"]
        read_only_fields = fields


class ObjectionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)
    upheld = serializers.BooleanField(default=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")


class ObjectionInputSerializer(serializers.Serializer):
    application = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=100)
    contact = serializers.CharField(max_length=100)
    text = serializers.CharField(max_length=5000)
