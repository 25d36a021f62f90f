"""Venue staff pages: venues, halls and their seat maps (row editor and spreadsheet import), events and
sessions, the box office and check-in at the door."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.permissions import can, requires
from wenzhi.core.services import history_diffs

from .. import seatmaps, selectors
from ..forms import (
    CheckInForm,
    EventForm,
    HallForm,
    RefundForm,
    SeatImportForm,
    SeatMapForm,
    SessionForm,
    VenueForm,
)
from ..models import Event, Hall, Order, Session, Venue
from ..services import OrderRefused
from ..services import checkin as checkin_services
from ..services import orders as order_services
from ..services import sessions as session_services
from ..services import venues as venue_services
from .common import error_text, form_errors, seat_svg_rows


def _venue(request, pk: int, act: str = "consumption.venue_view") -> Venue:
    venue = get_object_or_404(Venue.objects.select_related("district"), pk=pk)
    if not can(request.user, act, venue):
        raise Http404
    return venue


@requires("consumption.venue_view")
@require_safe
def manage(request):
    """The venues the user keeps or reads, and their coming sessions."""
    return render(request, "consumption/manage.html", {
        "venues": selectors.venues_for(user=request.user),
        "sessions": selectors.sessions_for(user=request.user)[:30],
        "can_create": can(request.user, "consumption.venue_manage")})


@requires("consumption.venue_manage")
def venue_create(request):
    form = VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            venue = venue_services.venue_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("consumption:venue_detail", pk=venue.pk)
    return render(request, "consumption/form.html", {"title": gettext("新建场馆"), "form": form,
                                                     "back": reverse("consumption:manage")})


@requires("consumption.venue_manage")
def venue_edit(request, pk: int):
    venue = _venue(request, pk, "consumption.venue_manage")
    form = VenueForm(request.POST or None, instance=Venue.objects.get(pk=venue.pk))
    if request.method == "POST" and form.is_valid():
        try:
            venue_services.venue_update(actor=request.user, venue=venue, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, gettext("已保存。"))
            return redirect("consumption:venue_detail", pk=venue.pk)
    return render(request, "consumption/form.html", {"title": gettext("编辑场馆") + f" · {venue.name}", "form": form,
                                                     "back": reverse("consumption:venue_detail", args=[venue.pk])})


@requires("consumption.venue_view")
@require_safe
def venue_detail(request, pk: int):
    venue = _venue(request, pk)
    return render(request, "consumption/venue_detail.html", {
        "venue": venue, "halls": venue.halls.all(), "events": venue.events.all(),
        "sessions": Session.objects.filter(event__venue=venue).select_related("event", "hall").order_by("starts_at"),
        "can_manage": can(request.user, "consumption.venue_manage", venue),
        "can_sessions": can(request.user, "consumption.session_manage", venue),
        "hall_form": HallForm(), "event_form": EventForm(), "history": history_diffs(venue)})


@requires("consumption.venue_manage")
@require_POST
def hall_create(request, pk: int):
    venue = _venue(request, pk, "consumption.venue_manage")
    form = HallForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("consumption:venue_detail", pk=venue.pk)
    try:
        hall = venue_services.hall_create(actor=request.user, venue=venue, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("consumption:venue_detail", pk=venue.pk)
    return redirect("consumption:hall_map", pk=hall.pk)


def _hall(request, pk: int) -> Hall:
    hall = get_object_or_404(Hall.objects.select_related("venue"), pk=pk)
    if not can(request.user, "consumption.venue_manage", hall):
        raise Http404
    return hall


def _zones_text(hall: Hall) -> str:
    return "\n".join(f"{z.code} {z.name} {z.color}" for z in hall.zones.all())


@requires("consumption.venue_manage")
def hall_map(request, pk: int):
    """The row editor: the map as text (one line per row), a live drawing of the saved map, and the import."""
    hall = _hall(request, pk)
    seats = hall.seats.filter(retired=False).select_related("section", "zone")
    form = SeatMapForm(request.POST or None, initial={"layout": seatmaps.render_layout(seats),
                                                      "zones": _zones_text(hall)})
    if request.method == "POST" and form.is_valid():
        try:
            zones = venue_services.parse_zones(form.cleaned_data["zones"])
            specs = seatmaps.parse_layout(form.cleaned_data["layout"])
            result = venue_services.seat_map_apply(actor=request.user, hall=hall, seats=specs, zones=zones)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, gettext("座位图已保存：%(seats)d 个座位（新增 %(added)d，删除 %(removed)d）。") % result)
            return redirect("consumption:hall_map", pk=hall.pk)
    preview = [{"id": s.pk, "status": "blocked" if s.blocked else "available", "section": s.section.name,
                "row": s.row_label, "number": s.number, "x": s.x, "y": s.y, "zone": s.zone.code if s.zone else None,
                "accessible": s.accessible, "price": None} for s in seats]
    return render(request, "consumption/hall_map.html", {
        "hall": hall, "form": form, "import_form": SeatImportForm(), "map": seat_svg_rows(preview, cell=16),
        "zones": hall.zones.all(), "count": len(preview)}, status=400 if form.is_bound and form.errors else 200)


@requires("consumption.venue_manage")
@require_POST
def hall_import(request, pk: int):
    """Replace the hall's map from a spreadsheet (same rule: no sold or held seat may be lost)."""
    hall = _hall(request, pk)
    form = SeatImportForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("consumption:hall_map", pk=hall.pk)
    upload = form.cleaned_data["file"]
    try:
        specs = seatmaps.parse_import(upload, upload.name)
        result = venue_services.seat_map_apply(actor=request.user, hall=hall, seats=specs)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, gettext("已导入座位图：%(seats)d 个座位（新增 %(added)d，删除 %(removed)d）。") % result)
    return redirect("consumption:hall_map", pk=hall.pk)


