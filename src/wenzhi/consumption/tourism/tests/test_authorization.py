"""Authorization matrix of rural tourism, generated from the permission table (see ``core.testing``): every
page and API endpoint × user × method; visitors read, officials keep their district's rows, the city the boards."""

import pytest

from wenzhi.core.testing import (
    MATRIX_USERS,
    PUBLIC_ROUTES,
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    module_data,
    project_routes,
)

SAMPLES = {
    "tourism:board_detail": "board", "tourism:board_edit": "board", "tourism:place_detail": "place",
    "tourism:place_edit": "place", "tourism:place_photo": "place", "tourism:photo_delete": "photo",
    "tourism:route_detail": "route", "tourism:route_edit": "route",
    "tourism-board-detail": "board", "tourism-place-detail": "place", "tourism-route-detail": "route",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def _mine(name: str) -> bool:
    return name.startswith(("tourism:", "tourism-")) and name not in PUBLIC_ROUTES


def params() -> list:
    out = []
    for r in sorted(project_routes(), key=lambda r: r.name):
        if not _mine(r.name):
            continue
        for method, act in r.methods:
            for user in MATRIX_USERS:
                out.append(pytest.param(r, user, method, act, SAMPLES.get(r.name), id=f"{r.name}-{user}-{method}"))
    return out


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from .. import services
    from ..models import Board

    with module_data(django_db_blocker):
        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        admin = users["city_admin"]
        place = services.place_save(actor=admin, place=None, data={
            "kind": "site", "name": "和平测试景点", "district": orgs["heping"], "longitude": Decimal("117.2"),
            "latitude": Decimal("39.12")})
        other = services.place_save(actor=admin, place=None, data={"kind": "village", "name": "和平测试村",
                                                                   "district": orgs["heping"]})
        route = services.route_save(actor=admin, route=None, data={"name": "测试线路", "district": orgs["heping"]},
                                    stops=[place, other])
        photo = services.photo_add(actor=admin, place=place, upload=SimpleUploadedFile("a.png", PNG))
        rows = {"board": Board.objects.order_by("order").first(), "place": place, "route": route, "photo": photo}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_tourism_route_with_an_id_has_a_sample_row():
    assert [r.name for r in project_routes() if _mine(r.name) and r.params and r.name not in SAMPLES] == []


def test_tourism_has_routes_in_the_matrix():
    assert len(params()) > 150


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), params())
def test_tourism_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
