"""Authorization matrix of statistics, generated from the permission table (see ``core.testing``).

Each page and API endpoint × user (seven roles, the other district's officer, anonymous) × method is its own
case. The report requested is 和平区's (the district officer's own); the other district's officer and the
enterprise user must get 404 for it; the expected answer of each case comes from ``can(user, action, row)``.
"""

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

# Analysis, bulletins and assessment have their own matrix and samples (test_outputs_authorization.py).
from .test_outputs_authorization import OUTPUT_ROUTES

REPORT_ROUTES = ["report_detail", "report_cell", "report_explain", "report_submit", "report_approve",
                 "report_return", "report_unlock", "report_download", "report_upload"]
SAMPLES = {
    **{f"statistics:{name}": "report" for name in REPORT_ROUTES},
    **{f"statistics-report-{name}": "report" for name in ("detail", "values", "submit", "approve", "return-report",
                                                          "unlock")},
    "statistics:reminder_read": "reminder",
    "statistics:indicator_edit": "indicator", "statistics-indicator-detail": "indicator",
    "statistics:form_detail": "form", "statistics:form_edit": "form", "statistics-form-detail": "form",
    "statistics:rule_edit": "rule", "statistics-rule-detail": "rule",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from .. import services
    from ..models import Indicator, ReportingForm, ValidationRule

    with module_data(django_db_blocker):
        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        form = ReportingForm.objects.get(code="district_quarterly")
        report = services.report_open(actor=users["district_officer"], form=form, organisation=orgs["heping"],
                                      period_code="2026Q3")
        services.reminders_send(actor=users["city_admin"], form=form, period_code="2026Q3", email=False)
        from ..models import Reminder

        rows = {"report": report, "form": form, "indicator": Indicator.objects.get(code="screens"),
                "rule": ValidationRule.objects.order_by("id").first(),
                "reminder": Reminder.objects.filter(recipient=users["district_officer"]).first()}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_statistics_route_with_an_id_has_a_sample_row():
    assert not [name for name in missing_samples("statistics", SAMPLES) if not name.startswith(OUTPUT_ROUTES)]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), [p for p in matrix_params("statistics", SAMPLES) if not p.values[0].name.startswith(OUTPUT_ROUTES)])
def test_statistics_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
