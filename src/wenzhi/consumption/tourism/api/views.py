"""Rural tourism API (/api/v1/tourism/…): boards, places and routes for everyone (published ones; officials also
see the unpublished ones they keep); officials create and change places in their scope."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service, strict_input

from .. import selectors, services
from ..models import Board
from .serializers import BoardSerializer, PlaceInputSerializer, PlaceSerializer, RouteSerializer


class BoardViewSet(viewsets.ReadOnlyModelViewSet):
    """The 12 themed boards (active ones)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "tourism.view", "retrieve": "tourism.view"}
    serializer_class = BoardSerializer

    def get_queryset(self):
        return Board.objects.filter(is_active=True).order_by("order")


class PlaceViewSet(viewsets.ModelViewSet):
    """Villages, sites, heritage items and services; filter with ``?kind=``, ``?district=``, ``?board=``."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "tourism.view", "retrieve": "tourism.view", "create": "tourism.change",
                          "partial_update": "tourism.change"}
    serializer_class = PlaceSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = selectors.visible_places(user=self.request.user).prefetch_related("photos", "boards").order_by("id")
        params = self.request.query_params
        if params.get("kind"):
            qs = qs.filter(kind=params["kind"])
        if params.get("district", "").isdigit():
            qs = qs.filter(district_id=int(params["district"]))
        if params.get("board", "").isdigit():
            qs = qs.filter(boards=int(params["board"]))
        return qs

    @extend_schema(request=PlaceInputSerializer, responses={201: PlaceSerializer})
    def create(self, request, *args, **kwargs):
        data = strict_input(PlaceInputSerializer, request)
        boards = data.pop("boards", None)
        place = call_service(services.place_save, actor=request.user, place=None, data=data, boards=boards)
        return Response(PlaceSerializer(place).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlaceInputSerializer, responses=PlaceSerializer)
    def partial_update(self, request, *args, **kwargs):
        place = self.get_object()
        data = strict_input(PlaceInputSerializer, request, partial=True)
        boards = data.pop("boards", None)
        place = call_service(services.place_save, actor=request.user, place=place, data=data, boards=boards)
        return Response(PlaceSerializer(place).data)


class RouteViewSet(viewsets.ReadOnlyModelViewSet):
    """Routes with their stops (place ids in order)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "tourism.view", "retrieve": "tourism.view"}
    serializer_class = RouteSerializer

    def get_queryset(self):
        return selectors.visible_routes(user=self.request.user).prefetch_related("stops").order_by("id")
