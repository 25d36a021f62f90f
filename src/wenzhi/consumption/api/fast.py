"""The ticket rush's two writes on the API's fast lane (``core.api.fastlane``): ``POST /api/v1/orders/`` and
``POST /api/v1/orders/{id}/pay/``, through the same services and with the same answers as ``OrderViewSet``'s
``create`` and ``pay``. Input the lane does not take as it is (a string where a number is expected, an unknown
field, an order that is not the buyer's) goes to the view, which names what is wrong."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.core.api.fastlane import error_response, json_response

from ..models import Order, Session
from ..services import OrderRefused
from ..services import orders as order_services
from .views import conflict_body, order_body, paid_tickets


def _ints(value) -> bool:
    return isinstance(value, list) and 0 < len(value) <= 50 and all(type(v) is int for v in value)


def create_order(request, user, data: dict, **_):
    if data.keys() != {"session", "seats"} or type(data["session"]) is not int or not _ints(data["seats"]):
        return None
    found = list(Session.objects.select_related("event", "hall").filter(pk=data["session"])[:1])
    if not found:
        return None
    session = found[0]
    try:
        order = order_services.order_create(buyer=user, session=session, seat_ids=data["seats"])
    except OrderRefused as exc:
        return json_response(conflict_body(exc), 409)
    except (ValidationError, PermissionDenied) as exc:
        return error_response(exc)
    return json_response(order_body(order, order.held_tickets), 201)  # type: ignore[attr-defined]


def pay_order(request, user, data: dict, pk: str):
    provider = data.get("provider")
    if data.keys() != {"provider"} or not isinstance(provider, str) or not 0 < len(provider.strip()) == len(
            provider) <= 20:
        return None
    found = list(Order.objects.filter(buyer_id=user.pk, pk=int(pk))[:1])
    if not found:
        return None
    order = found[0]
    try:
        order, redirect = order_services.order_pay(actor=user, order=order, provider=provider)
    except OrderRefused as exc:
        return json_response(conflict_body(exc), 409)
    except (ValidationError, PermissionDenied) as exc:
        return error_response(exc)
    body = order_body(order, paid_tickets(order))
    if redirect:
        body["redirect_url"] = redirect
    return json_response(body)


def register() -> None:
    from wenzhi.core import hooks

    hooks.api_fast_route("POST", r"orders/", create_order)
    hooks.api_fast_route("POST", r"orders/(?P<pk>[0-9]{1,18})/pay/", pay_order)
