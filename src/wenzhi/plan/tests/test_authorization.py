"""Authorization matrix of the plan tracker, generated from the permission table (see ``core.testing``).

Every plan page and API endpoint × user (seven roles, the other district's officer, anonymous) × method is its
own case; the expected answer comes from ``can(user, action, row)``: officials read, the city edits, district
officers also record evidence.
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

SAMPLES = {
    "plan:task_detail": "task", "plan:task_edit": "task", "plan:milestone_add": "task",
    "plan:evidence_add": "task", "plan:milestone_complete": "milestone",
    "plan:target_detail": "target", "plan:target_edit": "target", "plan:reading_add": "target",
    "plan-target-detail": "target", "plan-task-detail": "task",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from ..models import Milestone, Target, Task

    with module_data(django_db_blocker):
        orgs = build_orgs()  # runs the reference loaders: the plan's targets and tasks are there
        users = build_users(orgs, orgs["city"])
        task = Task.objects.get(number=1)
        rows = {"task": task, "target": Target.objects.get(code="screens"),
                "milestone": Milestone.objects.filter(task=task).first()}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_plan_route_with_an_id_has_a_sample_row():
    assert not missing_samples("plan", SAMPLES)


def test_the_plan_has_routes_in_the_matrix():
    assert len(matrix_params("plan", SAMPLES)) > 100


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), matrix_params("plan", SAMPLES))
def test_plan_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
