"""Authorization matrix of the projects app, generated from the permission table (see ``core.testing``).

Each page and API endpoint × user (seven roles, the other district's officer, anonymous) × method is its own
case, and the expected answer comes from ``can(user, action, row)``. The rows sit in 和平区, in the park
operator's park and the enterprise user's own enterprise; the application is assigned to the matrix's expert,
so the expert sees it and no other; the other district's officer must get 403 or 404 for them.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wenzhi.core.testing import (
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    matrix_params,
    missing_samples,
    module_data,
)

from .funds_matrix import FUNDS_SAMPLES, funds_rows

SAMPLES = {
    "projects:project_detail": "project", "projects:project_edit": "project",
    "projects:project_transition": "project", "projects:project_intelligence": "project",
    "projects:call_detail": "call", "projects:application_new": "call", "projects:call_ranking": "call",
    "projects:notice_create": "call",
    "projects:application_detail": "application", "projects:application_edit": "application",
    "projects:application_attach": "application", "projects:application_submit": "application",
    "projects:application_district_review": "application", "projects:application_assign": "application",
    "projects:review_edit": "application", "projects:review_total": "application",
    "projects:application_decide": "application", "projects:application_file": "attachment",
    "projects:notice_publish": "notice", "projects:objection_answer": "objection",
    "projects:notice_detail": "notice", "projects:objection_submit": "notice", "projects:public_list": "notice",
    "projects:notice_document": "notice",
    "projects:project_import_detail": "import", "projects:project_import_progress": "import",
    "projects:project_import_commit": "import",
    "project-detail": "project", "project-transition": "project", "call-detail": "call", "call-ranking": "call",
    "application-detail": "application", "application-assign": "application", "application-decide": "application",
    "application-district-review": "application", "application-review": "application",
    "application-submit": "application", "project-notice-detail": "notice", "project-notice-objections": "notice",
    "objection-detail": "objection", "objection-answer": "objection",
}
SAMPLES.update(FUNDS_SAMPLES)  # funds, progress and promotion (tests/funds_matrix.py)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from wenzhi.core.models import ImportRecord
    from wenzhi.registry.models import Park
    from wenzhi.registry.tests.factories import EnterpriseFactory

    from .. import services
    from ..models import PublicNotice
    from .conftest import pdf, png

    with module_data(django_db_blocker):
        orgs = build_orgs()
        Park.objects.create(organisation=orgs["park_a"], name=orgs["park_a"].name, level="municipal",
                            kind="industrial_park", district=orgs["heping"])
        ent_a = EnterpriseFactory(name="天津矩阵甲数字文化有限公司", district=orgs["heping"], park=orgs["park_a"])
        orgs["ent_a"] = ent_a.organisation
        users = build_users(orgs, orgs["city"])
        admin = users["city_admin"]
        project = services.project_create(actor=admin, name="矩阵项目", owner=ent_a, description="数字内容")
        now = timezone.now()
        call = services.call_create(actor=admin, name="矩阵批次", year=2026, opens_at=now - dt.timedelta(days=1),
                                    closes_at=now + dt.timedelta(days=5), review_deadline=now + dt.timedelta(days=9))
        app = services.application_save(actor=None, call=call, enterprise=ent_a, data={
            "title": "矩阵申报项目", "summary": "一个用于权限矩阵测试的完整申报项目简介，至少二十个字。",
            "planned_investment": Decimal("1000000")})
        attachment = services.application_attach(actor=None, application=app, kind="plan", uploaded=pdf())
        services.application_attach(actor=None, application=app, kind="licence", uploaded=png())
        services.application_submit(actor=None, application=app)
        services.district_review(actor=None, application=app, recommend=True, opinion="推荐")
        services.expert_assign(actor=None, application=app, expert=users["expert_reviewer"])
        services.application_decide(actor=None, application=app, outcome="city_key", reason="矩阵")
        today = timezone.localdate()
        notice = services.notice_open(actor=None, call=call, title="矩阵公示", opens_on=today, closes_on=today)
        objection = services.objection_submit(notice=notice, name="矩阵", contact="1", text="矩阵异议内容十个字以上。")
        services.objection_answer(actor=None, objection=objection, answer="已核实无误")
        PublicNotice.objects.filter(pk=notice.pk).update(opens_on=today - dt.timedelta(days=3),
                                                         closes_on=today - dt.timedelta(days=1))
        services.notice_publish(actor=None, notice=PublicNotice.objects.get(pk=notice.pk))
        rows = {"project": project, "call": call, "application": app, "attachment": attachment,
                "notice": PublicNotice.objects.get(pk=notice.pk), "objection": objection}
        rows["import"] = ImportRecord.objects.create(kind="project", original_name="矩阵.csv",
                                                     created_by=users["district_officer"])
        rows.update(funds_rows(orgs, rows))
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_projects_route_with_an_id_has_a_sample_row():
    assert not missing_samples("projects", SAMPLES)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), matrix_params("projects", SAMPLES))
def test_projects_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
