"""Rural tourism's edit pages in the platform-wide "saved back unchanged" test: a place with every field (boards,
village, coordinates inside its district, multi-line opening times), a route with ordered stops, a board."""

from __future__ import annotations

from decimal import Decimal

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form

from ..models import Board, Place, Route, RouteStop
from ..reference import load_boards


def make_place(ctx) -> Place:
    load_boards()
    heping = ctx.orgs["heping"]
    village = Place.objects.create(kind="village", name="测试村", district=heping)
    place = Place.objects.create(
        kind="heritage", name="测试技艺", district=heping, village=village, summary="一句话", description="第一行\n第二行",
        address="和平区某路", longitude=Decimal("117.200000"), latitude=Decimal("39.120000"),
        opening_hours="周二至周日 9:00–17:00\n周一闭馆", phone="022-1", heritage_level="municipal",
        service_type="guide", is_published=False)
    place.boards.set(Board.objects.order_by("order")[:2])
    return place


def make_route(ctx) -> Route:
    place = make_place(ctx)
    Place.objects.filter(pk=place.pk).update(is_published=True)
    route = Route.objects.create(name="测试线路", district=ctx.orgs["heping"], summary="第一行\n第二行", days=2,
                                 is_published=False)
    RouteStop.objects.create(route=route, place=place, order=1)
    RouteStop.objects.create(route=route, place=Place.objects.get(name="测试村"), order=2)
    route.boards.set(Board.objects.order_by("order")[3:5])
    return route


def make_board(ctx) -> Board:
    load_boards()
    board = Board.objects.get(code="reading")
    Board.objects.filter(pk=board.pk).update(description="第一行\n第二行", is_active=False)
    return Board.objects.get(pk=board.pk)


register_edit_form("tourism:place_edit", make=make_place, roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER))
register_edit_form("tourism:route_edit", make=make_route, roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER))
register_edit_form("tourism:board_edit", make=make_board, roles=(Role.CITY_ADMIN,))
