"""The API's fast lane (core.api.fastlane) serves the rush's two writes with the DRF views' answers; what it does
not take as it is goes on to the views, which name the error."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wenzhi.core.api import fastlane

from ..services import orders as order_services
from . import factories as f

pytestmark = pytest.mark.django_db
LANE = "wenzhi.core.api.fastlane.ApiFastLaneMiddleware"


@pytest.fixture
def show(reference_data):
    return f.session(f.hall(f.venue()))


@pytest.fixture
def buyer(users):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['public']).key}")
    return client


@pytest.fixture
def served(monkeypatch):
    """The requests the lane answered itself, by path."""
    seen: list[str] = []
    real = fastlane.serve

    def spy(request, path):
        served = real(request, path)
        if served is not None:
            seen.append(path)
        return served

    monkeypatch.setattr(fastlane, "serve", spy)
    return seen


def without_lane():
    from django.conf import settings

    return override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != LANE])


def fresh(client: APIClient) -> APIClient:
    """The same credentials in a new client, whose handler loads the middleware of the settings in force."""
    copy = APIClient()
    copy.credentials(**client._credentials)  # type: ignore[attr-defined]
    return copy


def comparable(body: dict) -> dict:
    """An order's answer without what differs between two orders (ids, numbers, times, ticket tokens)."""
    skip = {"id", "number", "held_until", "created_at", "paid_at"}
    out = {k: v for k, v in body.items() if k not in skip}
    if "tickets" in out:
        out["tickets"] = [{"price": t["price"], "status": t["status"], "token": bool(t["token"])}
                          for t in out["tickets"]]
    return out


def buy(client, show, seats):
    order = client.post("/api/v1/orders/", {"session": show.pk, "seats": seats}, format="json")
    paid = client.post(f"/api/v1/orders/{order.json()['id']}/pay/", {"provider": "test"}, format="json")
    return order, paid


def test_the_lane_answers_order_and_pay_as_the_views_do(show, buyer, served):
    order, paid = buy(buyer, show, f.seat_ids(show, 2))
    assert served == ["orders/", f"orders/{order.json()['id']}/pay/"]
    with without_lane():
        order2, paid2 = buy(fresh(buyer), show, f.seat_ids(show, 4)[2:])
    assert len(served) == 2
    assert (order.status_code, paid.status_code) == (order2.status_code, paid2.status_code) == (201, 200)
    assert order.json().keys() == order2.json().keys() and paid.json().keys() == paid2.json().keys()
    assert comparable(order.json()) == comparable(order2.json())
    assert comparable(paid.json()) == comparable(paid2.json())
    assert paid.json()["status"] == "paid" and all(t["token"] for t in paid.json()["tickets"])


def test_a_taken_seat_and_a_bad_seat_answer_alike_on_both_paths(show, buyer, users, served):
    ids = f.seat_ids(show, 2)
    assert buyer.post("/api/v1/orders/", {"session": show.pk, "seats": ids}, format="json").status_code == 201
    answers = []
    for lane in (True, False):
        with (override_settings() if lane else without_lane()):
            client = fresh(buyer)
            taken = client.post("/api/v1/orders/", {"session": show.pk, "seats": ids[1:]}, format="json")
            unknown = client.post("/api/v1/orders/", {"session": show.pk, "seats": [10 ** 9]}, format="json")
        answers.append(((taken.status_code, taken.json()), (unknown.status_code, unknown.json())))
    assert answers[0] == answers[1]
    assert answers[0][0][0] == 409 and answers[0][0][1]["seats"] == ids[1:]
    assert answers[0][1][0] == 400 and "seats" in answers[0][1][1]["errors"]
    assert served == ["orders/", "orders/", "orders/"]


@pytest.mark.parametrize("case", ["string session", "unknown field", "no seats", "boolean seat"])
def test_input_the_lane_does_not_take_goes_to_the_view(show, buyer, served, case):
    def body(seat: int) -> dict:
        return {"string session": {"session": str(show.pk), "seats": [seat]},
                "unknown field": {"session": show.pk, "seats": [seat], "price": 0},
                "no seats": {"session": show.pk, "seats": []},
                "boolean seat": {"session": show.pk, "seats": [True]}}[case]

    first, second = f.seat_ids(show, 2)
    with without_lane():
        expected = fresh(buyer).post("/api/v1/orders/", body(first), format="json")
    got = buyer.post("/api/v1/orders/", body(second), format="json")
    assert served == [] and got.status_code == expected.status_code
    if got.status_code != 201:
        assert got.json() == expected.json()


