"""The statistics API: catalogue, reports with values and workflow, completeness, series."""

import pytest
from django.urls import reverse

from .conftest import GOOD, LAST

pytestmark = pytest.mark.django_db


def test_enter_submit_approve_through_the_api(client_as, report):
    d, c = client_as("district_officer"), client_as("city_admin")
    url = reverse("statistics-report-values", args=[report.pk])
    bad = d.post(url, {"values": {**GOOD, "units": "-5"}}, content_type="application/json")
    assert bad.status_code == 400 and "units" in bad.json()["errors"] if "errors" in bad.json() else "units" in str(
        bad.json())
    ok = d.post(url, {"values": GOOD}, content_type="application/json")
    assert ok.status_code == 200 and len(ok.json()["values"]) == len(GOOD)
    assert d.post(reverse("statistics-report-submit", args=[report.pk]), {}, content_type="application/json"
                  ).status_code == 200
    assert d.post(reverse("statistics-report-approve", args=[report.pk]), {}, content_type="application/json"
                  ).status_code == 403
    r = c.post(reverse("statistics-report-approve", args=[report.pk]), {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["locked"] is True
    stale = c.post(reverse("statistics-report-unlock", args=[report.pk]),
                   {"reason": "更正数据", "updated_at": "2020-01-01T00:00:00+08:00"}, content_type="application/json")
    assert stale.status_code == 409


def test_other_district_sees_nothing_of_it(client_as, report):
    o = client_as("other_district")
    assert o.get(reverse("statistics-report-detail", args=[report.pk])).status_code == 404
    assert o.get(reverse("statistics-report-list")).json()["count"] == 0


def test_series_and_completeness(client_as, filled, heping, binhai):
    d = client_as("district_officer")
    r = d.get(reverse("statistics-series-list"), {"indicator": "value_added", "district": heping.pk})
    assert r.status_code == 200 and r.json()["series"] == [{"period": LAST, "value": "12.50"}]
    assert d.get(reverse("statistics-series-list"), {"indicator": "value_added", "district": binhai.pk}
                 ).status_code == 403
    assert d.get(reverse("statistics-series-list"), {"indicator": "nope"}).status_code == 404
    r = client_as("city_admin").get(reverse("statistics-completeness-list"), {"period": LAST})
    assert r.status_code == 200 and r.json()["expected"] == 16
    assert client_as("city_admin").get(reverse("statistics-completeness-list"), {"period": "x"}).status_code == 400


def test_rule_naming_an_unknown_indicator_is_refused(client_as):
    r = client_as("city_admin").post(reverse("statistics-rule-list"), {
        "name": "坏规则", "left": "cinema_count", "operator": "<=", "right": "screens", "importance": "error",
        "message": "x"}, content_type="application/json")
    assert r.status_code == 400 and "cinema_count" in str(r.json())
