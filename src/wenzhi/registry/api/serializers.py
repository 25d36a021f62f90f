"""Thin serializers: they shape rows for the API; validation of writes is the services' job."""

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation
from wenzhi.core.text import clean_text

from .. import reference
from ..choices import Ownership, Sector
from ..constants import ENTERPRISE_TAGS
from ..models import (
    Directory,
    DirectoryEntry,
    Enterprise,
    EnterpriseYearFigure,
    Park,
    ParkEvaluation,
    ParkTransition,
    Talent,
)


class CleanTextField(serializers.CharField):
    """Text input without control characters (core.text.clean_text), as every other way in cleans it."""

    def to_internal_value(self, data):
        return clean_text(super().to_internal_value(data))


class RowSerializer(serializers.ModelSerializer):
    """A read-only row. DRF drops ``allow_blank`` from read-only fields, so the schema would promise a choice
    column (``ownership``, ``sector``, ``gender``…) is always one of its values while the API answers ``""`` for
    an empty one; this puts it back, and the schema then says ``""`` too."""

    def get_fields(self):
        fields = super().get_fields()
        model = getattr(self.Meta, "model", None)
        for name, field in fields.items():
            source = field.source or name  # unbound fields have no source yet
            try:
                model_field = model._meta.get_field(source) if model and "." not in source else None
            except FieldDoesNotExist:  # a property, an annotation or "*": not a column
                model_field = None
            if model_field is not None and getattr(model_field, "blank", False) and isinstance(
                    field, (serializers.CharField, serializers.ChoiceField)):
                field.allow_blank = True
        return fields


class YearFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnterpriseYearFigure
        fields = ["year", "revenue", "employees", "value_added"]


class EnterpriseSerializer(RowSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    park_name = serializers.CharField(source="park.name", read_only=True, default="")
    culture_category_name = serializers.CharField(read_only=True)
    culture_subcategory_name = serializers.CharField(read_only=True)
    industry_name = serializers.CharField(read_only=True)

    class Meta:
        model = Enterprise
        fields = ["id", "name", "former_names", "credit_code", "district", "district_name", "park", "park_name",
                  "address", "legal_form", "ownership", "founded_on", "industry_code", "industry_name",
                  "culture_category", "culture_category_name", "culture_subcategory", "culture_subcategory_name",
                  "classification_source", "classification_evidence", "classification_override",
                  "classification_override_reason", "sector", "business_scope", "intelligent_score",
                  "intelligent_evidence", *[k for k, _l in ENTERPRISE_TAGS], "is_demo", "latest_year",
                  "latest_revenue", "latest_employees", "updated_at"]
        read_only_fields = fields


class EnterpriseDetailSerializer(EnterpriseSerializer):
    year_figures = YearFigureSerializer(many=True, read_only=True)

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "year_figures"]
        read_only_fields = fields


class EnterpriseWriteSerializer(serializers.Serializer):
    """Input of create and update; the service validates the row as a whole (credit code, park in district...)."""

    name = CleanTextField(max_length=200, required=False)
    credit_code = CleanTextField(max_length=18, required=False, allow_blank=True)
    district = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(level=Level.DISTRICT),
                                                  required=False)
    park = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(level=Level.PARK),
                                              required=False, allow_null=True)
    address = CleanTextField(max_length=300, required=False, allow_blank=True)
    legal_form = CleanTextField(max_length=100, required=False, allow_blank=True)
    ownership = serializers.ChoiceField(choices=Ownership.choices, required=False, allow_blank=True)
    founded_on = serializers.DateField(required=False, allow_null=True)
    industry_code = CleanTextField(max_length=4, required=False, allow_blank=True)
    business_scope = CleanTextField(required=False, allow_blank=True)
    former_names = serializers.ListField(child=CleanTextField(max_length=200), required=False)


class EnterpriseCreateSerializer(EnterpriseWriteSerializer):
    """Input of create: the same fields, with the name and the district required (the schema says so)."""

    name = CleanTextField(max_length=200)
    district = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(level=Level.DISTRICT))


class OverrideSerializer(serializers.Serializer):
    culture_subcategory = serializers.ChoiceField(choices=reference.culture_subcategory_choices())
    sector = serializers.ChoiceField(choices=Sector.choices)
    reason = CleanTextField(min_length=4, max_length=500)


class ParkSerializer(RowSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = Park
        fields = ["id", "organisation", "name", "level", "kind", "operator", "district", "district_name", "address",
                  "area_sqm", "status", "designated_on", "status_changed_on", "description", "is_demo"]
        read_only_fields = fields


class ParkEvaluationSerializer(RowSerializer):
    class Meta:
        model = ParkEvaluation
        fields = ["id", "year", "scores", "total", "outcome", "reason", "evaluated_on"]
        read_only_fields = fields


class ParkTransitionSerializer(RowSerializer):
    class Meta:
        model = ParkTransition
        fields = ["id", "transition", "from_status", "to_status", "from_level", "to_level", "happened_on", "reason"]
        read_only_fields = fields


class TransitionInputSerializer(serializers.Serializer):
    transition = CleanTextField(max_length=32)
    reason = CleanTextField(max_length=1000)
    happened_on = serializers.DateField(required=False, allow_null=True)


class EvaluationInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    scores = serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=1))
    reason = CleanTextField(required=False, allow_blank=True)
    # Required when the year already has an evaluation: a second one is an audited correction.
    correction_reason = CleanTextField(required=False, allow_blank=True, max_length=500)


class ReasonInputSerializer(serializers.Serializer):
    reason = CleanTextField(max_length=500)


class TalentSerializer(RowSerializer):
    class Meta:
        model = Talent
        fields = ["id", "name", "category", "field", "title", "employer", "employer_name", "district", "programme",
                  "year_recognised", "achievements", "gender", "birth_year", "phone", "is_demo"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("personal"):
            for key in Talent.PERSONAL_FIELDS:
                data.pop(key, None)
        return data


class DirectoryEntrySerializer(RowSerializer):
    name = serializers.CharField(source="subject_name", read_only=True)
    credit_code = serializers.SerializerMethodField()

    class Meta:
        model = DirectoryEntry
        fields = ["id", "name", "enterprise", "credit_code", "park", "project_name", "note", "added_on", "removed_on",
                  "removed_reason"]
        read_only_fields = fields

    def get_credit_code(self, obj) -> str:
        return obj.enterprise.credit_code if obj.enterprise_id else ""


class DirectorySerializer(RowSerializer):
    entry_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Directory
        fields = ["id", "kind", "year", "name", "description", "published", "published_on", "entry_count", "is_demo"]
        read_only_fields = fields