def test_bad_tokens_and_must_change_accounts_go_to_the_full_stack(show, users, served):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.post("/api/v1/orders/", {"session": show.pk, "seats": [1]}, format="json").status_code == 401
    user = users["public"]
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    r = client.post("/api/v1/orders/", {"session": show.pk, "seats": f.seat_ids(show, 1)}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "password_change_required"
    user.must_change_password, user.is_active = False, False
    user.save(update_fields=["must_change_password", "is_active"])
    assert client.post("/api/v1/orders/", {"session": show.pk, "seats": [1]}, format="json").status_code == 401
    assert served == []


def test_another_buyers_order_is_not_paid_through_the_lane(show, buyer, users, served):
    order = buyer.post("/api/v1/orders/", {"session": show.pk, "seats": f.seat_ids(show, 1)}, format="json").json()
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users['city_admin']).key}")
    assert other.post(f"/api/v1/orders/{order['id']}/pay/", {"provider": "test"}, format="json").status_code == 404
    assert served == ["orders/"]


def test_the_lane_calls_the_same_service(show, buyer, monkeypatch):
    calls = []
    real = order_services.order_create
    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(order_services, "order_create", spy)
    assert buyer.post("/api/v1/orders/", {"session": show.pk, "seats": f.seat_ids(show, 1)},
                      format="json").status_code == 201
    assert len(calls) == 1 and calls[0]["buyer"].pk and calls[0]["session"].pk == show.pk


# The lane in front of Django's handler (FastLaneApplication, what `wenzhi serve` runs): its answers against the full
# stack's, with production's HTTPS settings.
HTTPS = {"SECURE_SSL_REDIRECT": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
         "SECURE_HSTS_SECONDS": 31536000}


@pytest.fixture
def handler_signals():
    """request_started / request_finished as the handlers send them; the test's own database connection stays
    open (close_old_connections disconnected, as Django's test client does)."""
    from django.core import signals
    from django.db import close_old_connections

    seen: list[tuple[str, type]] = []

    def started(sender, **_):
        seen.append(("started", sender))

    def finished(sender, **_):
        seen.append(("finished", sender))

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    yield seen
    signals.request_started.disconnect(started)
    signals.request_finished.disconnect(finished)
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def wsgi(lane: bool):
    """Django's WSGI handler with the middleware of the settings in force, behind the lane or not."""
    from django.core.handlers.wsgi import WSGIHandler

    return fastlane.FastLaneApplication(WSGIHandler()) if lane else WSGIHandler()


def call(app, path: str, key: str, body: dict, **extra) -> tuple[str, list, bytes]:
    """``app``'s status, headers and body for a JSON POST signed with ``key`` over HTTPS behind the proxy."""
    from django.test import RequestFactory

    meta = {"HTTP_AUTHORIZATION": f"Token {key}", "HTTP_X_FORWARDED_PROTO": "https", **extra}
    environ = RequestFactory().generic("POST", path, json.dumps(body), "application/json", **meta).environ
    got: dict = {}
    result = app(environ, lambda status, headers: got.update(status=status, headers=headers))
    try:
        content = b"".join(result)
    finally:
        result.close()
    return got["status"], got["headers"], content


def masked(headers: list) -> list:
    """Headers with what differs between two answers (the CSP nonce, the length of ids) masked."""
    import re

    return [(k, "n" if k == "Content-Length" else re.sub(r"'nonce-[^']+'", "'nonce-x'", v)) for k, v in headers]


def key_of(client: APIClient) -> str:
    return client._credentials["HTTP_AUTHORIZATION"].split()[1]  # type: ignore[attr-defined]


