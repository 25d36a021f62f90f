"""A park's life cycle and details: steps in date order, lifting a warning, the edit page, evaluation corrections."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from .. import services
from ..choices import ParkStatus
from ..models import Park, ParkEvaluation

SCORES = {"management": 18, "clustering": 22, "performance": 20, "innovation": 12, "public_service": 14}


def test_a_step_dated_before_the_previous_one_is_refused(registry, users):
    park, admin = registry["park_a"], users["city_admin"]
    services.park_transition(actor=admin, park=park, transition="warn", reason="年度评价不合格",
                             happened_on=dt.date(2019, 4, 1))
    with pytest.raises(ValidationError) as refused:
        services.park_transition(actor=admin, park=park, transition="lift_warning", reason="已整改到位",
                                 happened_on=dt.date(2019, 3, 1))
    message = " ".join(refused.value.message_dict["happened_on"])
    assert "2019-03-01" in message and "2019-04-01" in message and "警告并限期整改" in message
    park.refresh_from_db()
    assert park.status == ParkStatus.WARNED and park.transitions.count() == 1
    # the same day is fine: two steps can be taken on one day
    services.park_transition(actor=admin, park=park, transition="lift_warning", reason="已整改到位",
                             happened_on=dt.date(2019, 4, 1))


def test_lift_warning_returns_the_park_to_designated_and_is_the_citys(registry, users, client_as):
    park = registry["park_a"]
    services.park_transition(actor=users["city_admin"], park=park, transition="warn", reason="年度评价不合格")
    with pytest.raises(PermissionDenied):
        services.park_transition(actor=users["district_officer"], park=park, transition="lift_warning",
                                 reason="已整改到位")
    page = client_as("city_admin").get(reverse("registry:park_detail", args=[park.pk])).content.decode()
    assert 'data-transition="lift_warning"' in page and "解除警告" in page
    r = client_as("city_admin").post(reverse("registry:park_transition", args=[park.pk]),
                                     {"transition": "lift_warning", "reason": "复查合格，解除警告"})
    assert r.status_code == 302
    park.refresh_from_db()
    assert park.status == ParkStatus.DESIGNATED
    assert park.transitions.first().transition_label == "解除警告"


def test_an_official_edits_a_parks_details_audited_and_in_scope(registry, users, client_as):
    park = registry["park_a"]
    url = reverse("registry:park_edit", args=[park.pk])
    r = client_as("district_officer").post(url, {"name": "测试园区甲（更名）", "kind": "demonstration_base",
                                                 "operator": "新运营公司", "address": "和平路 8 号", "area_sqm": "5000",
                                                 "description": "", "reason": "运营主体变更"})
    assert r.status_code == 302
    park.refresh_from_db()
    assert (park.name, park.operator, park.area_sqm) == ("测试园区甲（更名）", "新运营公司", 5000)
    assert park.organisation.name == "测试园区甲（更名）"
    record = park.history.first()
    assert record.history_user == users["district_officer"] and record.history_change_reason == "运营主体变更"
    with pytest.raises(PermissionDenied):  # another district's officer
        services.park_update(actor=users["other_district"], park=park, data={"operator": "x"})
    with pytest.raises(PermissionDenied):  # the level changes only through the life cycle
        services.park_update(actor=users["city_admin"], park=park, data={"level": "national"})
    assert Park.objects.get(pk=park.pk).level == park.level


def test_a_second_evaluation_of_a_year_is_a_reasoned_correction(registry, users, client_as):
    park, officer = registry["park_a"], users["district_officer"]
    services.park_evaluate(actor=officer, park=park, year=2018, scores=SCORES, reason="良好")
    lower = {**SCORES, "performance": 5}
    with pytest.raises(ValidationError) as refused:
        services.park_evaluate(actor=officer, park=park, year=2018, scores=lower)
    assert "更正理由" in " ".join(refused.value.message_dict["correction_reason"])
    assert ParkEvaluation.objects.get(park=park, year=2018).total == 86

    services.park_evaluate(actor=users["city_admin"], park=park, year=2018, scores=lower,
                           correction_reason="产业效益数据核实有误")
    evaluation = ParkEvaluation.objects.get(park=park, year=2018)
    assert evaluation.total == 71 and evaluation.history.count() == 2
    assert evaluation.history.first().history_change_reason == "产业效益数据核实有误"
    page = client_as("city_admin").get(reverse("registry:park_detail", args=[park.pk])).content.decode()
    corrections = page[page.index('data-testid="evaluation-corrections"'):]
    assert "产业效益数据核实有误" in corrections and "产业效益：20.0" in corrections and "86.0 → 71.0" in corrections


def test_the_api_corrects_an_evaluation_only_with_a_reason(registry, users, client_as):
    park = registry["park_a"]
    api = client_as("city_admin")
    url = f"/api/v1/parks/{park.pk}/evaluations/"
    assert api.post(url, {"year": 2019, "scores": SCORES}, content_type="application/json").status_code == 201
    lower = {**SCORES, "innovation": 2}
    r = api.post(url, {"year": 2019, "scores": lower}, content_type="application/json")
    assert r.status_code == 400 and "correction_reason" in r.json()["errors"]
    r = api.post(url, {"year": 2019, "scores": lower, "correction_reason": "创新得分复核下调"},
                 content_type="application/json")
    assert r.status_code == 201 and r.json()["total"] == "76.0"
