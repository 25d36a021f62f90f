"""The ticket rush's two writes on the API's fast lane (``core.api.fastlane``): ``POST /api/v1/orders/`` and
``POST /api/v1/orders/{id}/pay/``, through the same services and with the same answers as ``OrderViewSet``'s
``create`` and ``pay``. Input the lane does not take as it is (a string where a number is expected, an unknown
field, an order that is not the buyer's) goes to the view, which names what is wrong. Their bodies hold no float
(money as strings), so the lane writes them with orjson (``fastlane.render``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.core import pgsql
from wenzhi.core.api.fastlane import error_response, json_response

from ..models import Event, Hall, Order, Session
from ..services import OrderRefused
from ..services import orders as order_services
from .views import conflict_body, order_body, paid_tickets

# What each write reads with the buyer's token, in the token's statement (PostgreSQL; see fastlane.token_user).
_SESSION_COLUMNS = f"{pgsql.columns(Session, 's')}, {pgsql.columns(Event, 'e')}, {pgsql.columns(Hall, 'h')}"
_SESSION_JOIN = ("LEFT JOIN consumption_session s ON s.id = %s LEFT JOIN consumption_event e ON e.id = s.event_id "
                 "LEFT JOIN consumption_hall h ON h.id = s.hall_id")
_ORDER_JOIN = "LEFT JOIN consumption_order o ON o.id = %s AND o.buyer_id = u.id"


def _with_session(data: dict, **_) -> tuple[str, str, list] | None:
    return (_SESSION_COLUMNS, _SESSION_JOIN, [data["session"]]) if type(data.get("session")) is int else None


def _with_order(data: dict, pk: str) -> tuple[str, str, list]:
    return pgsql.columns(Order, "o"), _ORDER_JOIN, [int(pk)]


def _session(user, pk: int) -> Session | None:
    """The session with its event and hall (what ``order_create`` reads), read with the token on PostgreSQL."""
    row = user.fast_row
    if row is None:
        return Session.objects.select_related("event", "hall").filter(pk=pk).first()
    if row[0] is None:
        return None
    session = pgsql.load(Session, row)
    width = len(Session._meta.concrete_fields)
    # as select_related attaches them (their ids are the session's already)
    Session.event.field.set_cached_value(session, pgsql.load(Event, row, width))
    Session.hall.field.set_cached_value(session, pgsql.load(Hall, row, width + len(Event._meta.concrete_fields)))
    return session


def _order(user, pk: int) -> Order | None:
    """The buyer's order ``pk`` (another buyer's is not found, as the view's queryset does not find it)."""
    row = user.fast_row
    if row is None:
        return Order.objects.filter(buyer_id=user.pk, pk=pk).first()
    return pgsql.load(Order, row) if row[0] is not None else None


def _ints(value) -> bool:
    return isinstance(value, list) and 0 < len(value) <= 50 and all(type(v) is int for v in value)


def create_order(request, user, data: dict, **_):
    if data.keys() != {"session", "seats"} or type(data["session"]) is not int or not _ints(data["seats"]):
        return None
    session = _session(user, data["session"])
    if session is None:
        return None
    try:
        order = order_services.order_create(buyer=user, session=session, seat_ids=data["seats"])
    except OrderRefused as exc:
        return json_response(conflict_body(exc), 409, plain=True)
    except (ValidationError, PermissionDenied) as exc:
        return error_response(exc)
    return json_response(order_body(order, order.held_tickets), 201, plain=True)  # type: ignore[attr-defined]


def pay_order(request, user, data: dict, pk: str):
    provider = data.get("provider")
    if data.keys() != {"provider"} or not isinstance(provider, str) or not 0 < len(provider.strip()) == len(
            provider) <= 20:
        return None
    order = _order(user, int(pk))
    if order is None:
        return None
    try:
        order, redirect = order_services.order_pay(actor=user, order=order, provider=provider)
    except OrderRefused as exc:
        return json_response(conflict_body(exc), 409, plain=True)
    except (ValidationError, PermissionDenied) as exc:
        return error_response(exc)
    body = order_body(order, paid_tickets(order))
    if redirect:
        body["redirect_url"] = redirect
    return json_response(body, plain=True)


def register() -> None:
    from wenzhi.core import hooks

    hooks.api_fast_route("POST", r"orders/", create_order, joined=_with_session, allow="GET, POST, HEAD, OPTIONS")
    hooks.api_fast_route("POST", r"orders/(?P<pk>[0-9]{1,18})/pay/", pay_order, joined=_with_order,
                         allow="POST, OPTIONS")
