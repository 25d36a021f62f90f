"""Benefit card API (/api/v1/…): the city's cards, a resident's own card (``card/mine``) with online top-ups,
merchants, redemptions charged by venue operators, and refunds. Writes answer 201 when they moved money and
200 when the ``client_key`` had already been used for the same request (a retry: nothing moved again)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service, strict_input

from .. import selectors, services
from ..choices import TopUpChannel
from ..models import Card, Redemption
from .serializers import (
    CardSerializer,
    EntrySerializer,
    MerchantSerializer,
    RedemptionInputSerializer,
    RedemptionSerializer,
    RefundInputSerializer,
    RefundSerializer,
    TopUpInputSerializer,
    TopUpSerializer,
)


def _answer(row, serializer_class) -> Response:
    code = status.HTTP_200_OK if getattr(row, "replayed", False) else status.HTTP_201_CREATED
    return Response(serializer_class(row).data, status=code)


class CardViewSet(viewsets.ReadOnlyModelViewSet):
    """Every card (the city); ``topups``: a counter top-up."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "card.manage", "retrieve": "card.manage", "topups": "card.manage"}
    serializer_class = CardSerializer

    def get_queryset(self):
        return selectors.card_list(user=self.request.user).order_by("-id")

    @extend_schema(request=TopUpInputSerializer, responses={201: TopUpSerializer, 200: TopUpSerializer})
    @action(detail=True, methods=["post"])
    def topups(self, request, pk=None):
        card = self.get_object()
        data = strict_input(TopUpInputSerializer, request)
        topup = call_service(services.card_topup, actor=request.user, card=card, channel=TopUpChannel.COUNTER, **data)
        topup.card.refresh_from_db()
        return _answer(topup, TopUpSerializer)


class MyCardViewSet(viewsets.GenericViewSet):
    """The resident's own card (``null`` before applying), its statement and online top-ups."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "card.apply", "topups": "card.use", "entries": "card.use"}
    serializer_class = CardSerializer

    def get_queryset(self):
        return selectors.card_list(user=self.request.user)

    def _card(self, request) -> Card:
        card = selectors.own_card(user=request.user)
        if card is None:
            raise ValidationError({"card": [gettext("您还没有文化惠民卡，请先申领。")]})
        return card

    @extend_schema(responses=CardSerializer)
    def list(self, request):
        card = selectors.own_card(user=request.user)
        return Response({"card": CardSerializer(card).data if card else None})

    @extend_schema(request=TopUpInputSerializer, responses={201: TopUpSerializer, 200: TopUpSerializer})
    @action(detail=False, methods=["post"])
    def topups(self, request):
        card = self._card(request)
        data = strict_input(TopUpInputSerializer, request)
        topup = call_service(services.card_topup, actor=request.user, card=card, channel=TopUpChannel.ONLINE, **data)
        topup.card.refresh_from_db()
        return _answer(topup, TopUpSerializer)

    @extend_schema(responses=EntrySerializer(many=True))
    @action(detail=False, methods=["get"])
    def entries(self, request):
        card = self._card(request)
        page = self.paginate_queryset(selectors.card_entries(card=card))
        return self.get_paginated_response(EntrySerializer(page, many=True).data)



class MerchantViewSet(viewsets.ReadOnlyModelViewSet):
    """Merchants in the caller's scope."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "card.merchant_view", "retrieve": "card.merchant_view"}
    serializer_class = MerchantSerializer

    def get_queryset(self):
        return selectors.merchant_list(user=self.request.user).order_by("name", "id")


class RedemptionViewSet(viewsets.ReadOnlyModelViewSet):
    """Redemptions at the merchants in the caller's scope; ``create``: a venue operator charges a card;
    ``refunds``: refund (part of) one, never more than is left."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "card.merchant_view", "retrieve": "card.merchant_view", "create": "card.charge",
                          "refunds": "card.refund"}
    serializer_class = RedemptionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        merchants = selectors.merchant_list(user=self.request.user)
        return Redemption.objects.filter(merchant__in=merchants).select_related("card").order_by("-id")

    @extend_schema(request=RedemptionInputSerializer, responses={201: RedemptionSerializer, 200: RedemptionSerializer})
    def create(self, request):
        data = strict_input(RedemptionInputSerializer, request)
        merchant = get_object_or_404(selectors.merchant_list(user=request.user), pk=data.pop("merchant"))
        card = Card.objects.filter(number=data.pop("card_number").strip()).first()
        if card is None:
            raise ValidationError({"card_number": [gettext("卡号不存在。")]})
        redemption = call_service(services.card_redeem, actor=request.user, card=card, merchant=merchant, **data)
        return _answer(redemption, RedemptionSerializer)

    @extend_schema(request=RefundInputSerializer, responses={201: RefundSerializer, 200: RefundSerializer})
    @action(detail=True, methods=["post"])
    def refunds(self, request, pk=None):
        redemption = self.get_object()
        data = strict_input(RefundInputSerializer, request)
        row = call_service(services.card_refund, actor=request.user, redemption=redemption, **data)
        return _answer(row, RefundSerializer)
