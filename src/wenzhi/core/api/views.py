from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .. import selectors
from .serializers import MeSerializer, OrganisationSerializer


@extend_schema(responses=MeSerializer, summary="当前用户")
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations within the caller's scope."""

    serializer_class = OrganisationSerializer
    filterset_fields = ["level", "district"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user).order_by("level", "code", "id")
