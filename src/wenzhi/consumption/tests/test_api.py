"""The ticketing API exactly as named: sessions, their seats, orders (201 / 409) and payment."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    def make(role: str) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users[role]).key}")
        return client
    return make


@pytest.fixture
def show(reference_data):
    return f.session(f.hall(f.venue()))


def test_sessions_are_listed_for_everyone_with_seats_left(show):
    body = APIClient().get("/api/v1/sessions/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == show.pk
    assert body["results"][0]["seats_left"] == 23


def test_seats_have_id_and_status(show, api):
    seats = APIClient().get(f"/api/v1/sessions/{show.pk}/seats/").json()
    assert {s["status"] for s in seats} == {"available", "blocked"}
    ids = [s["id"] for s in seats if s["status"] == "available"][:2]
    buyer = api("public")
    order = buyer.post("/api/v1/orders/", {"session": show.pk, "seats": ids}, format="json")
    assert order.status_code == 201 and order.json()["status"] == "pending"
    statuses = {s["id"]: s["status"] for s in APIClient().get(f"/api/v1/sessions/{show.pk}/seats/").json()}
    assert [statuses[i] for i in ids] == ["held", "held"]
    paid = buyer.post(f"/api/v1/orders/{order.json()['id']}/pay/", {"provider": "test"}, format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    assert all(t["token"] for t in paid.json()["tickets"])
    statuses = {s["id"]: s["status"] for s in APIClient().get(f"/api/v1/sessions/{show.pk}/seats/").json()}
    assert [statuses[i] for i in ids] == ["sold", "sold"]


def test_a_taken_seat_is_409_with_a_message(show, api):
    ids = f.seat_ids(show, 2)
    assert api("public").post("/api/v1/orders/", {"session": show.pk, "seats": ids}, format="json").status_code == 201
    r = api("city_admin").post("/api/v1/orders/", {"session": show.pk, "seats": ids[1:]}, format="json")
    assert r.status_code == 409
    assert "已被他人选走" in r.json()["message"] and r.json()["seats"] == ids[1:]


def test_bad_order_input_is_400_naming_the_field(show, api):
    buyer = api("public")
    assert buyer.post("/api/v1/orders/", {"session": show.pk, "seats": []}, format="json").status_code == 400
    r = buyer.post("/api/v1/orders/", {"session": show.pk, "seats": [1], "price": 0}, format="json")
    assert r.status_code == 400 and "price" in r.json()["errors"]
    r = buyer.post("/api/v1/orders/", {"session": show.pk, "seats": [10 ** 9]}, format="json")
    assert r.status_code == 400 and "seats" in r.json()["errors"]
    order = buyer.post("/api/v1/orders/", {"session": show.pk, "seats": f.seat_ids(show, 1)}, format="json").json()
    r = buyer.post(f"/api/v1/orders/{order['id']}/pay/", {"provider": "nope"}, format="json")
    assert r.status_code == 400 and "provider" in r.json()["errors"]


def test_another_buyers_order_is_not_found(show, api):
    order = api("public").post("/api/v1/orders/", {"session": show.pk, "seats": f.seat_ids(show, 1)},
                               format="json").json()
    assert api("enterprise_user").post(f"/api/v1/orders/{order['id']}/pay/", {"provider": "test"},
                                       format="json").status_code == 404
    assert APIClient().post("/api/v1/orders/", {"session": show.pk, "seats": [1]}, format="json").status_code == 401
