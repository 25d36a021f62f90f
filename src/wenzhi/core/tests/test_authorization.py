"""Authorization matrix of core's pages and API, generated from the permission table (see ``core.testing``),
and the rule every module follows: each route of the project declares the action it needs."""

import importlib

import pytest

from wenzhi.core.testing import (
    PUBLIC_ROUTES,
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    matrix_params,
    missing_samples,
    module_data,
    project_routes,
    undeclared_routes,
)

SAMPLES = {"core:organisation_detail": "park_a", "organisation-detail": "park_a",
           # account administration: an enterprise user of 和平区 (managed by its district, not by 滨海新区)
           "core:account_detail": "account", "core:account_edit": "account", "core:account_deactivate": "account",
           "core:account_reactivate": "account", "core:account_reset_password": "account",
           "user-detail": "account", "user-deactivate": "account", "user-reactivate": "account",
           "user-reset-password": "account"}


def test_every_route_of_the_project_declares_its_action():
    """A page or endpoint added without ``@requires``/``permission_action``/``permission_actions`` fails here."""
    problems = undeclared_routes()
    assert not problems, "\n".join(problems)


def test_every_app_with_routes_has_its_matrix():
    apps = {r.app for r in project_routes() if r.name not in PUBLIC_ROUTES} - {"external"}
    missing = []
    for app in sorted(apps):
        try:
            importlib.import_module(f"wenzhi.{app}.tests.test_authorization")
        except ModuleNotFoundError:
            missing.append(app)
    assert not missing, f"apps without tests/test_authorization.py: {missing}"


def test_every_core_route_with_an_id_has_a_sample_row():
    assert not missing_samples("core", SAMPLES)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker):
        from wenzhi.core.choices import Role
        from wenzhi.core.services import user_create

        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        rows = {**orgs, "account": user_create(username="m_sample", password=None, roles=[Role.ENTERPRISE_USER],
                                               organisation=orgs["ent_a"])}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), matrix_params("core", SAMPLES))
def test_core_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])


@pytest.mark.django_db
def test_organisations_api_lists_only_the_callers_scope(world):
    body = world["clients"]["district_officer"].get("/api/v1/organisations/?page_size=500").json()
    heping = world["rows"]["heping"].id
    assert body["count"] > 0
    assert all(o["district"] == heping for o in body["results"])
