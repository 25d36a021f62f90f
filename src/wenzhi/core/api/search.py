"""``GET /api/v1/search?q=…&type=enterprise&district=…``: the search service over the API, scoped to the caller."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import search as search_service
from ..search.service import FILTER_PREFIXES
from .permissions import ActionPermission


def _type_choices():
    return [(t.key, str(t.label)) for t in search_service.types()]


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text=_("检索词（按中文分词，每个词前缀匹配，全部须出现）"))
    type = serializers.ChoiceField(choices=[], required=False, help_text=_("只检索一种类型"))
    district = serializers.IntegerField(required=False, min_value=1, help_text=_("所属区（组织编号）"))
    park = serializers.IntegerField(required=False, min_value=1, help_text=_("园区（组织编号）"))
    sector = serializers.CharField(required=False, max_length=32, help_text=_("产业门类代码"))
    category = serializers.CharField(required=False, max_length=32, help_text=_("类别：企业的文化产业大类、园区级别、人才类别"))
    kind = serializers.CharField(required=False, max_length=32, help_text=_("类型：企业所有制、园区类型、人才入选项目、名录类型"))
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2100, help_text=_("年份"))
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=100)
    offset = serializers.IntegerField(required=False, default=0, min_value=0, max_value=10_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = _type_choices()


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField()
    type_label = serializers.CharField(source="kind_label")
    district = serializers.IntegerField(source="district_id", allow_null=True)


class SearchFacetsSerializer(serializers.Serializer):
    type = serializers.DictField(child=serializers.IntegerField(), help_text=_("各类型的命中数"))
    district = serializers.DictField(child=serializers.IntegerField(), help_text=_("各区的命中数（键为区的组织编号）"))


class SearchResponseSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)
    facets = SearchFacetsSerializer()


class SearchView(APIView):
    """Full-text search over what the caller may see: enterprises, parks, talents, directories (and more as
    modules register theirs), best first; filters apply inside the query."""

    permission_classes = [ActionPermission]
    permission_actions = {"get": "search.use"}

    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchResponseSerializer, summary="全文检索")
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = {k: data[k] for k in FILTER_PREFIXES if k in data}
        results = search_service.search(request.user, data["q"], type_keys=[data["type"]] if data.get("type") else None,
                                        filters=filters, limit=data["limit"], offset=data["offset"], facets=True)
        facets = {"type": results.facets["type"],
                  "district": {str(k): v for k, v in results.facets["district"].items() if k is not None}}
        return Response(SearchResponseSerializer({"results": results.hits, "facets": facets}).data)
