"""Rural cultural tourism pages: public (boards, places, routes, the offline district map, phone-sized) and the
officials' upkeep (places with photos and coordinates, routes, the themed boards). Thin, like every app's."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from wenzhi.core.choices import Level
from wenzhi.core.listing import Column, ListPage
from wenzhi.core.models import Organisation
from wenzhi.core.permissions import can, require, requires
from wenzhi.core.scoping import organisation_q
from wenzhi.core.services import history_diffs

from . import selectors, services
from .choices import PlaceKind
from .forms import BoardForm, PhotoForm, PlaceForm, RouteForm
from .models import Board, Photo


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "；".join("；".join(v) for v in exc.message_dict.values())
    return "；".join(exc.messages)


def _districts(user):
    return Organisation.objects.filter(organisation_q(user), level=Level.DISTRICT).order_by("code")


def _json(option: dict) -> str:
    """JSON safe inside a ``<script type="application/json">`` (a name holding ``</script>`` stays text)."""
    text = json.dumps(option, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _point(place) -> dict:
    return {"name": place.name, "value": [float(place.longitude), float(place.latitude)],
            "kind": place.get_kind_display(), "url": reverse("tourism:place_detail", args=[place.pk])}


def _map_option(places, counts: dict[str, int]) -> dict:
    """The ECharts option: districts shaded by published places, each place a point linking to its page."""
    return {
        "tooltip": {"trigger": "item"},
        "visualMap": {"min": 0, "max": max([1, *counts.values()]), "left": 8, "bottom": 8, "calculable": False,
                      "inRange": {"color": ["#fbf2ec", "#e6a58c", "#b3262d"]}, "seriesIndex": 0,
                      "text": [gettext("多"), gettext("少")]},
        "geo": {"map": "tianjin", "roam": True, "label": {"show": True, "fontSize": 10}},
        "series": [
            {"type": "map", "geoIndex": 0, "name": gettext("文旅资源"),
             "data": [{"name": n, "value": v} for n, v in counts.items()]},
            {"type": "scatter", "coordinateSystem": "geo", "symbolSize": 8, "itemStyle": {"color": "#1d4e89"},
             "name": gettext("地点"), "data": [_point(p) for p in places if p.longitude is not None]},
        ],
    }


# Public ---------------------------------------------------------------------------------------------------------


@requires("tourism.view")
@require_safe
def home(request):
    """The 12 themed boards, the routes and the map, for residents and visitors (phone first)."""
    return render(request, "tourism/home.html", {
        "boards": selectors.boards(), "routes": selectors.visible_routes(user=request.user)[:20],
        "villages": selectors.visible_places(user=request.user).filter(kind=PlaceKind.VILLAGE)[:30],
        "can_change": can(request.user, "tourism.change"),
        "can_boards": can(request.user, "tourism.board_change")})


@requires("tourism.view")
@require_safe
def board_detail(request, pk: int):
    board = get_object_or_404(Board.objects.filter(is_active=True) if not can(request.user, "tourism.board_change")
                              else Board.objects.all(), pk=pk)
    places = selectors.visible_places(user=request.user).filter(boards=board)
    return render(request, "tourism/board_detail.html", {
        "board": board, "places": places, "routes": selectors.visible_routes(user=request.user).filter(boards=board),
        "can_edit": can(request.user, "tourism.board_change", board)})


@requires("tourism.view")
@require_safe
def place_detail(request, pk: int):
    place = get_object_or_404(selectors.visible_places(user=request.user).prefetch_related("boards", "photos"), pk=pk)
    can_edit = can(request.user, "tourism.change", place)
    return render(request, "tourism/place_detail.html", {
        "place": place, "photos": place.photos.all(), "members": place.members.filter(is_published=True),
        "routes": selectors.visible_routes(user=request.user).filter(stops__place=place).distinct(),
        "can_edit": can_edit, "photo_form": PhotoForm() if can_edit else None,
        "history": history_diffs(place) if can_edit else []})


@requires("tourism.view")
@require_safe
def route_detail(request, pk: int):
    route = get_object_or_404(selectors.visible_routes(user=request.user), pk=pk)
    stops = route.stops.select_related("place", "place__district").order_by("order")
    return render(request, "tourism/route_detail.html", {
        "route": route, "stops": stops, "can_edit": can(request.user, "tourism.change", route),
        "map": {"chart_id": "route-map", "option": _json(
            _map_option([s.place for s in stops], selectors.district_counts()))}})


@requires("tourism.view")
@require_safe
def map_view(request):
    """Tianjin's 16 districts from the shipped boundaries (no tile server), shaded by places, with the points."""
    places = list(selectors.public_places().exclude(longitude=None))
    counts = selectors.district_counts()
    return render(request, "tourism/map.html", {
        "map": {"chart_id": "tourism-map", "option": _json(_map_option(places, counts))},
        "counts": sorted(counts.items(), key=lambda kv: -kv[1])})


# Officials ------------------------------------------------------------------------------------------------------


