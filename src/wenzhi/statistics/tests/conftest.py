"""Fixtures of the statistics tests: the district form, users of both districts and an enterprise."""

from decimal import Decimal

import pytest

from wenzhi.statistics import services
from wenzhi.statistics.models import ReportingForm

LAST = "2026Q3"


@pytest.fixture
def district_form(reference_data):
    return ReportingForm.objects.get(code="district_quarterly")


@pytest.fixture
def city(users):
    return users["city_admin"]


@pytest.fixture
def officer(users):
    return users["district_officer"]  # 和平区


@pytest.fixture
def report(officer, district_form, heping):
    return services.report_open(actor=officer, form=district_form, organisation=heping, period_code=LAST)


GOOD = {"value_added": "12.5", "revenue": "40", "gdp": "300", "employees": "18000", "units": "1500",
        "above_scale_units": "80", "parks": "4", "projects": "20", "investment": "1.2", "screens": "45",
        "box_office": "9000", "performances": "300", "audiences": "15", "consumption": "620"}


@pytest.fixture
def filled(report, officer):
    services.values_save(actor=officer, submission=report, values=GOOD)
    return report


def dec(text: str) -> Decimal:
    return Decimal(text)
