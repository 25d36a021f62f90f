from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.views import APIView

from .. import selectors
from .permissions import ActionPermission
from .serializers import MeSerializer, OrganisationSerializer


class MeView(APIView):
    """The signed-in user's own account."""

    permission_classes = [ActionPermission]
    permission_actions = {"get": "account.own"}

    @extend_schema(responses=MeSerializer, summary="当前用户")
    def get(self, request):
        return Response(MeSerializer(request.user).data)


me = MeView.as_view()


class ApiRootView(APIRootView):
    """The list of the API's endpoints (for a signed-in user; each endpoint then checks its own action)."""

    permission_classes = [ActionPermission]
    permission_actions = {"get": "account.own"}


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations within the caller's scope."""

    serializer_class = OrganisationSerializer
    permission_classes = [ActionPermission]
    permission_actions = {"list": "organisation.view", "retrieve": "organisation.view"}
    filterset_fields = ["level", "district"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user).order_by("level", "code", "id")
