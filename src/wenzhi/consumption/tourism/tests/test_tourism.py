"""Rural tourism: the 12 boards, places with coordinates checked against the shipped district boundaries,
photos checked by content, routes, the public pages and map for visitors, the API, and the demo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from .. import geo, services
from ..models import Board, Place, Route

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def test_the_shipped_boundaries_have_tianjins_16_districts():
    import csv
    from pathlib import Path

    names = set(geo.districts())
    path = Path(__file__).resolve().parents[6] / "shared" / "data" / "standards" / "tianjin_divisions.csv"
    if path.exists():
        with path.open(encoding="utf-8") as f:
            expected = {row["name"] for row in csv.DictReader(f) if row["level"] == "3"}
        assert names == expected
    assert len(names) == 16
    assert geo.district_at(117.03, 39.14) == "西青区" and geo.district_at(117.41, 40.05) == "蓟州区"
    assert geo.district_at(116.0, 39.0) is None


def test_twelve_boards_are_loaded_once_and_edits_survive_reloading(reference_data, users):
    from ..reference import load_boards

    assert Board.objects.count() == 12
    board = Board.objects.get(code="reading")
    services.board_save(actor=users["city_admin"], board=board, data={"name": "书香津门"})
    load_boards()
    assert Board.objects.get(code="reading").name == "书香津门" and Board.objects.count() == 12
    with pytest.raises(PermissionDenied):
        services.board_save(actor=users["district_officer"], board=board, data={"name": "x"})


def test_coordinates_must_lie_in_the_chosen_district(users, orgs):
    officer = users["district_officer"]
    with pytest.raises(ValidationError, match="位于滨海新区，不在所选的和平区"):
        services.place_save(actor=officer, place=None, data={
            "kind": "site", "name": "错位景点", "district": orgs["heping"], "longitude": Decimal("117.70"),
            "latitude": Decimal("39.00")})
    with pytest.raises(ValidationError, match="同时填写"):
        services.place_save(actor=officer, place=None, data={"kind": "site", "name": "半个坐标",
                                                             "district": orgs["heping"], "longitude": Decimal("117.2")})
    with pytest.raises(PermissionDenied):
        services.place_save(actor=officer, place=None, data={"kind": "site", "name": "外区", "district": orgs["binhai"]})
    place = services.place_save(actor=officer, place=None, data={
        "kind": "site", "name": "和平景点", "district": orgs["heping"], "longitude": Decimal("117.20"),
        "latitude": Decimal("39.12"), "opening_hours": "9:00–17:00"})
    assert Place.objects.filter(pk=place.pk).exists() and Place.objects.count() == 1


def test_photos_are_checked_by_content(users, orgs):
    place = services.place_save(actor=users["city_admin"], place=None, data={
        "kind": "village", "name": "测试村", "district": orgs["heping"]})
    with pytest.raises(ValidationError, match="不是 JPEG"):
        services.photo_add(actor=users["city_admin"], place=place, upload=SimpleUploadedFile("x.png", b"<svg/>"))
    photo = services.photo_add(actor=users["city_admin"], place=place, upload=SimpleUploadedFile("x.bin", PNG))
    assert photo.image.name.endswith(".png")


def test_routes_need_two_published_stops(users, orgs):
    admin = users["city_admin"]
    a = services.place_save(actor=admin, place=None, data={"kind": "site", "name": "甲", "district": orgs["heping"]})
    b = services.place_save(actor=admin, place=None, data={"kind": "site", "name": "乙", "district": orgs["heping"],
                                                           "is_published": False})
    with pytest.raises(ValidationError, match="至少两个"):
        services.route_save(actor=admin, route=None, data={"name": "线", "district": orgs["heping"]}, stops=[a])
    with pytest.raises(ValidationError, match="未公开"):
        services.route_save(actor=admin, route=None, data={"name": "线", "district": orgs["heping"]}, stops=[a, b])


def test_visitors_see_boards_places_routes_and_the_offline_map(users, orgs):
    admin = users["city_admin"]
    board = Board.objects.get(code="yangliuqing")
    site = services.place_save(actor=admin, place=None, boards=[board], data={
        "kind": "heritage", "name": "年画作坊", "district": orgs["heping"], "longitude": Decimal("117.2"),
        "latitude": Decimal("39.12"), "opening_hours": "周二至周日 9:00–17:00"})
    hidden = services.place_save(actor=admin, place=None, data={"kind": "site", "name": "未公开点",
                                                                "district": orgs["heping"], "is_published": False})
    route = services.route_save(actor=admin, route=None, data={"name": "年画一日游", "district": orgs["heping"]},
                                stops=[site, services.place_save(actor=admin, place=None, data={
                                    "kind": "village", "name": "年画村", "district": orgs["heping"]})])
    visitor = Client()
    home = visitor.get(reverse("tourism:home")).content.decode()
    assert home.count('href="/tourism/boards/') == 12 and "年画一日游" in home
    board_page = visitor.get(reverse("tourism:board_detail", args=[board.pk])).content.decode()
    assert "年画作坊" in board_page and "未公开点" not in board_page
    assert "周二至周日" in visitor.get(reverse("tourism:place_detail", args=[site.pk])).content.decode()
    assert visitor.get(reverse("tourism:place_detail", args=[hidden.pk])).status_code == 404
    assert "年画作坊" in visitor.get(reverse("tourism:route_detail", args=[route.pk])).content.decode()
    page = visitor.get(reverse("tourism:map")).content.decode()
    assert "tianjin-districts" in page and "年画作坊" in page and "tile" not in page.lower()
    api = visitor.get("/api/v1/tourism/places/").json()
    assert [p["name"] for p in api["results"]] == ["年画作坊", "年画村"]


def test_demo_places_lie_in_their_districts(reference_data):
    from ..demo import generate

    result = generate(scale=0.1)
    assert result["routes"] == 16 and result["places"] >= 32
    for place in Place.objects.exclude(longitude=None).select_related("district"):
        assert geo.district_at(float(place.longitude), float(place.latitude)) == place.district.name
    assert Route.objects.filter(is_demo=True).count() == 16
