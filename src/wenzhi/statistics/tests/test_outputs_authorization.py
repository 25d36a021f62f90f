"""Authorization matrix of statistics' outputs (analysis, bulletins, assessment), generated from the permission
table (see ``core.testing``): every page and API endpoint × user × method. The samples: an issued bulletin
(districts read it), a draft (only the city sees it), a scheme."""

import datetime

import pytest

from wenzhi.core.testing import (
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    matrix_params,
    module_data,
)

OUTPUT_ROUTES = ("statistics:analysis", "statistics:bulletin", "statistics:assessment", "statistics-analysis",
                 "statistics-bulletin", "statistics-assessment")
SAMPLES = {
    "statistics:bulletin_detail": "issued", "statistics:bulletin_docx": "issued", "statistics:bulletin_pdf": "issued",
    "statistics:bulletin_edit": "draft", "statistics:bulletin_approve": "draft", "statistics:bulletin_reopen": "draft",
    "statistics:bulletin_issue": "draft",
    "statistics-bulletin-detail": "draft", "statistics-bulletin-approve": "draft", "statistics-bulletin-check": "issued",
    "statistics-bulletin-issue": "draft",
    "statistics:assessment_detail": "scheme", "statistics:assessment_edit": "scheme",
    "statistics:assessment_export": "scheme", "statistics-assessment-detail": "scheme",
}


def ours(params):
    return [p for p in params if p.values[0].name.startswith(OUTPUT_ROUTES)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from wenzhi.statistics.assessment.services import ItemInput, assessment_scheme_save
    from wenzhi.statistics.bulletin import services
    from wenzhi.statistics.bulletin.models import Bulletin

    from .outputs_world import fill

    with module_data(django_db_blocker):
        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        admin = users["city_admin"]
        fill()
        draft = services.bulletin_draft(actor=admin, period="2018Q3")
        issued = services.bulletin_draft(actor=admin, period="2018Q2")
        Bulletin.objects.filter(pk=issued.pk).update(status="issued", number=1, issued_on=datetime.date(2018, 8, 1))
        scheme = assessment_scheme_save(actor=admin, year=2018, name="2018年度考核", items=[
            ItemInput("value_added", "level", "60"), ItemInput("value_added", "growth", "40")])
        rows = {"draft": draft, "issued": Bulletin.objects.get(pk=issued.pk), "scheme": scheme}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_output_route_with_an_id_has_a_sample_row():
    from wenzhi.core.testing import project_routes

    missing = [r.name for r in project_routes() if r.name.startswith(OUTPUT_ROUTES) and r.params
               and r.name not in SAMPLES]
    assert not missing


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), ours(matrix_params("statistics", SAMPLES)))
def test_statistics_outputs_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