class PlaceList(ListPage):
    title = _("文旅资源")
    selector = staticmethod(selectors.place_list)
    columns = [
        Column("name", _("名称"), link=True),
        Column("kind", _("类型"), "kind"),
        Column("district", _("所在区"), "district__name"),
        Column("opening_hours", _("开放时间")),
        Column("longitude", _("经度")),
        Column("latitude", _("纬度")),
        Column("is_published", _("公开")),
    ]
    search_fields = ["name", "summary", "address"]
    default_ordering = "name"
    export_name = "tourism-places"
    detail_url_name = "tourism:place_detail"
    permission_action = "tourism.change"

    def get_actions(self):
        return [(gettext("新增文旅资源"), reverse("tourism:place_new")), (gettext("新增线路"), reverse("tourism:route_new")),
                (gettext("线路"), reverse("tourism:route_list"))]


class RouteList(ListPage):
    title = _("旅游线路")
    selector = staticmethod(selectors.route_list)
    columns = [Column("name", _("线路名称"), link=True), Column("district", _("所在区"), "district__name"),
               Column("days", _("天数")), Column("is_published", _("公开"))]
    search_fields = ["name", "summary"]
    default_ordering = "name"
    export_name = "tourism-routes"
    detail_url_name = "tourism:route_detail"
    permission_action = "tourism.change"


def _save_form(request, form, save, *, title: str, back: str, done_url):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save()
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("已保存，变更已记入变更记录。"))
            return redirect(done_url(obj))
    return render(request, "tourism/form.html", {"title": title, "form": form, "back": back})


@requires("tourism.change")
def place_new(request):
    form = PlaceForm(request.POST or None, districts=_districts(request.user))
    return _save_form(request, form, lambda: services.place_save(
        actor=request.user, place=None, data=form.service_data(), boards=list(form.cleaned_data["boards"])),
        title=gettext("新增文旅资源"), back=reverse("tourism:place_list"),
        done_url=lambda p: reverse("tourism:place_detail", args=[p.pk]))


@requires("tourism.change")
def place_edit(request, pk: int):
    place = get_object_or_404(selectors.place_list(user=request.user), pk=pk)
    form = PlaceForm(request.POST or None, instance=type(place).objects.get(pk=place.pk),
                     districts=_districts(request.user))
    return _save_form(request, form, lambda: services.place_save(
        actor=request.user, place=place, data=form.service_data(), boards=list(form.cleaned_data["boards"])),
        title=gettext("编辑文旅资源") + f" · {place.name}", back=reverse("tourism:place_detail", args=[place.pk]),
        done_url=lambda p: reverse("tourism:place_detail", args=[p.pk]))


@requires("tourism.change")
@require_POST
def place_photo(request, pk: int):
    place = get_object_or_404(selectors.place_list(user=request.user), pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, gettext("照片：请选择要上传的图片文件。"))
    else:
        try:
            services.photo_add(actor=request.user, place=place, upload=form.cleaned_data["image"],
                               caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, gettext("照片已上传。"))
    return redirect("tourism:place_detail", pk=place.pk)


@requires("tourism.change")
@require_POST
def photo_delete(request, pk: int):
    photo = get_object_or_404(Photo.objects.filter(place__in=selectors.place_list(user=request.user)), pk=pk)
    place_pk = photo.place_id
    services.photo_delete(actor=request.user, photo=photo)
    messages.success(request, gettext("照片已删除。"))
    return redirect("tourism:place_detail", pk=place_pk)


@requires("tourism.change")
def route_new(request):
    form = RouteForm(request.POST or None, districts=_districts(request.user))
    return _save_form(request, form, lambda: services.route_save(
        actor=request.user, route=None, data=form.service_data(), stops=form.cleaned_data["stops"],
        boards=list(form.cleaned_data["boards"])), title=gettext("新增旅游线路"), back=reverse("tourism:route_list"),
        done_url=lambda r: reverse("tourism:route_detail", args=[r.pk]))


@requires("tourism.change")
def route_edit(request, pk: int):
    route = get_object_or_404(selectors.route_list(user=request.user), pk=pk)
    form = RouteForm(request.POST or None, instance=type(route).objects.get(pk=route.pk),
                     districts=_districts(request.user))
    return _save_form(request, form, lambda: services.route_save(
        actor=request.user, route=route, data=form.service_data(), stops=form.cleaned_data["stops"],
        boards=list(form.cleaned_data["boards"])), title=gettext("编辑旅游线路") + f" · {route.name}",
        back=reverse("tourism:route_detail", args=[route.pk]),
        done_url=lambda r: reverse("tourism:route_detail", args=[r.pk]))


@requires("tourism.board_change")
def board_edit(request, pk: int):
    board = get_object_or_404(Board, pk=pk)
    require(request.user, "tourism.board_change", board)
    form = BoardForm(request.POST or None, instance=Board.objects.get(pk=board.pk))
    return _save_form(request, form, lambda: services.board_save(
        actor=request.user, board=board, data={f: form.cleaned_data[f] for f in BoardForm.Meta.fields}),
        title=gettext("编辑主题板块") + f" · {board.name}", back=reverse("tourism:board_detail", args=[board.pk]),
        done_url=lambda b: reverse("tourism:board_detail", args=[b.pk]))