@requires("consumption.session_manage")
@require_POST
def event_create(request, pk: int):
    venue = _venue(request, pk, "consumption.session_manage")
    form = EventForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("consumption:venue_detail", pk=venue.pk)
    event = session_services.event_create(actor=request.user, venue=venue, data=form.cleaned_data)
    return redirect("consumption:session_create", pk=event.pk)


def _event(request, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("venue"), pk=pk)
    if not can(request.user, "consumption.session_manage", event):
        raise Http404
    return event


@requires("consumption.session_manage")
def event_edit(request, pk: int):
    event = _event(request, pk)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            session_services.event_update(actor=request.user, event=event, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, gettext("已保存。"))
            return redirect("consumption:venue_detail", pk=event.venue_id)
    return render(request, "consumption/form.html", {"title": gettext("编辑") + f" · {event.title}", "form": form,
                                                     "back": reverse("consumption:venue_detail", args=[event.venue_id])})


@requires("consumption.session_manage")
def session_create(request, pk: int):
    """A new session of the event: hall, times, sale window, free or priced per zone, quota and limits."""
    event = _event(request, pk)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("price_") and k != "hall"}
        try:
            session = session_services.session_create(actor=request.user, event=event, hall=form.cleaned_data["hall"],
                                                      data=data, prices=form.prices())
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("consumption:session_office", pk=session.pk)
    return render(request, "consumption/form.html", {"title": gettext("新增场次") + f" · {event.title}", "form": form,
                                                     "back": reverse("consumption:venue_detail", args=[event.venue_id])})


def _staff_session(request, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("event", "hall__venue"), pk=pk)
    if not can(request.user, "consumption.venue_view", session):
        raise Http404
    return session


@requires("consumption.venue_view")
@require_safe
def session_office(request, pk: int):
    """Box office of a session: sold, left, revenue, admissions; the check-in box and recent orders."""
    session = _staff_session(request, pk)
    return render(request, "consumption/session_office.html", {
        "session": session, "figures": selectors.box_office(session=session), "checkin_form": CheckInForm(),
        "refund_form": RefundForm(),
        "orders": Order.objects.filter(session=session).select_related("buyer").order_by("-created_at")[:50],
        "can_checkin": can(request.user, "consumption.checkin", session),
        "can_refund": can(request.user, "consumption.refund", session)})


@requires("consumption.checkin")
@require_POST
def checkin(request, pk: int):
    session = _staff_session(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        result = checkin_services.ticket_check_in(actor=request.user, token=form.cleaned_data["token"],
                                                  session=session, device="web")
        (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("consumption:session_office", pk=session.pk)


@requires("consumption.refund")
@require_POST
def order_refund(request, pk: int):
    order = get_object_or_404(Order.objects.select_related("session__hall__venue"), pk=pk)
    if not can(request.user, "consumption.refund", order):
        raise Http404
    form = RefundForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            order_services.order_refund(actor=request.user, order=order, amount=form.cleaned_data["amount"],
                                        reason=form.cleaned_data["reason"])
        except (ValidationError, OrderRefused) as exc:
            messages.error(request, exc.message if isinstance(exc, OrderRefused) else error_text(exc))
        else:
            messages.success(request, gettext("已退款。"))
    return redirect("consumption:session_office", pk=order.session_id)
