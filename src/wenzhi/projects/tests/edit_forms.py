"""The projects app's edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form
from wenzhi.registry.tests.factories import EnterpriseFactory

from .. import services


def _enterprise(ctx):
    ent = EnterpriseFactory(name="天津往返项目测试文化有限公司", district=ctx.orgs["heping"])
    user = ctx.users[Role.ENTERPRISE_USER]
    user.organisation = ent.organisation
    user.save(update_fields=["organisation"])
    return ent


def make_project(ctx):
    return services.project_create(
        actor=None, name="往返测试数字文博项目", owner=_enterprise(ctx), description="第一行简介\n第二行：虚拟现实展厅",
        sector="cultural_tourism", culture_category="06", level="district_key", start_year=2019,
        planned_investment=Decimal("12345678.90"), completed_investment=Decimal("2345678.10"), export_oriented=True)


def make_application(ctx):
    now = timezone.now()
    call = services.call_create(actor=None, name="往返测试批次", year=2026, opens_at=now - dt.timedelta(days=1),
                                closes_at=now + dt.timedelta(days=5), review_deadline=now + dt.timedelta(days=9),
                                questions=[{"key": "jobs", "label": "带动就业人数", "required": True}])
    return services.application_save(actor=None, call=call, enterprise=_enterprise(ctx), data={
        "title": "往返测试申报", "summary": "第一行：沉浸式数字文博体验空间建设\n第二行：人工智能导览", "planned_investment": Decimal("1000000.50"),
        "requested_amount": Decimal("200000"), "answers": {"jobs": "120\n（含兼职）"}})


register_edit_form("projects:project_edit", make=make_project, roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER))
register_edit_form("projects:application_edit", make=make_application, roles=(Role.ENTERPRISE_USER,))


def make_review(ctx):
    """A draft review of the expert: every criterion scored and commented, saved but not submitted."""
    app = make_application(ctx)
    services.application_attach(actor=None, application=app, kind="plan", uploaded=_file("plan.pdf", b"%PDF-1"))
    services.application_attach(actor=None, application=app, kind="licence", uploaded=_file("l.pdf", b"%PDF-1"))
    services.application_submit(actor=None, application=app)
    services.district_review(actor=None, application=app, recommend=True, opinion="推荐")
    expert = ctx.users[Role.EXPERT_REVIEWER]
    services.expert_assign(actor=None, application=app, expert=expert)
    services.review_save(actor=expert, application=app, scores={"culture": "7.5", "intelligence": 9, "market": 6,
                                                                "feasibility": 8},
                         comments={"culture": "内涵丰富", "intelligence": "虚拟现实", "market": "", "feasibility": "可行"},
                         comment="总体较好")
    return app


def _file(name, body):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, body, content_type="application/pdf")


register_edit_form("projects:review_edit", make=make_review, roles=(Role.EXPERT_REVIEWER,))

# The funds and promotion pages (tests/edit_forms_funds.py).
from .edit_forms_funds import make_showcased_project  # noqa: E402, F401
