"""Residents' pages (mobile first): the listing, a session with its seat map, orders, payment and e-tickets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.permissions import can, requires

from .. import payments, selectors
from ..choices import OrderStatus, TicketStatus
from ..forms import ListingFilter
from ..models import Order, Session
from ..services import OrderRefused
from ..services import orders as order_services
from ..services.checkin import ticket_qr_svg
from .common import error_text, seat_svg_rows


@requires("consumption.browse")
@require_safe
def listing(request):
    """Sessions on sale, soonest first, with search and filters (category, district, day, free only)."""
    form = ListingFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.public_sessions(q=filters.get("q") or "", kind=filters.get("kind") or "",
                                   district=filters["district"].pk if filters.get("district") else None,
                                   day=filters.get("day"), free=bool(filters.get("free")))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "consumption/listing.html", {"form": form, "page": page, "query": query.urlencode()})


def _session(request, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("event", "hall__venue__district"), pk=pk)
    if not can(request.user, "consumption.browse", session):
        raise Http404
    return session


@requires("consumption.browse")
@require_safe
def session_detail(request, pk: int):
    """The session's seat map (SVG: tap seats, then order) and the best-available form."""
    session = _session(request, pk)
    seats = selectors.session_seats(session=session)
    zones = list(session.prices.select_related("zone").order_by("zone__code"))
    return render(request, "consumption/session_detail.html", {
        "session": session, "map": seat_svg_rows(seats), "zones": zones, "on_sale": session.on_sale(),
        "left": sum(1 for s in seats if s["status"] == "available"), "max_seats": order_services.MAX_SEATS_PER_ORDER,
        "can_buy": can(request.user, "consumption.buy")})


@requires("consumption.browse")
@require_safe
def session_seats_json(request, pk: int):
    """The seats' statuses for the map's refresh (the same figures as the API)."""
    session = _session(request, pk)
    return JsonResponse({"seats": [{"id": s["id"], "status": s["status"]}
                                   for s in selectors.session_seats(session=session)]})


@requires("consumption.buy")
@require_POST
def order_place(request, pk: int):
    """Hold the seats ticked on the map, or the best ``count`` available; then on to payment."""
    session = _session(request, pk)
    seat_ids = request.POST.getlist("seats")
    if not seat_ids and request.POST.get("count", "").isdigit():
        count = int(request.POST["count"])
        if not 1 <= count <= order_services.MAX_SEATS_PER_ORDER:
            messages.error(request, gettext("张数：请选 1 到 %(n)d 张。") % {"n": order_services.MAX_SEATS_PER_ORDER})
            return redirect("consumption:session_detail", pk=session.pk)
        seat_ids = selectors.best_available(session=session, count=count, zone=request.POST.get("zone", ""))
        if not seat_ids:
            messages.error(request, gettext("没有足够的连座或空座，请减少张数或在座位图上选座。"))
            return redirect("consumption:session_detail", pk=session.pk)
    try:
        order = order_services.order_create(buyer=request.user, session=session, seat_ids=seat_ids)
    except OrderRefused as exc:
        messages.error(request, exc.message)
        return redirect("consumption:session_detail", pk=session.pk)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("consumption:session_detail", pk=session.pk)
    return redirect("consumption:order_detail", pk=order.pk)


def _order(request, pk: int) -> Order:
    order = get_object_or_404(Order.objects.select_related("session__event", "session__hall__venue"), pk=pk)
    if not can(request.user, "consumption.buy", order):
        raise Http404
    return order


@requires("consumption.buy")
@require_safe
def order_list(request):
    page = Paginator(selectors.orders_for(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "consumption/order_list.html", {"page": page})


@requires("consumption.buy")
@require_safe
def order_detail(request, pk: int):
    """The order: hold countdown and payment while waiting; e-tickets with their QR codes once paid."""
    order = _order(request, pk)
    tickets = list(order.tickets.select_related("seat__section", "check_in").order_by("seat__y", "seat__x"))
    for t in tickets:
        t.qr = ticket_qr_svg(t) if t.status == TicketStatus.VALID else ""  # type: ignore[attr-defined]
    quote, why = order_services.refund_quote(order) if order.status == OrderStatus.PAID else (None, "")
    return render(request, "consumption/order_detail.html", {
        "order": order, "tickets": tickets, "providers": payments.providers(), "refund_quote": quote,
        "refund_why": why, "pending": order.status == OrderStatus.PENDING})


@requires("consumption.buy")
@require_POST
def order_pay(request, pk: int):
    order = _order(request, pk)
    try:
        order, redirect_url = order_services.order_pay(actor=request.user, order=order,
                                                       provider=request.POST.get("provider", ""))
    except OrderRefused as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if redirect_url:
            return redirect(redirect_url)
        messages.success(request, gettext("支付成功，电子票已出票。"))
    return redirect("consumption:order_detail", pk=order.pk)


@requires("consumption.buy")
@require_POST
def order_cancel(request, pk: int):
    order = _order(request, pk)
    try:
        order = order_services.order_cancel(actor=request.user, order=order)
    except OrderRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("订单已取消；已付款项按退票规则原路退回。"))
    return redirect("consumption:order_detail", pk=order.pk)


@csrf_exempt  # a provider's server calls this; the HMAC signature is the check, not a browser cookie
@requires("consumption.payment_callback")
@require_POST
def payment_callback(request, provider: str):
    """A payment provider's signed callback; applied once however often and in whatever order it comes."""
    try:
        order = order_services.payment_callback(provider=provider, body=request.body, headers=request.headers)
    except ValidationError as exc:
        return HttpResponseBadRequest(error_text(exc), content_type="text/plain; charset=utf-8")
    return JsonResponse({"order": order.pk, "status": order.status})
