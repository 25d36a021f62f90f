"""Authorization matrix of the benefit card, generated from the permission table (see ``core.testing``).

Every card page and API endpoint × user (eight roles, the other district's officer, anonymous) × method is its
own case; the expected answer comes from ``can(user, action, row)``. The card sits inside the consumption
package, so its routes are picked by name (``card:…`` pages, ``card-…`` API routes)."""

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
    "card:card_detail": "card", "card:card_counter_topup": "card", "card:card_status": "card",
    "card:merchant_detail": "merchant", "card:merchant_edit": "merchant", "card:merchant_charge": "merchant",
    "card:merchant_settlement": "merchant", "card:redemption_refund": "redemption", "card:rule_edit": "rule",
    "card-card-detail": "card", "card-card-topups": "card", "card-merchant-detail": "merchant",
    "card-redemption-detail": "redemption", "card-redemption-refunds": "redemption",
}


def _mine(name: str) -> bool:
    return name.startswith(("card:", "card-")) and name not in PUBLIC_ROUTES


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
    from .. import services
    from .conftest import make_programme

    with module_data(django_db_blocker):
        orgs = build_orgs()
        orgs["ent_b"] = orgs["park_b"]
        users = build_users(orgs, orgs["city"])
        programme = make_programme(users, orgs)
        card = services.card_issue(actor=users["public"], holder=users["public"])
        services.card_topup(actor=users["public"], card=card, amount_fen=100_00, client_key="m")
        redemption = services.card_redeem(actor=users["public"], card=card, merchant=programme["merchant"],
                                          amount_fen=10_00, client_key="m", item_category="performance")
        rows = {"card": card, "merchant": programme["merchant"], "redemption": redemption, "rule": programme["rule"]}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_card_route_with_an_id_has_a_sample_row():
    assert [r.name for r in project_routes() if _mine(r.name) and r.params and r.name not in SAMPLES] == []


def test_the_card_has_routes_in_the_matrix():
    assert len(params()) > 200


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), params())
def test_card_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
