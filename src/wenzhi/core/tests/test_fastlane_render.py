"""The lane's JSON (``fastlane.render``): the bytes DRF's JSONRenderer writes, whichever writer wrote them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer

from wenzhi.core.api.fastlane import render

TEXT = "".join(chr(i) for i in range(0x800)) + "\u2028\u2029\ufeff\U0001f600座位已被他人选走"


def test_plain_bodies_are_the_bytes_drf_writes():
    bodies = [
        {"id": 7, "number": "3f1c", "total": "280.00", "note": TEXT, "paid_at": None, "ok": True, "no": False,
         "held_until": datetime(2026, 12, 3, 5, 30, 1, 123456, tzinfo=UTC),
         "created_at": datetime(2026, 12, 3, 5, 30, tzinfo=timezone(timedelta(hours=8))),
         "naive": datetime(2026, 12, 3),  # noqa: DTZ001 - DRF writes a naive one too
         "tickets": [{"id": 2**70, "token": None}, {}], "seats": []},
        {"code": "conflict", "message": TEXT, "seats": [1, 2]}, [], "x", None,
    ]
    for body in bodies:
        assert render(body, plain=True) == JSONRenderer().render(body)


def test_what_orjson_could_write_otherwise_goes_to_drf():
    for body in ({"x": 1e16}, {"x": Decimal("1.50")}, {"x": [ErrorDetail("错", code="invalid")]}, {1: "a"}):
        assert render(body, plain=False) == JSONRenderer().render(body)
    assert render({"x": Decimal("1.50")}, plain=True) == JSONRenderer().render({"x": Decimal("1.50")})
    assert render({"x": [ErrorDetail("错")]}, plain=True) == JSONRenderer().render({"x": [ErrorDetail("错")]})