@override_settings(**HTTPS)
def test_the_front_answers_as_the_full_stack_with_its_headers_and_signals(show, buyer, served, handler_signals):
    from django.core.handlers.wsgi import WSGIHandler

    key, ids = key_of(buyer), f.seat_ids(show, 4)
    answers = []
    for lane, seats in ((True, ids[:2]), (False, ids[2:])):
        with (override_settings() if lane else without_lane()):
            app = wsgi(lane)
            order = call(app, "/api/v1/orders/", key, {"session": show.pk, "seats": seats})
            pk = json.loads(order[2])["id"]
            paid = call(app, f"/api/v1/orders/{pk}/pay/", key, {"provider": "test"})
        answers.append((order, paid))
    assert served == ["orders/", f"orders/{json.loads(answers[0][0][2])['id']}/pay/"]
    for (status, headers, content), (status2, headers2, content2) in zip(*answers, strict=True):
        assert status == status2 and status in ("201 Created", "200 OK")
        assert masked(headers) == masked(headers2)
        assert dict(headers)["Content-Length"] == str(len(content))
        assert comparable(json.loads(content)) == comparable(json.loads(content2))
    assert {"X-Frame-Options", "Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options",
            "Referrer-Policy", "Cross-Origin-Opener-Policy"} <= dict(answers[0][0][1]).keys()
    assert handler_signals == [("started", WSGIHandler), ("finished", WSGIHandler)] * 4


@override_settings(**HTTPS)
def test_a_refusal_is_byte_identical_and_in_the_buyers_language(show, buyer, served, handler_signals):
    key, ids = key_of(buyer), f.seat_ids(show, 2)
    assert call(wsgi(True), "/api/v1/orders/", key, {"session": show.pk, "seats": ids})[0] == "201 Created"
    for language in ("zh-hans", "en"):
        got = []
        for lane in (True, False):
            with (override_settings() if lane else without_lane()):
                got.append(call(wsgi(lane), "/api/v1/orders/", key, {"session": show.pk, "seats": ids[1:]},
                                HTTP_ACCEPT_LANGUAGE=language))
        assert got[0][0] == got[1][0] == "409 Conflict" and got[0][2] == got[1][2]
        assert masked(got[0][1]) == masked(got[1][1]) and dict(got[0][1])["Content-Language"] == language
    assert served == ["orders/", "orders/", "orders/"]


@pytest.mark.parametrize("case", ["plain http", "host not allowed", "unknown field", "bad token"])
@override_settings(**HTTPS, ALLOWED_HOSTS=["testserver"])
def test_what_the_front_does_not_take_goes_to_the_handler_unchanged(show, buyer, served, handler_signals, case):
    key, (first, second) = key_of(buyer), f.seat_ids(show, 2)
    extra = {"plain http": {"HTTP_X_FORWARDED_PROTO": "http"}, "host not allowed": {"HTTP_HOST": "evil.example"}
             }.get(case, {})
    got = []
    for lane, seat in ((True, first), (False, second)):
        body = {"session": show.pk, "seats": [seat], **({"price": 0} if case == "unknown field" else {})}
        with (override_settings() if lane else without_lane()):
            got.append(call(wsgi(lane), "/api/v1/orders/", "not-a-token" if case == "bad token" else key, body,
                            **extra))
    assert served == [] and got[0][0] == got[1][0] and got[0][2] == got[1][2]
    assert got[0][0] == {"plain http": "301 Moved Permanently", "host not allowed": "400 Bad Request",
                         "unknown field": "400 Bad Request", "bad token": "401 Unauthorized"}[case]
    if case == "unknown field":  # the body the front read is the body the view reads
        assert b"price" in got[0][2]


def test_the_test_clients_lane_answers_carry_the_full_stacks_headers(show, buyer, served):
    answers = []
    for lane, seats in ((True, f.seat_ids(show, 2)), (False, f.seat_ids(show, 4)[2:])):
        with override_settings(**HTTPS), (override_settings() if lane else without_lane()):
            r = fresh(buyer).post("/api/v1/orders/", {"session": show.pk, "seats": seats}, format="json",
                                  HTTP_X_FORWARDED_PROTO="https")
        answers.append((r.status_code, masked(sorted(r.headers.items()))))
    assert served == ["orders/"] and answers[0] == answers[1] and answers[0][0] == 201
