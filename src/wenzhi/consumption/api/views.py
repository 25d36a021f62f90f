"""Ticketing API (/api/v1/…): sessions on sale and their seats for everyone; orders, payment and cancellation
for the signed-in buyer (token or session); check-in and the gates' offline lists for venue staff.

``POST /api/v1/orders/`` answers 201 with the order holding the seats, or 409 ``{"code": "conflict",
"message": ..., "seats": [ids taken]}``; ``POST /api/v1/orders/{id}/pay/`` answers 200 with the paid order."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from wenzhi.core.api.permissions import ActionPermission
from wenzhi.core.api.writes import call_service, strict_input

from .. import selectors
from ..models import Order, Session
from ..services import OrderRefused, SeatTaken
from ..services import checkin as checkin_services
from ..services import orders as order_services
from .serializers import (
    CheckInSerializer,
    OrderCreateSerializer,
    OrderSerializer,
    PaySerializer,
    SeatSerializer,
    SessionSerializer,
    SyncSerializer,
)


def conflict_body(exc: OrderRefused) -> dict:
    body: dict[str, object] = {"code": "conflict", "message": exc.message}
    if isinstance(exc, SeatTaken):
        body["seats"] = exc.seats
    return body


def conflict(exc: OrderRefused) -> Response:
    return Response(conflict_body(exc), status=status.HTTP_409_CONFLICT)


def _session(rows, pk) -> Session:
    """The session a write names, or a 400 naming the field (a write's input is invalid, not a missing page)."""
    session = rows.filter(pk=pk).first()
    if session is None:
        raise ValidationError({"session": [gettext("场次不存在。")]})
    return session


CONFLICT = OpenApiResponse(OpenApiTypes.OBJECT, description="座位已被占用、订单状态不允许或支付失败：code、message（及 seats）。")


def order_body(order: Order, tickets) -> dict:
    """An order as the write endpoints answer it (the fields of ``OrderSerializer``, tickets without seat names:
    the seat map names them), built without further queries. Statuses as plain strings (a built order holds the
    choice's enum member, which the lane's JSON writer would hand to DRF's renderer)."""
    return {"id": order.pk, "number": str(order.number), "session": order.session_id, "status": str(order.status),
            "total": str(order.total), "refunded": str(order.refunded), "held_until": order.held_until,
            "created_at": order.created_at, "paid_at": order.paid_at, "note": order.note,
            "tickets": [{"id": t.pk, "seat_id": t.seat_id, "price": str(t.price), "status": str(t.status),
                         "token": checkin_services.ticket_token(t) if t.status == "valid" else None}
                        for t in tickets]}


def paid_tickets(order: Order) -> list:
    """The tickets ``order_body`` shows after paying (order_id too: the related manager reads it to attach the
    order; deferred, it was a query per ticket), or those the payment's statement returned."""
    known = getattr(order, "paid_tickets", None)
    if known is not None:
        return known
    return list(order.tickets.only("pk", "order_id", "seat_id", "price", "status", "secret"))


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sessions on sale (filters: ``q``, ``kind``, ``district``, ``free=1``); ``seats/`` lists every seat with
    its status; venue staff download a gate's ``checkin-list/`` and post its scans to ``checkin-sync/``."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "consumption.browse", "retrieve": "consumption.browse",
                          "seats": "consumption.browse", "checkin_list": "consumption.checkin",
                          "checkin_sync": "consumption.checkin"}
    serializer_class = SessionSerializer

    def get_queryset(self):
        if self.action == "list":
            p = self.request.query_params
            district = p.get("district", "")
            return selectors.public_sessions(q=p.get("q", "")[:80], kind=p.get("kind", ""),
                                             district=int(district) if district.isdigit() else None,
                                             free=p.get("free") in ("1", "true"))
        return Session.objects.select_related("event", "hall__venue__district")

    @action(detail=True, methods=["get"])
    def seats(self, request, pk=None):
        session = self.get_object()
        return Response(SeatSerializer(selectors.session_seats(session=session), many=True).data)

    @action(detail=True, methods=["get"], url_path="checkin-list")
    def checkin_list(self, request, pk=None):
        session = self.get_object()
        return Response(call_service(checkin_services.offline_list, actor=request.user, session=session))

    @action(detail=True, methods=["post"], url_path="checkin-sync")
    def checkin_sync(self, request, pk=None):
        session = self.get_object()
        data = strict_input(SyncSerializer, request)
        return Response(call_service(checkin_services.offline_sync, actor=request.user, session=session,
                                     device=data["device"], scans=data["scans"]))


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in buyer's orders: create (hold seats), pay, cancel (refund by the session's rule)."""

    permission_classes = [ActionPermission]
    permission_actions = {"list": "consumption.buy", "retrieve": "consumption.buy", "create": "consumption.buy",
                          "pay": "consumption.buy", "cancel": "consumption.buy"}
    serializer_class = OrderSerializer

    def get_queryset(self):
        if self.action in ("pay", "cancel"):  # the write paths read the bare row (the rush goes through here)
            return Order.objects.filter(buyer_id=self.request.user.pk)
        return selectors.orders_for(user=self.request.user).prefetch_related("tickets__seat__section")

    @extend_schema(request=OrderCreateSerializer, responses={201: OrderSerializer, 409: CONFLICT})
    def create(self, request):
        data = strict_input(OrderCreateSerializer, request)
        session = _session(Session.objects.select_related("event", "hall"), data["session"])
        try:
            order = call_service(order_services.order_create, buyer=request.user, session=session,
                                 seat_ids=data["seats"])
        except OrderRefused as exc:
            return conflict(exc)
        return Response(order_body(order, order.held_tickets), status=status.HTTP_201_CREATED)

    @extend_schema(request=PaySerializer, responses={200: OrderSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        order = self.get_object()
        data = strict_input(PaySerializer, request)
        try:
            order, redirect = call_service(order_services.order_pay, actor=request.user, order=order,
                                           provider=data["provider"])
        except OrderRefused as exc:
            return conflict(exc)
        body = order_body(order, paid_tickets(order))
        if redirect:
            body["redirect_url"] = redirect
        return Response(body)

    @extend_schema(request=None, responses={200: OrderSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        try:
            order = call_service(order_services.order_cancel, actor=request.user, order=order)
        except OrderRefused as exc:
            return conflict(exc)
        return Response(OrderSerializer(Order.objects.prefetch_related("tickets__seat__section").get(pk=order.pk)).data)


class CheckInViewSet(viewsets.ViewSet):
    """Scan a ticket's QR text at the door: 200 ``{"ok": true}``, or 409 with why (forged, refunded, already in)."""

    permission_classes = [ActionPermission]
    permission_actions = {"create": "consumption.checkin"}
    serializer_class = CheckInSerializer

    @extend_schema(request=CheckInSerializer, responses={
        200: OpenApiTypes.OBJECT,
        409: OpenApiResponse(OpenApiTypes.OBJECT, description="伪造、已退票或已入场：ok=false 与 message。")})
    def create(self, request):
        data = strict_input(CheckInSerializer, request)
        session = _session(Session.objects.all(), data["session"]) if data.get("session") else None
        result = call_service(checkin_services.ticket_check_in, actor=request.user, token=data["token"],
                              session=session, device=data.get("device", ""))
        body = {"ok": result.ok, "message": result.message, "ticket": result.ticket.pk if result.ticket else None}
        return Response(body, status=status.HTTP_200_OK if result.ok else status.HTTP_409_CONFLICT)
