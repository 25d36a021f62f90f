"""Writes of the plan tracker: who may, what is refused (with the field named), nothing half-written, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wenzhi.core.exceptions import StaleEdit, version_of

from .. import services
from ..models import Evidence, Milestone, Target, TargetReading, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(reference_data):
    return Task.objects.get(number=3)


def test_city_updates_a_task_with_a_reason_and_history(users, task):
    admin = users["city_admin"]
    updated = services.task_update(actor=admin, task=task, data={"status": "in_progress",
                                                                 "progress_note": "项目库已建立"},
                                   reason="季度调度", version=version_of(task))
    assert updated.status == "in_progress"
    record = updated.history.first()
    assert record.history_user == admin and record.history_change_reason == "季度调度"


def test_task_change_needs_a_reason_and_the_city(users, task):
    with pytest.raises(ValidationError, match="修改理由"):
        services.task_update(actor=users["city_admin"], task=task, data={"status": "delayed"}, reason=" ")
    with pytest.raises(PermissionDenied):
        services.task_update(actor=users["district_officer"], task=task, data={"status": "delayed"}, reason="x")
    assert Task.objects.get(pk=task.pk).status == "not_started"


def test_stale_edit_is_refused_and_nothing_written(users, task):
    old = version_of(task)
    services.task_update(actor=users["city_admin"], task=task, data={"lead_units": "市委宣传部"}, reason="a")
    with pytest.raises(StaleEdit):
        services.task_update(actor=users["city_admin"], task=task, data={"status": "delayed"}, reason="b",
                             version=old)
    assert Task.objects.get(pk=task.pk).status == "not_started"


def test_task_done_only_when_every_milestone_is(users, task):
    admin = users["city_admin"]
    with pytest.raises(ValidationError, match="未完成的任务节点"):
        services.task_update(actor=admin, task=task, data={"status": "done"}, reason="完成")
    for milestone in task.milestones.all():
        services.milestone_complete(actor=admin, milestone=milestone, done_on=dt.date(2020, 6, 1))
    assert services.task_update(actor=admin, task=task, data={"status": "done"}, reason="完成").status == "done"


def test_milestone_dates_checked(users, task):
    admin = users["city_admin"]
    milestone = task.milestones.first()
    with pytest.raises(ValidationError, match="完成日期不能晚于今天"):
        services.milestone_complete(actor=admin, milestone=milestone, done_on=timezone.localdate() + dt.timedelta(1))
    added = services.milestone_add(actor=admin, task=task, title="推介会", due_on=dt.date(2020, 9, 1))
    assert Milestone.objects.get(pk=added.pk).history.count() == 1
    with pytest.raises(PermissionDenied):
        services.milestone_add(actor=users["district_officer"], task=task, title="x", due_on=dt.date(2020, 1, 1))


def test_district_officer_records_evidence_with_their_district(users, task, heping):
    evidence = services.evidence_add(actor=users["district_officer"], task=task, text="区领导小组成立",
                                     happened_on=dt.date(2019, 3, 1))
    assert evidence.district == heping and evidence.recorded_by == users["district_officer"]
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=users["park_operator"], task=task, text="x", happened_on=dt.date(2019, 3, 1))
    with pytest.raises(ValidationError, match="佐证日期"):
        services.evidence_add(actor=users["city_admin"], task=task, text="x",
                              happened_on=timezone.localdate() + dt.timedelta(1))
    assert Evidence.objects.count() == 1


def test_reading_bad_input_names_the_field(users, reference_data):
    admin = users["city_admin"]
    target = Target.objects.get(code="intelligent_brands")
    with pytest.raises(ValidationError) as error:
        services.reading_record(actor=admin, target=target, period="2019年", value=Decimal(1))
    assert "period" in error.value.message_dict and "2019年" in error.value.message_dict["period"][0]
    with pytest.raises(ValidationError, match="不能为负数"):
        services.reading_record(actor=admin, target=target, period="2019", value=Decimal(-1))
    with pytest.raises(ValidationError, match="请填写数值"):
        services.reading_record(actor=admin, target=target, period="2019Q3", value=None)
    with pytest.raises(PermissionDenied):
        services.reading_record(actor=users["district_officer"], target=target, period="2019", value=Decimal(1))
    assert not TargetReading.objects.filter(target=target).exists()
    reading = services.reading_record(actor=admin, target=target, period="2019q3", value=None, note="品牌评估中")
    assert reading.period == "2019Q3"


def test_target_values_checked(users, reference_data):
    admin = users["city_admin"]
    target = Target.objects.get(code="intelligent_parks")
    with pytest.raises(ValidationError) as error:
        services.target_update(actor=admin, target=target, data={"target_high": Decimal(1)}, reason="调整")
    assert "target_high" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.target_update(actor=admin, target=target, data={"measure": "manual"}, reason="调整")
    assert "measure" in error.value.message_dict
    assert Target.objects.get(pk=target.pk).target_high == Decimal(3)
