"""Authorization matrix of culture consumption, generated from the permission table (see ``core.testing``).

Every consumption page and API endpoint × user (every role, the other district's officer, anonymous) × method
is its own case; the expected answer comes from ``can(user, action, row)``: visitors browse, anyone signed in
buys for themself, venue operators keep their own venues, the city keeps all, district officers read theirs."""

from types import SimpleNamespace

import pytest

from wenzhi.core.testing import (
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    matrix_params,
    missing_samples,
    module_data,
)

SAMPLES = {
    "consumption:session_detail": "session", "consumption:session_seats_json": "session",
    "consumption:order_place": "session", "consumption:order_detail": "order", "consumption:order_pay": "order",
    "consumption:order_cancel": "order", "consumption:payment_callback": "provider",
    "consumption:venue_detail": "venue", "consumption:venue_edit": "venue", "consumption:hall_create": "venue",
    "consumption:event_create": "venue", "consumption:hall_map": "hall", "consumption:hall_import": "hall",
    "consumption:event_edit": "event", "consumption:session_create": "event", "consumption:session_office": "session",
    "consumption:checkin": "session", "consumption:order_refund": "order",
    "consumption-session-detail": "session", "consumption-session-seats": "session",
    "consumption-session-checkin-list": "session", "consumption-session-checkin-sync": "session",
    "consumption-order-detail": "order", "consumption-order-pay": "order", "consumption-order-cancel": "order",
}


def _mine(name: str) -> bool:
    return name.startswith(("consumption:", "consumption-"))


def params():
    return [p for p in matrix_params("consumption", SAMPLES) if _mine(p.values[0].name)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from ..services.orders import order_create
    from . import factories as f

    with module_data(django_db_blocker):
        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        venue = f.venue(managers=[users["venue_operator"]])
        hall = f.hall(venue)
        session = f.session(hall)
        order = order_create(buyer=users["public"], session=session, seat_ids=f.seat_ids(session, 1))
        rows = {"venue": venue, "hall": hall, "event": session.event, "session": session, "order": order,
                "provider": SimpleNamespace(pk="test")}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_consumption_route_with_an_id_has_a_sample_row():
    assert not [n for n in missing_samples("consumption", SAMPLES) if _mine(n)]


def test_consumption_has_routes_in_the_matrix():
    assert len(params()) > 200


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), params())
def test_consumption_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
